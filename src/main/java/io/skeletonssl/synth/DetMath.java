package io.skeletonssl.synth;

/**
 * Deterministic elementary functions built from plain double arithmetic (which Java 17 evaluates
 * bit-identically everywhere), so that a seed gives the same dataset on every JVM and CPU. Math's
 * intrinsics may differ in the last bit between platforms; StrictMath is slow (native) on Java 17.
 * Accuracy is a few ulps, far below the millimetre noise the generator adds.
 */
final class DetMath {

    static final double PI = 3.141592653589793;
    static final double TWO_PI = 2 * PI;
    private static final double HALF_PI = PI / 2;
    private static final double LN2 = 0.6931471805599453;

    private DetMath() {
    }

    static double sin(double x) {
        double k = Math.rint(x / HALF_PI);
        double r = x - k * HALF_PI;
        int q = (int) ((long) k & 3);
        return switch (q) {
            case 0 -> sinPoly(r);
            case 1 -> cosPoly(r);
            case 2 -> -sinPoly(r);
            default -> -cosPoly(r);
        };
    }

    static double cos(double x) {
        return sin(x + HALF_PI);
    }

    /** Taylor series on |r| <= pi/4 (error below 1e-16). */
    private static double sinPoly(double r) {
        double r2 = r * r;
        return r * (1 + r2 * (-1.0 / 6 + r2 * (1.0 / 120 + r2 * (-1.0 / 5040 + r2 * (1.0 / 362880
                + r2 * (-1.0 / 39916800 + r2 * (1.0 / 6227020800.0 + r2 * (-1.0 / 1307674368000.0))))))));
    }

    private static double cosPoly(double r) {
        double r2 = r * r;
        return 1 + r2 * (-0.5 + r2 * (1.0 / 24 + r2 * (-1.0 / 720 + r2 * (1.0 / 40320 + r2 * (-1.0 / 3628800
                + r2 * (1.0 / 479001600 + r2 * (-1.0 / 87178291200.0 + r2 * (1.0 / 20922789888000.0))))))));
    }

    /** Natural logarithm of a positive finite x. */
    static double log(double x) {
        int e = Math.getExponent(x);
        double m = x / Math.scalb(1.0, e); // exact, in [1, 2)
        if (m > 1.4142135623730951) {
            m *= 0.5;
            e++;
        }
        // ln m = 2 atanh(s), s = (m-1)/(m+1), |s| < 0.1716
        double s = (m - 1) / (m + 1);
        double s2 = s * s;
        double sum = 0;
        for (int k = 27; k >= 1; k -= 2) {
            sum = sum * s2 + 1.0 / k;
        }
        return 2 * s * sum + e * LN2;
    }

    /** 0 before a, 1 after b, a smooth (C1) ramp in between. */
    static double smoothstep(double a, double b, double x) {
        if (x <= a) {
            return 0;
        }
        if (x >= b) {
            return 1;
        }
        double t = (x - a) / (b - a);
        return t * t * (3 - 2 * t);
    }

    /** Rises over [a, b], holds 1, falls over [c, d]. */
    static double bump(double x, double a, double b, double c, double d) {
        return smoothstep(a, b, x) * (1 - smoothstep(c, d, x));
    }

    static double rad(double degrees) {
        return degrees * (PI / 180);
    }

    static double clamp(double x, double lo, double hi) {
        return x < lo ? lo : Math.min(x, hi);
    }
}
