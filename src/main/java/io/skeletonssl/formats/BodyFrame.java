package io.skeletonssl.formats;

import io.skeletonssl.dataset.Sample;
import io.skeletonssl.layout.SkeletonLayout;

/**
 * The body-frame maths of {@code prepare --normalize align} and {@code --scale-body} on one
 * (3, T, V, M) sequence. Alignment follows the two rotations of the 2s-AGCN {@code pre_normalization}
 * that PCM3 uses for NTU (spec §1.3, steps 3 and 4): first the rotation that turns the spine bone
 * (the layout's hip / spine-base joint to its spine joint) onto +z, then the one that turns the
 * shoulder bone (left to right shoulder, after the first rotation) onto +x, both taken from person 1
 * in the first frame where those four joints are present, and applied to every present joint of
 * every person in every frame. Like the reference, the second rotation can tilt the spine away from
 * +z again (by as much as the shoulder bone is off perpendicular to it): the shoulders end exactly on
 * +x. Unlike the reference, a bone that points exactly away from its axis is turned by half a turn
 * (the reference leaves it, its rotation axis being undefined).
 *
 * <p>A joint is absent when its three coordinates are 0; absent joints stay 0 throughout.
 */
public final class BodyFrame {

    private BodyFrame() {
    }

    /** Whether joint v of person m is present (not all-zero) in frame t. */
    static boolean present(float[] data, int t, int v, int m, int frames, int joints, int persons) {
        int stride = frames * joints * persons;
        int x = Sample.index(0, t, v, m, frames, joints, persons);
        return data[x] != 0f || data[x + stride] != 0f || data[x + 2 * stride] != 0f;
    }

    /** {@code to − from} of person 1 in frame t, in double. */
    private static double[] bone(float[] data, int t, int from, int to, int frames, int joints, int persons) {
        int stride = frames * joints * persons;
        int a = Sample.index(0, t, from, 0, frames, joints, persons);
        int b = Sample.index(0, t, to, 0, frames, joints, persons);
        return new double[]{(double) data[b] - data[a], (double) data[b + stride] - data[a + stride],
                (double) data[b + 2 * stride] - data[a + 2 * stride]};
    }

    /**
     * The rotation (row-major 3×3) that aligns the sequence, from person 1's first frame with the
     * four alignment joints present, or null when no frame has them. Translation does not change it.
     */
    public static double[] alignment(float[] data, int frames, int joints, int persons,
                                     SkeletonLayout.Alignment a) {
        int[] spine = a.spine();
        int[] shoulders = a.shoulders();
        for (int t = 0; t < frames; t++) {
            if (present(data, t, spine[0], 0, frames, joints, persons)
                    && present(data, t, spine[1], 0, frames, joints, persons)
                    && present(data, t, shoulders[0], 0, frames, joints, persons)
                    && present(data, t, shoulders[1], 0, frames, joints, persons)) {
                double[] first = rotationOnto(bone(data, t, spine[0], spine[1], frames, joints, persons), 2);
                double[] across = times(first, bone(data, t, shoulders[0], shoulders[1], frames, joints, persons));
                return product(rotationOnto(across, 0), first);
            }
        }
        return null;
    }

    /**
     * The rotation (row-major) that turns {@code v} onto the positive {@code axis} (0 = x, 2 = z)
     * about v × e by the angle between them (Rodrigues: R = I + sinθ·K + (1 − cosθ)·K²); the identity
     * for a zero vector or one already along the axis, half a turn about a perpendicular axis for one
     * pointing exactly away from it.
     */
    public static double[] rotationOnto(double[] v, int axis) {
        double norm = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        double[] id = {1, 0, 0, 0, 1, 0, 0, 0, 1};
        if (norm == 0) {
            return id;
        }
        double[] e = new double[3];
        e[axis] = 1;
        double[] k = {v[1] * e[2] - v[2] * e[1], v[2] * e[0] - v[0] * e[2], v[0] * e[1] - v[1] * e[0]};
        double sin = Math.sqrt(k[0] * k[0] + k[1] * k[1] + k[2] * k[2]) / norm;
        double cos = v[axis] / norm;
        if (sin < 1e-12) {
            if (cos > 0) {
                return id;
            }
            // opposite: half a turn about the next axis (perpendicular to e)
            k = new double[3];
            k[(axis + 1) % 3] = 1;
            sin = 0;
            cos = -1;
        } else {
            double kn = sin * norm;
            k[0] /= kn;
            k[1] /= kn;
            k[2] /= kn;
        }
        double[] kk = {0, -k[2], k[1], k[2], 0, -k[0], -k[1], k[0], 0};
        double[] k2 = product(kk, kk);
        double[] r = new double[9];
        for (int i = 0; i < 9; i++) {
            r[i] = id[i] + sin * kk[i] + (1 - cos) * k2[i];
        }
        return r;
    }

    /** The product of two row-major 3×3 matrices. */
    static double[] product(double[] a, double[] b) {
        double[] c = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                c[i * 3 + j] = a[i * 3] * b[j] + a[i * 3 + 1] * b[3 + j] + a[i * 3 + 2] * b[6 + j];
            }
        }
        return c;
    }

    /** {@code r · v}. */
    static double[] times(double[] r, double[] v) {
        return new double[]{r[0] * v[0] + r[1] * v[1] + r[2] * v[2], r[3] * v[0] + r[4] * v[1] + r[5] * v[2],
                r[6] * v[0] + r[7] * v[1] + r[8] * v[2]};
    }

    /** A copy of the sequence with every present joint rotated by {@code r} (about the origin). */
    public static float[] rotated(float[] data, int frames, int joints, int persons, double[] r) {
        float[] out = data.clone();
        int stride = frames * joints * persons;
        for (int x = 0; x < stride; x++) {
            double px = data[x];
            double py = data[x + stride];
            double pz = data[x + 2 * stride];
            if (px == 0 && py == 0 && pz == 0) {
                continue;
            }
            out[x] = (float) (r[0] * px + r[1] * py + r[2] * pz);
            out[x + stride] = (float) (r[3] * px + r[4] * py + r[5] * pz);
            out[x + 2 * stride] = (float) (r[6] * px + r[7] * py + r[8] * pz);
        }
        return out;
    }

    /**
     * Centred on the layout's centre joint ({@link CentredSource#centred}), then rotated into the body
     * frame; unrotated when no frame has the alignment joints.
     */
    public static float[] aligned(float[] data, int frames, int joints, int persons, SkeletonLayout layout) {
        SkeletonLayout.Alignment a = layout.requireAlignment("--normalize align");
        float[] centred = CentredSource.centred(data, frames, joints, persons, layout.center());
        double[] r = alignment(data, frames, joints, persons, a);
        return r == null ? centred : rotated(centred, frames, joints, persons, r);
    }

    /**
     * The mean length of {@code bone} (two joints) of person 1 over the frames where both are present,
     * or NaN when there is none.
     */
    public static double meanBoneLength(float[] data, int frames, int joints, int persons, int[] bone) {
        double sum = 0;
        int n = 0;
        for (int t = 0; t < frames; t++) {
            if (present(data, t, bone[0], 0, frames, joints, persons)
                    && present(data, t, bone[1], 0, frames, joints, persons)) {
                double[] d = bone(data, t, bone[0], bone[1], frames, joints, persons);
                sum += Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /**
     * Divided by the mean length of {@code bone} ({@link #meanBoneLength}); unchanged when the bone is
     * never present or has no length. Zeros stay zero.
     */
    public static float[] scaled(float[] data, int frames, int joints, int persons, int[] bone) {
        double length = meanBoneLength(data, frames, joints, persons, bone);
        if (!(length > 0)) {
            return data.clone();
        }
        float[] out = new float[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = (float) (data[i] / length);
        }
        return out;
    }
}
