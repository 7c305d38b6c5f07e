package io.skeletonssl.eval.motion;

import io.skeletonssl.dataset.SkeletonDataset;
import io.skeletonssl.transforms.Clip;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Which clips of a split can serve motion prediction and where their windows lie. A clip is
 * used when its second (and any further) person is absent, all zeros over its valid frames, it
 * has at least {@code window} valid frames, and none of them is empty (person 1 all zeros: a lost
 * track, or a blank recording); the others are skipped and counted by reason. A training
 * window starts at a uniform position drawn per (seed, epoch, clip); a test window per (seed, clip),
 * so the test set is the same in every epoch and every run with that seed.
 */
public final class MotionWindows {

    /** The usable clips (split indices, ascending) and their valid frame counts; the skips by reason. */
    public record Selection(int[] clips, int[] validFrames, int twoPerson, int tooShort, int emptyFrames, int total) {
        public int size() {
            return clips.length;
        }
    }

    /** One window: clip (split index) and its first frame. */
    public record Window(int clip, int start) {
    }

    private static final long TEST_STREAM = 0x5DEECE66DL;

    private MotionWindows() {
    }

    /**
     * Scans {@code split}: a clip with an active second person counts as {@code twoPerson} (checked
     * first), then one with fewer than {@code window} valid frames as {@code tooShort}, then one
     * with an empty frame among its valid ones as {@code emptyFrames}.
     */
    public static Selection select(SkeletonDataset.ClipSplit split, int window) {
        List<Integer> kept = new ArrayList<>();
        int twoPerson = 0;
        int tooShort = 0;
        int empty = 0;
        float[] buf = new float[split.sampleSize()];
        for (int i = 0; i < split.size(); i++) {
            int valid = split.validFrames(i);
            split.read(i, buf, 0);
            if (othersActive(buf, split.frames(), split.joints(), split.persons(), valid)) {
                twoPerson++;
            } else if (valid < window) {
                tooShort++;
            } else if (hasEmptyFrame(buf, split.frames(), split.joints(), split.persons(), valid)) {
                empty++;
            } else {
                kept.add(i);
            }
        }
        int[] clips = kept.stream().mapToInt(Integer::intValue).toArray();
        int[] valid = new int[clips.length];
        for (int k = 0; k < clips.length; k++) {
            valid[k] = split.validFrames(clips[k]);
        }
        return new Selection(clips, valid, twoPerson, tooShort, empty, split.size());
    }

    /** Whether person 1 is all zeros in some frame among the first {@code valid}. */
    static boolean hasEmptyFrame(float[] data, int frames, int joints, int persons, int valid) {
        for (int t = 0; t < valid; t++) {
            boolean empty = true;
            for (int c = 0; c < Clip.CHANNELS && empty; c++) {
                for (int v = 0; v < joints; v++) {
                    if (data[((c * frames + t) * joints + v) * persons] != 0f) {
                        empty = false;
                        break;
                    }
                }
            }
            if (empty) {
                return true;
            }
        }
        return false;
    }

    /** Whether any person after the first has a non-zero coordinate in the first {@code valid} frames. */
    static boolean othersActive(float[] data, int frames, int joints, int persons, int valid) {
        for (int c = 0; c < Clip.CHANNELS; c++) {
            for (int t = 0; t < valid; t++) {
                for (int v = 0; v < joints; v++) {
                    int base = ((c * frames + t) * joints + v) * persons;
                    for (int m = 1; m < persons; m++) {
                        if (data[base + m] != 0f) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    /** The fixed test windows: one per selected clip, from (seed, clip index). */
    public static List<Window> test(Selection s, int window, long seed) {
        List<Window> out = new ArrayList<>(s.size());
        for (int k = 0; k < s.size(); k++) {
            SplittableRandom rng = new SplittableRandom(mix(seed ^ TEST_STREAM, -1, s.clips()[k]));
            out.add(new Window(s.clips()[k], rng.nextInt(s.validFrames()[k] - window + 1)));
        }
        return out;
    }

    /** The training windows of {@code epoch}: one per selected clip, from (seed, epoch, clip index). */
    public static List<Window> train(Selection s, int window, long seed, int epoch) {
        List<Window> out = new ArrayList<>(s.size());
        for (int k = 0; k < s.size(); k++) {
            SplittableRandom rng = new SplittableRandom(mix(seed, epoch, s.clips()[k]));
            out.add(new Window(s.clips()[k], rng.nextInt(s.validFrames()[k] - window + 1)));
        }
        return out;
    }

    private static long mix(long seed, int epoch, int clip) {
        return seed * 0x9E3779B97F4A7C15L + (epoch + 1L) * 0xBF58476D1CE4E5B9L + clip * 0x94D049BB133111EBL;
    }

    /**
     * Person 1's poses of frames {@code start..start+len-1} of a (3, T, V, M) clip, frame-major
     * ({@code [t][v][c]}, 3·V values a frame), multiplied by {@code scale} (metres per unit).
     */
    public static float[] poses(float[] data, int frames, int joints, int persons, int start, int len, double scale) {
        float[] out = new float[len * joints * 3];
        for (int t = 0; t < len; t++) {
            for (int v = 0; v < joints; v++) {
                for (int c = 0; c < Clip.CHANNELS; c++) {
                    out[(t * joints + v) * 3 + c] =
                            (float) (data[((c * frames + start + t) * joints + v) * persons] * scale);
                }
            }
        }
        return out;
    }

    /**
     * The encoder's view of a window: its first {@code observe} frames as a (3, observe, V, M) clip
     * in the dataset's units, person 1 only (every other person zero), all frames valid.
     */
    public static Clip observed(float[] data, int frames, int joints, int persons, int start, int observe) {
        float[] out = new float[Clip.CHANNELS * observe * joints * persons];
        for (int c = 0; c < Clip.CHANNELS; c++) {
            for (int t = 0; t < observe; t++) {
                for (int v = 0; v < joints; v++) {
                    out[((c * observe + t) * joints + v) * persons] = data[((c * frames + start + t) * joints + v) * persons];
                }
            }
        }
        return Clip.of(out, observe, joints, persons);
    }
}
