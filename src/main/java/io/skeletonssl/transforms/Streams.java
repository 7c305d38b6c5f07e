package io.skeletonssl.transforms;

import io.skeletonssl.layout.SkeletonLayout;

/**
 * The bone and motion input streams.
 *
 * <p>Bone: joint j becomes x[j] − x[parent(j)] with the layout's pairs (NTU: spec §0.2, joint 21
 * is its own parent so its bone is 0; the hand chain is tip → thumb → hand). Same in MAMP's
 * feeder ({@code bone}) and PCM3's {@code view_gen}.
 *
 * <p>Motion: D[t] = X[t+1] − X[t] for t &lt; T−1 and D[T−1] = 0. MAMP's motion target
 * ({@code extract_motion}, stride 1) and velocity option and PCM3's motion stream
 * ({@code view_gen}: {@code motion[:, :, :-1] = x[:, :, 1:] − x[:, :, :-1]}) all use exactly this,
 * on the resized window, so one definition serves both. Applied to a clip with padding it takes
 * the array as it is (the last valid frame gets 0 − X[L−1]); the official code only ever applies
 * it to fully valid windows.
 */
public final class Streams {

    private Streams() {
    }

    public static Clip bone(Clip clip, SkeletonLayout layout) {
        if (layout.numJoints() != clip.joints()) {
            throw new IllegalArgumentException("layout " + layout.name() + " has " + layout.numJoints()
                    + " joints but the clip has " + clip.joints());
        }
        return bone(clip, layout.boneParents());
    }

    /** x[j] − x[parents[j]] for every joint (a self-parent gives 0). */
    public static Clip bone(Clip clip, int[] parents) {
        int v = clip.joints();
        if (parents.length != v) {
            throw new IllegalArgumentException("parents has " + parents.length + " entries, clip has " + v + " joints");
        }
        int m = clip.persons();
        float[] in = clip.data();
        float[] out = new float[in.length];
        int rows = Clip.CHANNELS * clip.frames();
        for (int r = 0; r < rows; r++) {
            int base = r * v * m;
            for (int j = 0; j < v; j++) {
                int p = parents[j];
                if (p < 0 || p >= v) {
                    throw new IllegalArgumentException("parent of joint " + j + " is " + p + ", outside 0.." + (v - 1));
                }
                for (int k = 0; k < m; k++) {
                    out[base + j * m + k] = in[base + j * m + k] - in[base + p * m + k];
                }
            }
        }
        return clip.withData(out);
    }

    /** D[t] = X[t+1] − X[t], D[T−1] = 0. */
    public static Clip motion(Clip clip) {
        int t = clip.frames();
        int vm = clip.joints() * clip.persons();
        float[] in = clip.data();
        float[] out = new float[in.length];
        for (int c = 0; c < Clip.CHANNELS; c++) {
            for (int f = 0; f + 1 < t; f++) {
                int now = (c * t + f) * vm;
                int next = now + vm;
                for (int k = 0; k < vm; k++) {
                    out[now + k] = in[next + k] - in[now + k];
                }
            }
        }
        return clip.withData(out);
    }

    public static Transform boneStream(SkeletonLayout layout) {
        int[] parents = layout.boneParents();
        return (clip, rng) -> bone(clip, parents);
    }

    public static Transform motionStream() {
        return (clip, rng) -> motion(clip);
    }
}
