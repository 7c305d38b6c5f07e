package io.skeletonssl.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;

/**
 * The deep-learning backend the models run on. Everything engine-specific (which DJL engine,
 * which device) is chosen here, so a CUDA build or another DJL engine can be swapped in by
 * configuration without touching models or training loops.
 */
public interface TensorEngine {

    /** Engine name as DJL knows it, e.g. {@code PyTorch}. */
    String name();

    /** Engine (native library) version. */
    String version();

    /** The device computations run on. */
    Device device();

    /** A new root manager on {@link #device()}; close it (or use per-step child managers) to free memory. */
    NDManager newManager();

    /** Threads the engine uses for intra-op parallelism. */
    int threads();
}
