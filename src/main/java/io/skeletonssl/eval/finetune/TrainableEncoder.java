package io.skeletonssl.eval.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;

import java.util.Map;
import java.util.Random;

/**
 * An encoder whose weights are trained along with a task head (fine-tuning, semi-supervised and
 * transfer evaluation; motion prediction with {@code --finetune}), as opposed to the frozen
 * {@link io.skeletonssl.api.SequenceEncoder} of the linear probe and KNN. Implementations:
 * {@link MampTrainableEncoder} (the MAMP transformer with drop path, which also gives its token
 * output) and {@link Pcm3TrainableEncoder} (the PCM3 query encoder, last-step feature). Open one
 * with {@link TrainableEncoders#open}: from a run or checkpoint folder, or randomly initialised
 * from a preset.
 *
 * <p>Contract: parameters live on {@link #manager()}, which {@link #close()} frees. Forward
 * passes take a batch (N, 3, T, V, M) and return arrays in the batch's manager (callers wrap a
 * training step in a sub-manager and an {@code NDScope}, under a {@code GradientCollector} when
 * gradients are wanted). In {@code training} mode stochastic parts (drop path) draw from
 * {@code rng} and batch statistics (PCM3's input BatchNorm) are used and updated; evaluation mode
 * is deterministic and {@code rng} may be null.
 */
public interface TrainableEncoder extends AutoCloseable {

    /** {@code mamp} or {@code pcm3}. */
    String method();

    /** Where the weights came from (checkpoint folder and epoch, or the random-init seed). */
    String source();

    int frames();

    int joints();

    int persons();

    /** Width D of {@link #pooled}. */
    int featureDim();

    /** The trained parameters (no buffers) under their checkpoint names, in definition order. */
    Map<String, Parameter> trainableParameters();

    /**
     * Layer id of a trainable parameter for layer-wise learning-rate decay (spec §2.10, timm's
     * {@code get_layer_id_for_vit}): 0 for the input embeddings, i+1 for block i, and
     * {@link #numLayers()} for everything after the blocks. An encoder without layers returns
     * {@code numLayers()} for all.
     */
    int layerOf(String parameterName);

    /** Number of layers L of the decay: a parameter of layer l gets lr scale decay^(L − l). */
    int numLayers();

    /** The sequence feature (N, D), with gradients when recorded. */
    NDArray pooled(NDArray batch, boolean training, Random rng);

    NDManager manager();

    @Override
    void close();
}
