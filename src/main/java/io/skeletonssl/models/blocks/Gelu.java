package io.skeletonssl.models.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** GELU in its exact form x·Φ(x) = ½·x·(1 + erf(x/√2)) (PyTorch nn.GELU default, no tanh approximation). */
public final class Gelu {

    private static final double INV_SQRT2 = 1.0 / Math.sqrt(2.0);

    private Gelu() {
    }

    /** Native GELU; DJL's PyTorch engine calls torch.gelu without approximation (pinned by GeluTest). */
    public static NDArray exact(NDArray x) {
        return Activation.gelu(x);
    }

    /** The erf formula written out with NDArray ops; the reference the native call is tested against. */
    public static NDArray erfForm(NDArray x) {
        return x.mul(x.mul(INV_SQRT2).erf().add(1)).mul(0.5);
    }
}
