package io.skeletonssl.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.List;

/**
 * Whole-model optimizer arithmetic in one engine call each, where the engine has it: on PyTorch,
 * torch's fused CPU AdamW and SGD kernels (the ones behind {@code torch.optim.AdamW(fused=True)}:
 * one pass over each parameter with no temporaries), one finiteness result for all gradients and
 * zeroing all gradients, where the per-parameter form issues some 2,000 small DJL operations per
 * MAMP step (README, {@code bench train}, for the time saved). {@link #available} is false on
 * another engine or when the bundled module ({@code optim.pt}) cannot load; callers then do the
 * arithmetic themselves. Everything runs without gradient recording; all arrays are float32.
 */
public final class FusedOptim {

    private static final BundledModule MODULE = new BundledModule("optim.pt");
    /** {@code -Dskeletonssl.fused_optim=false} turns the fused path off (for comparison). */
    public static final String PROPERTY = "skeletonssl.fused_optim";

    private FusedOptim() {
    }

    /** Whether the fused calls can run on arrays like {@code like}. */
    public static boolean available(NDArray like) {
        return !"false".equals(System.getProperty(PROPERTY)) && MODULE.available(like);
    }

    /**
     * AdamW over all {@code params} at once, as {@code torch.optim.AdamW} at step {@code step}
     * (counting from 1): {@code p ← p·(1 − lr·wd)}, the moment updates, then the bias-corrected step.
     */
    public static void adamw(List<NDArray> params, List<NDArray> grads, List<NDArray> expAvgs,
                             List<NDArray> expAvgSqs, long step, double lr, double beta1, double beta2,
                             double weightDecay, double eps) {
        NDArray like = params.get(0);
        try (NDManager scratch = like.getManager().newSubManager(); NoGradient off = NoGradient.enter()) {
            NDArray stepTensor = scratch.create((float) step);
            MODULE.callMethod("adamw", stepTensor, params, grads, expAvgs, expAvgSqs, stepTensor, lr, beta1,
                    beta2, weightDecay, eps).close();
        }
    }

    /**
     * SGD with momentum (dampening 0, no Nesterov) and L2 weight decay over all {@code params}, as
     * {@code torch.optim.SGD}; on the {@code firstStep} the buffers (any values) become {@code g + wd·p}.
     */
    public static void sgd(List<NDArray> params, List<NDArray> grads, List<NDArray> momentumBuffers, double lr,
                           double momentum, double weightDecay, boolean firstStep) {
        NDArray like = params.get(0);
        try (NDManager scratch = like.getManager().newSubManager(); NoGradient off = NoGradient.enter()) {
            NDArray anchor = scratch.create(0f);
            MODULE.callMethod("sgd", anchor, params, grads, momentumBuffers, lr, momentum, weightDecay, firstStep)
                    .close();
        }
    }

    /** Whether every element of every array is finite (one host read). */
    public static boolean allFinite(List<NDArray> arrays) {
        NDArray like = arrays.get(0);
        try (NDManager scratch = like.getManager().newSubManager(); NoGradient off = NoGradient.enter()) {
            NDArray anchor = scratch.create(0f);
            return MODULE.callMethod("all_finite", anchor, arrays).getBoolean();
        }
    }

    /** Sets every element of every array to 0, NaN and infinities included. */
    public static void zero(List<NDArray> arrays) {
        NDArray like = arrays.get(0);
        try (NDManager scratch = like.getManager().newSubManager(); NoGradient off = NoGradient.enter()) {
            NDArray anchor = scratch.create(0f);
            MODULE.callMethod("zero", anchor, arrays).close();
        }
    }
}
