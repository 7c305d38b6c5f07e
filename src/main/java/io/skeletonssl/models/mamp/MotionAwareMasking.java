package io.skeletonssl.models.mamp;

import java.util.Arrays;
import java.util.Random;

/**
 * Motion-aware masking (official-code-facts §2.5), computed on the host from the raw input positions.
 * Per sequence: token motion m[t,v] = mean over the u·3 values of |P[t,v] − P[t−1,v]| with
 * m[0] = m[1]; s = m/(max m·τ + 1e−10); π = softmax(s); score g = log π − log(−log(u + 1e−10) + 1e−10);
 * the K tokens with the SMALLEST scores stay visible, so high-motion tokens are preferentially masked
 * (a Gumbel-top-k sample ∝ π of the masked set). τ ≤ 0 or {@code uniform} gives MAE's uniform random
 * masking (keep the K smallest of i.i.d. U[0,1) noise).
 */
public final class MotionAwareMasking {

    private MotionAwareMasking() {
    }

    /**
     * @param positions person-sequences (B, T, V, 3) row-major
     * @param rng the only source of randomness: same generator state, same plan
     */
    public static MaskPlan plan(float[] positions, int sequences, int frames, int joints, int segment,
            int visible, double tau, boolean uniform, Random rng) {
        int tp = frames / segment;
        int tokens = tp * joints;
        if (positions.length != (long) sequences * frames * joints * 3) {
            throw new IllegalArgumentException("positions hold " + positions.length + " values, expected B·T·V·3 = "
                    + sequences + "·" + frames + "·" + joints + "·3");
        }
        if (visible < 0 || visible > tokens) {
            throw new IllegalArgumentException("visible " + visible + " outside [0, " + tokens + "]");
        }
        long[] order = new long[sequences * tokens];
        long[] restore = new long[sequences * tokens];
        float[] mask = new float[sequences * tokens];
        double[] score = new double[tokens];
        for (int b = 0; b < sequences; b++) {
            if (uniform || tau <= 0) {
                for (int i = 0; i < tokens; i++) {
                    score[i] = rng.nextDouble();
                }
            } else {
                double[] m = tokenMotion(positions, b, frames, joints, segment);
                gumbelScores(m, tau, rng, score);
            }
            Integer[] idx = new Integer[tokens];
            for (int i = 0; i < tokens; i++) {
                idx[i] = i;
            }
            final double[] s = score;
            Arrays.sort(idx, (x, y) -> Double.compare(s[x], s[y]));
            for (int r = 0; r < tokens; r++) {
                int token = idx[r];
                order[b * tokens + r] = token;
                restore[b * tokens + token] = r;
                mask[b * tokens + token] = r < visible ? 0f : 1f;
            }
        }
        return new MaskPlan(sequences, tokens, visible, order, restore, mask);
    }

    /** Token motion m (length (T/u)·V, index t·V + v) of sequence {@code b}. */
    public static double[] tokenMotion(float[] positions, int b, int frames, int joints, int segment) {
        int tp = frames / segment;
        int per = segment * 3;
        double[] m = new double[tp * joints];
        long base = (long) b * frames * joints * 3;
        for (int t = 1; t < tp; t++) {
            for (int v = 0; v < joints; v++) {
                double sum = 0;
                for (int f = 0; f < segment; f++) {
                    for (int c = 0; c < 3; c++) {
                        int frame = t * segment + f;
                        float now = positions[(int) (base + ((long) frame * joints + v) * 3 + c)];
                        float before = positions[(int) (base + ((long) (frame - segment) * joints + v) * 3 + c)];
                        sum += Math.abs(now - before);
                    }
                }
                m[t * joints + v] = sum / per;
            }
        }
        if (tp > 1) {
            System.arraycopy(m, joints, m, 0, joints);
        }
        return m;
    }

    /** Selection probabilities π = softmax(m/(max m·τ + 1e−10)). */
    public static double[] probabilities(double[] m, double tau) {
        double max = 0;
        for (double x : m) {
            max = Math.max(max, x);
        }
        double denom = max * tau + 1e-10;
        double[] p = new double[m.length];
        double top = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < m.length; i++) {
            p[i] = m[i] / denom;
            top = Math.max(top, p[i]);
        }
        double z = 0;
        for (int i = 0; i < m.length; i++) {
            p[i] = Math.exp(p[i] - top);
            z += p[i];
        }
        for (int i = 0; i < m.length; i++) {
            p[i] /= z;
        }
        return p;
    }

    private static void gumbelScores(double[] m, double tau, Random rng, double[] out) {
        double[] p = probabilities(m, tau);
        for (int i = 0; i < m.length; i++) {
            double u = rng.nextDouble();
            out[i] = Math.log(p[i]) - Math.log(-Math.log(u + 1e-10) + 1e-10);
        }
    }
}
