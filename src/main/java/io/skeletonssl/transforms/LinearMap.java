package io.skeletonssl.transforms;

/**
 * Applies a 3×3 matrix to joint coordinates: every joint column vector p = (x, y, z) becomes
 * M·p, in every frame and for every person. Computed in double and rounded once to float32
 * (the official code multiplies in float32 for rotation and in float64 for shear and corruption;
 * the results agree to within a float32 ulp). A linear map sends zeros to zeros, so padding
 * frames and absent persons stay empty.
 */
public final class LinearMap {

    private LinearMap() {
    }

    /** M·p for every joint. */
    public static Clip apply(Clip clip, double[][] m) {
        return apply(clip, m, null);
    }

    /** M·p for the listed joints only (all joints when {@code joints} is null); other values are copied. */
    public static Clip apply(Clip clip, double[][] m, int[] joints) {
        check(m);
        int plane = clip.plane();
        float[] in = clip.data();
        float[] out = in.clone();
        int persons = clip.persons();
        int v = clip.joints();
        double m00 = m[0][0], m01 = m[0][1], m02 = m[0][2];
        double m10 = m[1][0], m11 = m[1][1], m12 = m[1][2];
        double m20 = m[2][0], m21 = m[2][1], m22 = m[2][2];
        if (joints == null) {
            for (int i = 0; i < plane; i++) {
                map(in, out, i, plane, m00, m01, m02, m10, m11, m12, m20, m21, m22);
            }
        } else {
            for (int t = 0; t < clip.frames(); t++) {
                for (int j : joints) {
                    if (j < 0 || j >= v) {
                        throw new IllegalArgumentException("joint " + j + " outside 0.." + (v - 1));
                    }
                    for (int p = 0; p < persons; p++) {
                        map(in, out, (t * v + j) * persons + p, plane, m00, m01, m02, m10, m11, m12, m20, m21, m22);
                    }
                }
            }
        }
        return clip.withData(out);
    }

    private static void map(float[] in, float[] out, int i, int plane, double m00, double m01, double m02,
                            double m10, double m11, double m12, double m20, double m21, double m22) {
        double x = in[i];
        double y = in[plane + i];
        double z = in[2 * plane + i];
        out[i] = (float) (m00 * x + m01 * y + m02 * z);
        out[plane + i] = (float) (m10 * x + m11 * y + m12 * z);
        out[2 * plane + i] = (float) (m20 * x + m21 * y + m22 * z);
    }

    /** Matrix product a·b of 3×3 matrices. */
    public static double[][] multiply(double[][] a, double[][] b) {
        check(a);
        check(b);
        double[][] r = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                r[i][j] = a[i][0] * b[0][j] + a[i][1] * b[1][j] + a[i][2] * b[2][j];
            }
        }
        return r;
    }

    public static double[][] transpose(double[][] a) {
        check(a);
        double[][] r = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                r[i][j] = a[j][i];
            }
        }
        return r;
    }

    static void check(double[][] m) {
        if (m == null || m.length != 3 || m[0].length != 3 || m[1].length != 3 || m[2].length != 3) {
            throw new IllegalArgumentException("expected a 3×3 matrix");
        }
    }
}
