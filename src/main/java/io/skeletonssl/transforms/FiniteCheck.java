package io.skeletonssl.transforms;

import java.util.random.RandomGenerator;

/**
 * Rejects a clip holding NaN or ±Inf, naming the first bad value's (c, t, v, m). Placed first in
 * the named pipelines so that a corrupt sample is skipped and reported by the loader instead of
 * poisoning a batch (the official code would pass such values on).
 */
public final class FiniteCheck implements Transform {

    public static final FiniteCheck INSTANCE = new FiniteCheck();

    private FiniteCheck() {
    }

    @Override
    public Clip apply(Clip clip, RandomGenerator rng) {
        requireFinite(clip);
        return clip;
    }

    public static void requireFinite(Clip clip) {
        float[] d = clip.data();
        for (int i = 0; i < d.length; i++) {
            if (!Float.isFinite(d[i])) {
                int m = i % clip.persons();
                int rest = i / clip.persons();
                int v = rest % clip.joints();
                rest /= clip.joints();
                int t = rest % Math.max(clip.frames(), 1);
                int c = rest / Math.max(clip.frames(), 1);
                throw new IllegalArgumentException("non-finite value " + d[i] + " at channel " + c + ", frame " + t
                        + ", joint " + v + ", person " + m + " (expected finite coordinates)");
            }
        }
    }

    @Override
    public String toString() {
        return "FiniteCheck";
    }
}
