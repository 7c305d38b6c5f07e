package io.skeletonssl.transforms;

import java.util.random.RandomGenerator;

/**
 * PCM3's shear ({@code pose_augmentation}): S = [[1, a, b], [c, 1, d], [e, f, 1]] with the six
 * off-diagonal entries ~ U(−A, A) drawn in the order a, b, c, d, e, f (A = 1.0 in PCM3/CMD, not
 * AimCLR's 0.5), one matrix per clip; every joint column p → S·p (row p → p·Sᵀ).
 */
public final class Shear implements Transform {

    private final double amplitude;

    public Shear(double amplitude) {
        if (!(amplitude >= 0) || Double.isInfinite(amplitude)) {
            throw new IllegalArgumentException("shear amplitude must be a finite number >= 0, got " + amplitude);
        }
        this.amplitude = amplitude;
    }

    /** Amplitude 1.0, as in PCM3. */
    public static Shear pcm3() {
        return new Shear(1.0);
    }

    public double amplitude() {
        return amplitude;
    }

    public static double[][] matrix(double a, double b, double c, double d, double e, double f) {
        return new double[][]{{1, a, b}, {c, 1, d}, {e, f, 1}};
    }

    /** The next shear matrix (Python's random.uniform(−A, A) = −A + 2A·u for each entry). */
    public double[][] drawMatrix(RandomGenerator rng) {
        double[] o = new double[6];
        for (int i = 0; i < 6; i++) {
            o[i] = -amplitude + 2 * amplitude * rng.nextDouble();
        }
        return matrix(o[0], o[1], o[2], o[3], o[4], o[5]);
    }

    @Override
    public Clip apply(Clip clip, RandomGenerator rng) {
        return LinearMap.apply(clip, drawMatrix(rng));
    }

    @Override
    public String toString() {
        return "Shear[±" + amplitude + "]";
    }
}
