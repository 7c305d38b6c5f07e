package io.skeletonssl.methods.pcm3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.skeletonssl.layout.SkeletonLayout;
import io.skeletonssl.transforms.JointCorruption;

import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * PCM3's topology-based mask ({@code Jointmask3}, spec §3.6): the clip is cut into 8 equal clips of
 * T/8 frames; in each, int(P·0.6) distinct body parts (3 of NTU's 5) are hidden. One mask serves the
 * whole batch, and only person 1 (index 0) is ever masked: every other person stays visible.
 *
 * <p>Convention, as in the official code: mask value 1 = visible, 0 = masked. The masked input is
 * {@code x ⊙ mask}; the reconstruction loss counts the entries where the mask is 0.
 */
public final class TopologyMask {

    private final SkeletonLayout layout;
    private final int frames;
    private final int persons;
    private final int clips;
    private final int partsPerClip;

    private TopologyMask(SkeletonLayout layout, int frames, int persons, int clips, double ratio) {
        if (!layout.hasBodyParts()) {
            throw new IllegalArgumentException("layout '" + layout.name()
                    + "' has no body parts: topology masking needs body parts");
        }
        if (frames <= 0 || frames % clips != 0) {
            throw new IllegalArgumentException("topology masking cuts the clip into " + clips
                    + " equal clips: the clip length must be a positive multiple of " + clips + ", got " + frames);
        }
        if (persons <= 0) {
            throw new IllegalArgumentException("topology masking needs at least one person, got " + persons);
        }
        this.layout = layout;
        this.frames = frames;
        this.persons = persons;
        this.clips = clips;
        // int(5·0.6) = 3 as in the official code; at least one part.
        this.partsPerClip = Math.max(1, (int) (layout.bodyParts().size() * ratio));
    }

    /** The official configuration: ratio 0.6 of the parts, 8 clips. */
    public static TopologyMask pcm3(SkeletonLayout layout, int frames, int persons) {
        return new TopologyMask(layout, frames, persons, 8, 0.6);
    }

    /** {@code clips} equal clips, int(parts·ratio) parts hidden in each (at least one). */
    public static TopologyMask of(SkeletonLayout layout, int frames, int persons, int clips, double ratio) {
        if (clips <= 0 || !(ratio > 0 && ratio <= 1)) {
            throw new IllegalArgumentException("topology masking needs clips > 0 and a ratio in (0, 1], got "
                    + clips + " and " + ratio);
        }
        return new TopologyMask(layout, frames, persons, clips, ratio);
    }

    public int partsPerClip() {
        return partsPerClip;
    }

    public int clips() {
        return clips;
    }

    /** Draws one mask for a batch: per clip, {@link #partsPerClip()} distinct parts. */
    public Mask draw(RandomGenerator rng) {
        List<SkeletonLayout.BodyPart> parts = layout.bodyParts();
        int v = layout.numJoints();
        int clipLength = frames / clips;
        int[][] chosen = new int[clips][];
        boolean[] visible = new boolean[frames * v * persons];
        Arrays.fill(visible, true);
        for (int i = 0; i < clips; i++) {
            chosen[i] = JointCorruption.chooseJoints(parts.size(), partsPerClip, rng);
            for (int part : chosen[i]) {
                for (int j : parts.get(part).joints()) {
                    for (int t = i * clipLength; t < (i + 1) * clipLength; t++) {
                        visible[(t * v + j) * persons] = false;
                    }
                }
            }
        }
        return new Mask(frames, v, persons, chosen, visible);
    }

    /** One drawn mask of T frames, V joints and M persons, the same for every sample of the batch. */
    public static final class Mask {
        private final int frames;
        private final int joints;
        private final int persons;
        private final int[][] clipParts;
        private final boolean[] visible;

        Mask(int frames, int joints, int persons, int[][] clipParts, boolean[] visible) {
            this.frames = frames;
            this.joints = joints;
            this.persons = persons;
            this.clipParts = clipParts;
            this.visible = visible;
        }

        public int frames() {
            return frames;
        }

        public int joints() {
            return joints;
        }

        public int persons() {
            return persons;
        }

        /** The masked part indices of clip {@code i}. */
        public int[] clipParts(int i) {
            return clipParts[i].clone();
        }

        /** True when joint v of person m at frame t is visible (all three coordinates alike). */
        public boolean visible(int t, int v, int m) {
            return visible[(t * joints + v) * persons + m];
        }

        /** The mask in (3, T, V, M) order: index ((c·T + t)·V + v)·M + m; 1 visible, 0 masked. */
        public float[] channelsFirst() {
            int per = frames * joints * persons;
            float[] out = new float[3 * per];
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < per; i++) {
                    out[c * per + i] = visible[i] ? 1f : 0f;
                }
            }
            return out;
        }

        /**
         * The mask in the GRU's per-frame order (T, 3·V·M): index t·3VM + v·3M + c·M + m (spec §3.3);
         * 1 visible, 0 masked.
         */
        public float[] perFrame() {
            int row = 3 * joints * persons;
            float[] out = new float[frames * row];
            for (int t = 0; t < frames; t++) {
                for (int v = 0; v < joints; v++) {
                    for (int c = 0; c < 3; c++) {
                        for (int m = 0; m < persons; m++) {
                            out[t * row + v * 3 * persons + c * persons + m] = visible(t, v, m) ? 1f : 0f;
                        }
                    }
                }
            }
            return out;
        }

        /** The (1, 3, T, V, M) mask on the engine, broadcastable over a batch. */
        public NDArray toNDArray(NDManager manager) {
            return manager.create(channelsFirst(), new Shape(1, 3, frames, joints, persons));
        }

        /** The (1, T, 3·V·M) per-frame mask on the engine (see {@link #perFrame()}). */
        public NDArray perFrameNDArray(NDManager manager) {
            return manager.create(perFrame(), new Shape(1, frames, 3L * joints * persons));
        }

        /** A host batch (N, 3, T, V, M) with masked entries set to 0, as a new array. */
        public float[] applyTo(float[] batch) {
            float[] mask = channelsFirst();
            if (batch.length % mask.length != 0) {
                throw new IllegalArgumentException("masked batch has " + batch.length
                        + " floats, not a multiple of one clip's 3·T·V·M = " + mask.length);
            }
            float[] out = new float[batch.length];
            for (int i = 0; i < batch.length; i++) {
                out[i] = batch[i] * mask[i % mask.length];
            }
            return out;
        }
    }
}
