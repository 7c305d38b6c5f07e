package io.skeletonssl.transforms;

import io.skeletonssl.layout.SkeletonLayout;

import java.util.random.RandomGenerator;

/**
 * Left/right mirroring: joint v takes the coordinates of joint mirror[v] (the layout's
 * permutation, e.g. PCM3/AimCLR's {@code transform_order} for NTU) and x is negated, i.e. the
 * skeleton is reflected in the y–z plane and its sides are relabelled. Mirroring twice gives the
 * input back bit for bit. Neither MAMP nor PCM3 uses it in training; it is offered as an option.
 */
public final class Mirror implements Transform {

    private final int[] permutation;

    public Mirror(SkeletonLayout layout) {
        this(layout.mirror());
    }

    public Mirror(int[] permutation) {
        this.permutation = permutation.clone();
        for (int v = 0; v < permutation.length; v++) {
            int w = permutation[v];
            if (w < 0 || w >= permutation.length || permutation[w] != v) {
                throw new IllegalArgumentException("mirror permutation is not an involution at joint " + v);
            }
        }
    }

    public int[] permutation() {
        return permutation.clone();
    }

    /** Mirrors every clip. */
    @Override
    public Clip apply(Clip clip, RandomGenerator rng) {
        return mirror(clip, permutation);
    }

    /** Mirrors with probability p (one draw u ~ U[0,1), mirrored when u &lt; p). */
    public Transform withProbability(double p) {
        return Transform.either(p, this, Transform.identity());
    }

    public static Clip mirror(Clip clip, int[] permutation) {
        int v = clip.joints();
        if (permutation.length != v) {
            throw new IllegalArgumentException("mirror permutation has " + permutation.length
                    + " entries, clip has " + v + " joints");
        }
        int m = clip.persons();
        int t = clip.frames();
        float[] in = clip.data();
        float[] out = new float[in.length];
        for (int c = 0; c < Clip.CHANNELS; c++) {
            for (int f = 0; f < t; f++) {
                int base = (c * t + f) * v * m;
                for (int j = 0; j < v; j++) {
                    int src = base + permutation[j] * m;
                    int dst = base + j * m;
                    for (int k = 0; k < m; k++) {
                        out[dst + k] = c == 0 ? -in[src + k] : in[src + k];
                    }
                }
            }
        }
        return clip.withData(out);
    }

    @Override
    public String toString() {
        return "Mirror";
    }
}
