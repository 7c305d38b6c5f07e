package io.skeletonssl.synth;

import java.util.SplittableRandom;

/**
 * A random stream keyed by a hash of (seed, keys...), so that every sample, subject or
 * performance has its own stream and results never depend on the order or thread that
 * draws them. Gaussians use the polar method over {@link DetMath#log} for bit-reproducibility.
 */
final class Rng {

    private final SplittableRandom random;
    private double spare;
    private boolean hasSpare;

    private Rng(long state) {
        this.random = new SplittableRandom(state);
    }

    /** A stream for the given seed and keys (e.g. a tag and an index). */
    static Rng of(long seed, long... keys) {
        long h = mix(seed ^ 0x5DEECE66DL);
        for (long k : keys) {
            h = mix(h ^ mix(k + 0x9E3779B97F4A7C15L));
        }
        return new Rng(h);
    }

    /** SplitMix64's finaliser: a bijective 64-bit mixer. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    double uniform() {
        return random.nextDouble();
    }

    double uniform(double lo, double hi) {
        return lo + (hi - lo) * random.nextDouble();
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** An int in [lo, hi] inclusive. */
    int between(int lo, int hi) {
        return lo + random.nextInt(hi - lo + 1);
    }

    boolean chance(double p) {
        return random.nextDouble() < p;
    }

    /** +1 or -1 with equal probability. */
    double sign() {
        return random.nextBoolean() ? 1 : -1;
    }

    double gaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double u;
        double v;
        double s;
        do {
            u = 2 * random.nextDouble() - 1;
            v = 2 * random.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double f = Math.sqrt(-2 * DetMath.log(s) / s);
        spare = v * f;
        hasSpare = true;
        return u * f;
    }

    double gaussian(double mean, double sd) {
        return mean + sd * gaussian();
    }

    private static final int TABLE_BITS = 12;
    private static final double[] NORMAL_QUANTILES = quantiles(1 << TABLE_BITS);

    /**
     * A fast standard normal draw for sensor jitter: one 64-bit draw, a table of 4096 normal
     * quantiles, linear interpolation. The distribution is the normal truncated at ±3.67 sd.
     */
    double jitter() {
        long bits = random.nextLong();
        int i = (int) (bits >>> (64 - TABLE_BITS));
        double frac = (bits & 0xFFFFFFFFFFFFFL) * 0x1.0p-52; // low 52 bits
        double a = NORMAL_QUANTILES[i];
        double b = NORMAL_QUANTILES[Math.min(i + 1, NORMAL_QUANTILES.length - 1)];
        return i == NORMAL_QUANTILES.length - 1 ? a : a + frac * (b - a);
    }

    /** Quantiles at (i + 0.5) / n, i = 0..n-1, of the standard normal (Acklam's approximation). */
    private static double[] quantiles(int n) {
        double[] q = new double[n];
        for (int i = 0; i < n; i++) {
            q[i] = inverseNormal((i + 0.5) / n);
        }
        return q;
    }

    /** Inverse standard normal CDF, relative error below 1.2e-9 (P. J. Acklam's rational approximation). */
    static double inverseNormal(double p) {
        double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
        double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                6.680131188771972e+01, -1.328068155288572e+01};
        double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
        double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
        double lo = 0.02425;
        if (p < lo || p > 1 - lo) {
            double q = Math.sqrt(-2 * DetMath.log(p < lo ? p : 1 - p));
            double x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
            return p < lo ? x : -x;
        }
        double q = p - 0.5;
        double r = q * q;
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }

    /** A normal draw clipped to mean ± 2.5 sd (no absurd outliers in body shapes). */
    double clippedGaussian(double mean, double sd) {
        return mean + sd * DetMath.clamp(gaussian(), -2.5, 2.5);
    }
}
