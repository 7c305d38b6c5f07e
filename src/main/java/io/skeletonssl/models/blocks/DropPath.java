package io.skeletonssl.models.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

import java.util.Random;

/**
 * Stochastic depth per sample: in training each sample's residual branch is zeroed with
 * probability {@code rate} and otherwise scaled by 1/(1−rate); identity when the rate is 0 or not training.
 */
public final class DropPath {

    private DropPath() {
    }

    /** @param x branch output, first axis = sample */
    public static NDArray apply(NDArray x, double rate, boolean training, Random rng) {
        if (rate <= 0 || !training) {
            return x;
        }
        if (rate >= 1) {
            throw new IllegalArgumentException("drop path rate must be < 1, got " + rate);
        }
        double keep = 1 - rate;
        long n = x.getShape().get(0);
        float[] scale = new float[Math.toIntExact(n)];
        for (int i = 0; i < scale.length; i++) {
            scale[i] = rng.nextDouble() < keep ? (float) (1 / keep) : 0f;
        }
        long[] dims = new long[x.getShape().dimension()];
        java.util.Arrays.fill(dims, 1);
        dims[0] = n;
        NDArray s = x.getManager().create(scale, new Shape(dims));
        return x.mul(s);
    }
}
