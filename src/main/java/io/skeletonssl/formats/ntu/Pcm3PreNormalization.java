package io.skeletonssl.formats.ntu;

/**
 * {@code pre_normalization} of the 2s-AGCN data generators that PCM3 / CMD / skeleton-contrast
 * reuse (spec §1.3; 2s-AGCN data_gen/preprocess.py and rotation.py), on one sample held as
 * float32 in (M, T, V, C=3) order, index {@code ((m·T + t)·V + v)·3 + c}:
 * <ol>
 *   <li>{@link #padByLooping}: per person with data, if frame 0 is empty the non-empty frames are
 *       moved to the front; then the frames after the last non-empty one are filled by repeating
 *       frames 0.. cyclically (interior empty frames stay empty).</li>
 *   <li>{@link #centre}: person 0's joint {@code centreJoint} of the same frame is subtracted from
 *       every joint of every person; a joint whose x+y+z (float32, left to right) is 0 stays 0.</li>
 *   <li>{@link #alignToAxis}: every non-empty frame of every person with data is rotated by the
 *       Rodrigues rotation that maps joint{@code top} − joint{@code bottom} of person 0 at frame 0
 *       onto the positive z axis (step 3, joints 0 → 1), then x axis (step 4, joints 4 → 8).</li>
 * </ol>
 * Step 4 is computed after step 3 and in general turns the spine away from z again (unless the
 * shoulder vector was perpendicular to it): that is the reference behaviour.
 *
 * <p>"Empty" (frame, person, sample) means every value is 0; the reference tests "values sum to 0",
 * which differs only when non-zero coordinates cancel exactly. Rotations are computed in double and
 * stored as float32 like numpy's float64 matrix times float32 joint.
 */
public final class Pcm3PreNormalization {

    /** 0-based joints of the z alignment (SpineBase → SpineMid) for NTU's Kinect v2 layout. */
    public static final int Z_BOTTOM = 0;
    public static final int Z_TOP = 1;
    /** 0-based joints of the x alignment (ShoulderLeft → ShoulderRight). */
    public static final int X_FROM = 4;
    public static final int X_TO = 8;
    /** The centre joint (SpineMid). */
    public static final int CENTRE = 1;

    private static final double EPS = 1e-6;

    private Pcm3PreNormalization() {
    }

    /** All four steps with the NTU joints. {@code s} is modified in place. */
    public static void apply(float[] s, int persons, int frames, int joints) {
        check(s, persons, frames, joints);
        if (isZero(s, 0, s.length)) {
            return;
        }
        padByLooping(s, persons, frames, joints);
        centre(s, persons, frames, joints, CENTRE);
        alignToAxis(s, persons, frames, joints, Z_BOTTOM, Z_TOP, 2);
        alignToAxis(s, persons, frames, joints, X_FROM, X_TO, 0);
    }

    /** Step 1: compaction (only when frame 0 is empty) and loop padding, per person. */
    public static void padByLooping(float[] s, int persons, int frames, int joints) {
        check(s, persons, frames, joints);
        int fw = joints * 3;
        for (int m = 0; m < persons; m++) {
            int base = m * frames * fw;
            if (isZero(s, base, frames * fw)) {
                continue;
            }
            if (isZero(s, base, fw)) {
                int out = 0;
                for (int t = 0; t < frames; t++) {
                    if (!isZero(s, base + t * fw, fw)) {
                        if (out != t) {
                            System.arraycopy(s, base + t * fw, s, base + out * fw, fw);
                        }
                        out++;
                    }
                }
                java.util.Arrays.fill(s, base + out * fw, base + frames * fw, 0f);
            }
            int last = frames - 1;
            while (isZero(s, base + last * fw, fw)) {
                last--;
            }
            int period = last + 1;
            for (int t = period; t < frames; t++) {
                System.arraycopy(s, base + (t % period) * fw, s, base + t * fw, fw);
            }
        }
    }

    /** Step 2: subtract person 0's {@code centreJoint} per frame; zero joints stay zero. */
    public static void centre(float[] s, int persons, int frames, int joints, int centreJoint) {
        check(s, persons, frames, joints);
        int fw = joints * 3;
        float[] centre = new float[frames * 3];
        for (int t = 0; t < frames; t++) {
            System.arraycopy(s, t * fw + centreJoint * 3, centre, t * 3, 3);
        }
        for (int m = 0; m < persons; m++) {
            int base = m * frames * fw;
            if (isZero(s, base, frames * fw)) {
                continue;
            }
            for (int t = 0; t < frames; t++) {
                for (int v = 0; v < joints; v++) {
                    int i = base + t * fw + v * 3;
                    float sum = s[i] + s[i + 1];
                    sum += s[i + 2];
                    float keep = sum != 0f ? 1f : 0f;
                    s[i] = (s[i] - centre[t * 3]) * keep;
                    s[i + 1] = (s[i + 1] - centre[t * 3 + 1]) * keep;
                    s[i + 2] = (s[i + 2] - centre[t * 3 + 2]) * keep;
                }
            }
        }
    }

    /**
     * Steps 3/4: rotates every non-empty frame of every person with data so that joint {@code top} −
     * joint {@code bottom} of person 0 at frame 0 points along +axis {@code axis} (0 = x, 2 = z).
     */
    public static void alignToAxis(float[] s, int persons, int frames, int joints, int bottom, int top, int axis) {
        check(s, persons, frames, joints);
        float[] v = {s[top * 3] - s[bottom * 3], s[top * 3 + 1] - s[bottom * 3 + 1],
                s[top * 3 + 2] - s[bottom * 3 + 2]};
        double[] r = alignmentMatrix(v, axis);
        int fw = joints * 3;
        for (int m = 0; m < persons; m++) {
            int base = m * frames * fw;
            if (isZero(s, base, frames * fw)) {
                continue;
            }
            for (int t = 0; t < frames; t++) {
                int f = base + t * fw;
                if (isZero(s, f, fw)) {
                    continue;
                }
                for (int i = f; i < f + fw; i += 3) {
                    double x = s[i];
                    double y = s[i + 1];
                    double z = s[i + 2];
                    s[i] = (float) (r[0] * x + r[1] * y + r[2] * z);
                    s[i + 1] = (float) (r[3] * x + r[4] * y + r[5] * z);
                    s[i + 2] = (float) (r[6] * x + r[7] * y + r[8] * z);
                }
            }
        }
    }

    /**
     * The reference rotation for {@code v} and the unit vector of {@code axis}: axis of rotation
     * v × e, angle ∠(v, e); row-major 3×3.
     */
    public static double[] alignmentMatrix(float[] v, int axis) {
        double[] e = new double[3];
        e[axis] = 1;
        double[] cross = {
                v[1] * e[2] - v[2] * e[1],
                v[2] * e[0] - v[0] * e[2],
                v[0] * e[1] - v[1] * e[0]};
        return rotationMatrix(cross, angleBetween(v, axis));
    }

    /**
     * rotation.py {@code angle_between(v, e_axis)}: 0 when |v|₁ &lt; 1e-6, else arccos of the
     * clipped cosine; the unit vector is float32 like numpy's for a float32 input.
     */
    public static double angleBetween(float[] v, int axis) {
        float l1 = Math.abs(v[0]) + Math.abs(v[1]);
        l1 += Math.abs(v[2]);
        if (l1 < EPS) {
            return 0;
        }
        // float32 norm as numpy's OpenBLAS sdot gives it: float32 products summed in double, rounded once
        float p0 = v[0] * v[0];
        float p1 = v[1] * v[1];
        float p2 = v[2] * v[2];
        float sq = (float) ((double) p0 + p1 + p2);
        float norm = (float) Math.sqrt(sq);
        double cos = v[axis] / norm;
        return Math.acos(Math.max(-1.0, Math.min(1.0, cos)));
    }

    /**
     * Counter-clockwise rotation by {@code theta} about {@code axis} (Euler–Rodrigues form of
     * rotation.py), row-major; the identity when |axis|₁ &lt; 1e-6 or |theta| &lt; 1e-6 — in
     * particular when v is anti-parallel to the target (no flip happens then).
     */
    public static double[] rotationMatrix(double[] axis, double theta) {
        if (Math.abs(axis[0]) + Math.abs(axis[1]) + Math.abs(axis[2]) < EPS || Math.abs(theta) < EPS) {
            return new double[]{1, 0, 0, 0, 1, 0, 0, 0, 1};
        }
        double len = Math.sqrt(axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2]);
        double a = Math.cos(theta / 2.0);
        double sin = Math.sin(theta / 2.0);
        double b = -axis[0] / len * sin;
        double c = -axis[1] / len * sin;
        double d = -axis[2] / len * sin;
        double aa = a * a;
        double bb = b * b;
        double cc = c * c;
        double dd = d * d;
        double bc = b * c;
        double ad = a * d;
        double ac = a * c;
        double ab = a * b;
        double bd = b * d;
        double cd = c * d;
        return new double[]{
                aa + bb - cc - dd, 2 * (bc + ad), 2 * (bd - ac),
                2 * (bc - ad), aa + cc - bb - dd, 2 * (cd + ab),
                2 * (bd + ac), 2 * (cd - ab), aa + dd - bb - cc};
    }

    static boolean isZero(float[] s, int from, int length) {
        for (int i = from; i < from + length; i++) {
            if (s[i] != 0f) {
                return false;
            }
        }
        return true;
    }

    private static void check(float[] s, int persons, int frames, int joints) {
        if ((long) persons * frames * joints * 3 != s.length || persons < 1 || frames < 1) {
            throw new IllegalArgumentException("expected " + persons + "·" + frames + "·" + joints
                    + "·3 values in (M, T, V, C) order, found " + s.length);
        }
    }
}
