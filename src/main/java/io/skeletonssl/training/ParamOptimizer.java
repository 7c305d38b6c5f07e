package io.skeletonssl.training;

import ai.djl.ndarray.NDArray;

import java.util.Map;

/**
 * An optimizer bound to a fixed list of DJL parameters. {@link #step(double)} reads each
 * parameter's gradient (as left by a {@code GradientCollector}) and updates the parameter in place.
 */
public interface ParamOptimizer extends AutoCloseable {

    /** One update with learning rate {@code lr} (taken from the schedule by the caller). */
    void step(double lr);

    /**
     * Whether every gradient is finite. The official MAMP step runs under a GradScaler, which skips
     * an update whose gradients hold Inf/NaN; a loop that wants that behaviour checks this first.
     */
    boolean gradientsFinite();

    /** Sets the gradients of the optimised parameters to 0 (also replacing NaN/Inf), like torch's zero_grad. */
    void zeroGradients();

    /** Number of steps taken so far (restored by {@link #loadState}). */
    long steps();

    /**
     * The state tensors by key {@code "<kind>/<parameter name>"} (e.g. {@code exp_avg/enc_w}); only
     * those created so far. The arrays are live: copy them (e.g. with {@link HostTensor#of}) to keep.
     */
    Map<String, NDArray> stateArrays();

    /**
     * Restores {@link #steps()} and the state tensors saved from an optimizer over the same
     * parameters. Errors name the missing, unexpected or mis-shaped key.
     */
    void loadState(long steps, Map<String, HostTensor> state);

    @Override
    void close();
}
