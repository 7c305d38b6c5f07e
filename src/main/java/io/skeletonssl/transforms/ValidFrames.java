package io.skeletonssl.transforms;

/**
 * MAMP's valid frame count ({@code feeder_ntu.py}: {@code np.sum(x.sum(0).sum(-1).sum(-1) != 0)}):
 * the number of frames t whose values, summed over channels, joints and persons, are not 0.
 *
 * <p>It is a count, not a last index: the crop that uses it always starts at frame 0, even when
 * empty frames sit in the middle. A frame whose values cancel to exactly 0 in float32 counts as
 * empty, as in the official code. To make that cancellation agree bit for bit, the sum follows
 * NumPy's float32 order for the official (T, 2, 25, 3)→(3, T, 25, 2) array: first the three
 * channels in order, then the persons in order, then the joints by NumPy's pairwise summation
 * (eight running partial sums, combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)), then the
 * remainder; blocks over 128 split in halves). Checked against NumPy 2.4 on random data.
 */
public final class ValidFrames {

    private ValidFrames() {
    }

    /** Number of frames of the (3, T, V, M) array whose value sum is not zero. */
    public static int count(float[] data, int frames, int joints, int persons) {
        checkShape(data, frames, joints, persons);
        float[] perJoint = new float[joints];
        int count = 0;
        for (int t = 0; t < frames; t++) {
            if (frameSum(data, t, frames, joints, persons, perJoint) != 0f) {
                count++;
            }
        }
        return count;
    }

    public static int count(Clip clip) {
        return count(clip.data(), clip.frames(), clip.joints(), clip.persons());
    }

    /** The float32 value sum of frame {@code t}, in NumPy's order (see the class comment). */
    public static float frameSum(float[] data, int t, int frames, int joints, int persons) {
        checkShape(data, frames, joints, persons);
        if (t < 0 || t >= frames) {
            throw new IndexOutOfBoundsException("frame " + t + " outside 0.." + (frames - 1));
        }
        return frameSum(data, t, frames, joints, persons, new float[joints]);
    }

    /** A step that sets the clip's valid frame count to {@link #count(Clip)} (MAMP recomputes it from the data). */
    public static Transform recount() {
        return (clip, rng) -> clip.withValidFrames(count(clip));
    }

    private static float frameSum(float[] x, int t, int frames, int joints, int persons, float[] perJoint) {
        int plane = frames * joints * persons;
        for (int v = 0; v < joints; v++) {
            float overPersons = 0f;
            for (int m = 0; m < persons; m++) {
                int i = (t * joints + v) * persons + m;
                float overChannels = 0f;
                for (int c = 0; c < Clip.CHANNELS; c++) {
                    overChannels += x[c * plane + i];
                }
                overPersons += overChannels;
            }
            perJoint[v] = overPersons;
        }
        return pairwiseSum(perJoint, 0, joints);
    }

    /** NumPy's {@code pairwise_sum} for float32 (numpy/_core/src/umath/loops_utils.h). */
    static float pairwiseSum(float[] a, int from, int n) {
        if (n < 8) {
            float res = 0f;
            for (int i = 0; i < n; i++) {
                res += a[from + i];
            }
            return res;
        } else if (n <= 128) {
            float[] r = new float[8];
            System.arraycopy(a, from, r, 0, 8);
            int i;
            for (i = 8; i < n - (n % 8); i += 8) {
                for (int j = 0; j < 8; j++) {
                    r[j] += a[from + i + j];
                }
            }
            float res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) {
                res += a[from + i];
            }
            return res;
        } else {
            int n2 = n / 2;
            n2 -= n2 % 8;
            return pairwiseSum(a, from, n2) + pairwiseSum(a, from + n2, n - n2);
        }
    }

    private static void checkShape(float[] data, int frames, int joints, int persons) {
        if (frames < 0 || joints <= 0 || persons <= 0
                || (long) Clip.CHANNELS * frames * joints * persons != data.length) {
            throw new IllegalArgumentException("array of " + data.length + " values is not (3, " + frames + ", "
                    + joints + ", " + persons + ")");
        }
    }
}
