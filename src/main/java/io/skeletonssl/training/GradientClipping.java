package io.skeletonssl.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import io.skeletonssl.engine.NoGradient;

/**
 * {@code torch.nn.utils.clip_grad_norm_}: the global L2 norm of all gradients together; when it is
 * above {@code maxNorm}, every gradient is scaled in place by {@code maxNorm / (norm + 1e-6)}, so
 * the clipped norm is {@code maxNorm} (to within that 1e-6). The norm is read from the engine once
 * per call, however many parameters there are.
 */
public final class GradientClipping {

    /** Added to the norm in the scale factor, as torch does (keeps a zero norm finite). */
    static final double EPS = 1e-6;

    private GradientClipping() {
    }

    /**
     * What one call saw: the norm before clipping (NaN or infinite when some gradient is) and
     * whether the gradients were scaled.
     */
    public record Clip(double norm, boolean clipped) {
        public boolean finite() {
            return Double.isFinite(norm);
        }
    }

    /** Clips the gradients of {@code params}; returns their norm before clipping. */
    public static double clipByGlobalNorm(Iterable<Parameter> params, double maxNorm) {
        return clip(params, maxNorm).norm();
    }

    /**
     * The global norm of the gradients of {@code params}, and when {@code maxNorm > 0} and the norm
     * is finite and above it, the gradients scaled to that norm. {@code maxNorm <= 0} only measures.
     * Non-finite gradients are left as they are (scaling would only spread the NaN).
     */
    public static Clip clip(Iterable<Parameter> params, double maxNorm) {
        double norm = globalNorm(params);
        if (!(maxNorm > 0) || !Double.isFinite(norm) || norm <= maxNorm) {
            return new Clip(norm, false);
        }
        float scale = (float) (maxNorm / (norm + EPS));
        try (NDScope ignored = new NDScope(); NoGradient off = NoGradient.enter()) {
            for (Parameter p : params) {
                p.getArray().getGradient().muli(scale);
            }
        }
        return new Clip(norm, true);
    }

    /**
     * sqrt(Σ over parameters of Σ g²): each parameter's sum of squares in float32 on the engine, the
     * total on the host in double, from one read of all the per-parameter sums.
     */
    public static double globalNorm(Iterable<Parameter> params) {
        try (NDScope ignored = new NDScope(); NoGradient off = NoGradient.enter()) {
            NDList sums = new NDList();
            for (Parameter p : params) {
                sums.add(p.getArray().getGradient().square().sum());
            }
            if (sums.isEmpty()) {
                return 0;
            }
            float[] host = (sums.size() == 1 ? sums.get(0).reshape(1) : NDArrays.stack(sums)).toFloatArray();
            double sq = 0;
            for (float s : host) {
                sq += s;
            }
            return Math.sqrt(sq);
        }
    }
}
