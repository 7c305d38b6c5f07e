package io.skeletonssl.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;

/**
 * {@code torch.nn.utils.clip_grad_norm_}: the global L2 norm of all gradients together; when it is
 * above {@code maxNorm}, every gradient is scaled in place by {@code maxNorm / (norm + 1e-6)}.
 */
public final class GradientClipping {

    private GradientClipping() {
    }

    /** Clips the gradients of {@code params}; returns their norm before clipping. */
    public static double clipByGlobalNorm(Iterable<Parameter> params, double maxNorm) {
        try (NDScope ignored = new NDScope()) {
            double sq = 0;
            for (Parameter p : params) {
                NDArray g = p.getArray().getGradient();
                sq += g.square().sum().getFloat();
            }
            double norm = Math.sqrt(sq);
            if (norm > maxNorm) {
                float scale = (float) (maxNorm / (norm + 1e-6));
                for (Parameter p : params) {
                    p.getArray().getGradient().muli(scale);
                }
            }
            return norm;
        }
    }
}
