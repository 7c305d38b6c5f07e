package io.skeletonssl.eval;

import io.skeletonssl.dataset.Sample;
import io.skeletonssl.layout.SkeletonLayout;
import io.skeletonssl.transforms.JointCorruption;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Occluded-skeleton masks for the occlusion protocol (PCM3 Table 4, following RA-GCN; issue 5):
 * per sample a severity r ~ U[0.3, 0.7];
 * <ul>
 *   <li>spatial: max(1, round(P·r)) of the layout's P body parts (5 for NTU) are zeroed in every
 *       frame, for every person;</li>
 *   <li>temporal: one contiguous block of round(r·T) frames (at least 1) at a uniform start is zeroed.</li>
 * </ul>
 * Rounding is half up ({@link Math#round}). {@link #forSample} derives a sample's mask from a seed and
 * the sample's index only, so test masks are fixed across runs and encoders.
 */
public final class Occlusion {

    public static final double MIN_SEVERITY = 0.3;
    public static final double MAX_SEVERITY = 0.7;

    public enum Kind { SPATIAL, TEMPORAL }

    /**
     * One sample's occlusion: its severity, the hidden body parts (spatial) or the hidden frames
     * [start, start + length) (temporal).
     */
    public record Mask(Kind kind, double severity, int[] parts, int start, int length) {
        public Mask {
            parts = parts.clone();
        }

        @Override
        public int[] parts() {
            return parts.clone();
        }
    }

    private Occlusion() {
    }

    public static Mask draw(Kind kind, SkeletonLayout layout, int frames, RandomGenerator rng) {
        double r = MIN_SEVERITY + (MAX_SEVERITY - MIN_SEVERITY) * rng.nextDouble();
        if (kind == Kind.SPATIAL) {
            int total = layout.bodyParts().size();
            if (total == 0) {
                throw new IllegalArgumentException("layout '" + layout.name()
                        + "' has no body parts: spatial occlusion hides body parts");
            }
            int count = Math.min(total, Math.max(1, (int) Math.round(total * r)));
            int[] parts = JointCorruption.chooseJoints(total, count, rng);
            Arrays.sort(parts);
            return new Mask(kind, r, parts, 0, 0);
        }
        if (frames <= 0) {
            throw new IllegalArgumentException("temporal occlusion needs a clip with frames, got " + frames);
        }
        int length = Math.min(frames, Math.max(1, (int) Math.round(r * frames)));
        int start = rng.nextInt(frames - length + 1);
        return new Mask(kind, r, new int[0], start, length);
    }

    /** The fixed mask of test sample {@code index} under {@code seed}. */
    public static Mask forSample(Kind kind, SkeletonLayout layout, int frames, long seed, int index) {
        return draw(kind, layout, frames, new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index));
    }

    /** A copy of clip data (3, T, V, M) with the masked joints or frames set to 0. */
    public static float[] apply(float[] data, int frames, int joints, int persons, Mask mask, SkeletonLayout layout) {
        if ((long) Sample.CHANNELS * frames * joints * persons != data.length) {
            throw new IllegalArgumentException("clip has " + data.length + " values, expected 3·" + frames + "·"
                    + joints + "·" + persons);
        }
        float[] out = data.clone();
        boolean[] hiddenJoint = new boolean[joints];
        boolean[] hiddenFrame = new boolean[frames];
        if (mask.kind() == Kind.SPATIAL) {
            if (layout.numJoints() != joints) {
                throw new IllegalArgumentException("layout '" + layout.name() + "' has " + layout.numJoints()
                        + " joints but the clip has " + joints);
            }
            for (int p : mask.parts()) {
                for (int j : layout.bodyParts().get(p).joints()) {
                    hiddenJoint[j] = true;
                }
            }
            Arrays.fill(hiddenFrame, true);
        } else {
            if (mask.start() + mask.length() > frames) {
                throw new IllegalArgumentException("temporal occlusion [" + mask.start() + ", "
                        + (mask.start() + mask.length()) + ") does not fit a clip of " + frames + " frames");
            }
            Arrays.fill(hiddenJoint, true);
            Arrays.fill(hiddenFrame, mask.start(), mask.start() + mask.length(), true);
        }
        for (int c = 0; c < Sample.CHANNELS; c++) {
            for (int t = 0; t < frames; t++) {
                if (!hiddenFrame[t]) {
                    continue;
                }
                for (int v = 0; v < joints; v++) {
                    if (hiddenJoint[v]) {
                        int base = Sample.index(c, t, v, 0, frames, joints, persons);
                        Arrays.fill(out, base, base + persons, 0f);
                    }
                }
            }
        }
        return out;
    }
}
