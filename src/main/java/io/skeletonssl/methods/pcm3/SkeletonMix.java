package io.skeletonssl.methods.pcm3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.skeletonssl.layout.SkeletonLayout;
import io.skeletonssl.transforms.JointCorruption;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * PCM3's batch-level mixing view ({@code ske_swap}, spec §3.5): one random configuration per batch
 * pairs every clip i with clip (i + n) mod N and mixes them by CutMix, ResizeMix or Mixup.
 *
 * <p>Time is counted in units of 4 frames: a clip of T frames has U = T/4 units (T must be a multiple
 * of 4). The block length Ct is drawn from {ctMin..ctMax} units, which for T = 64 (U = 16) is the
 * official {7..11}; for other lengths the bounds scale with U (round(7U/16), round(11U/16), at least
 * 1, at most U). CutMix and ResizeMix use λ = Ct·|J| / (U·V), the official Ct·|J|/(16·25) on NTU.
 *
 * <p>Draw order (one {@link RandomGenerator} per batch): partner offset n, part count, the parts,
 * Ct, start unit s, p, and for Mixup λ.
 */
public final class SkeletonMix {

    /** The three mixing rules, chosen by p ~ U[0,1). */
    public enum Kind { CUTMIX, RESIZEMIX, MIXUP }

    static final int UNIT = 4;

    /**
     * One batch's mixing configuration.
     *
     * @param kind       which rule
     * @param batch      N
     * @param offset     n in [1, N−2]; partner(i) = (i + n) mod N
     * @param parts      indices of the chosen body parts, in draw order
     * @param joints     J: sorted union of the parts' joints
     * @param frames     T
     * @param startUnit  s in {0..U−Ct}
     * @param units      Ct
     * @param lambda     weight of the partner in the mixed key
     */
    public record Config(Kind kind, int batch, int offset, int[] parts, int[] joints, int frames, int startUnit,
                         int units, double lambda) {
        public Config {
            parts = parts.clone();
            joints = joints.clone();
        }

        @Override
        public int[] parts() {
            return parts.clone();
        }

        @Override
        public int[] joints() {
            return joints.clone();
        }

        public int partner(int i) {
            return (i + offset) % batch;
        }

        /** partner(i) for every i. */
        public int[] partners() {
            int[] p = new int[batch];
            for (int i = 0; i < batch; i++) {
                p[i] = partner(i);
            }
            return p;
        }

        /** First frame of the pasted block, 4s. */
        public int startFrame() {
            return UNIT * startUnit;
        }

        /** Length of the pasted block, 4·Ct frames. */
        public int blockFrames() {
            return UNIT * units;
        }

        /** ResizeMix: how many leading partner frames are squeezed into the block, min(2·4Ct, T). */
        public int resizeSourceFrames() {
            return Math.min(2 * blockFrames(), frames);
        }

        /** ResizeMix: the partner frame shown at block frame i (nearest: floor(i·L_in/L_out)). */
        public int resizeSource(int i) {
            return (int) ((long) i * resizeSourceFrames() / blockFrames());
        }

        /** The partner frame pasted at frame t, or −1 when frame t keeps the clip's own values (CutMix/ResizeMix). */
        int sourceFrame(int t) {
            int rel = t - startFrame();
            if (rel < 0 || rel >= blockFrames()) {
                return -1;
            }
            return kind == Kind.RESIZEMIX ? resizeSource(rel) : t;
        }
    }

    private final List<SkeletonLayout.BodyPart> bodyParts;
    private final int joints;
    private final int frames;
    private final int minParts;
    private final int maxParts;
    private final int minUnits;
    private final int maxUnits;

    private SkeletonMix(SkeletonLayout layout, int frames, int minParts, int maxParts, int minUnits, int maxUnits) {
        if (!layout.hasBodyParts()) {
            throw new IllegalArgumentException("layout '" + layout.name()
                    + "' has no body parts: PCM3's skeleton mixing needs body parts");
        }
        if (frames <= 0 || frames % UNIT != 0) {
            throw new IllegalArgumentException("skeleton mixing needs a clip length that is a positive multiple of "
                    + UNIT + " frames, got " + frames);
        }
        this.bodyParts = layout.bodyParts();
        if (bodyParts.size() < maxParts) {
            throw new IllegalArgumentException("layout '" + layout.name() + "' has " + bodyParts.size()
                    + " body parts; skeleton mixing draws up to " + maxParts + " distinct parts");
        }
        this.joints = layout.numJoints();
        this.frames = frames;
        this.minParts = minParts;
        this.maxParts = maxParts;
        int u = frames / UNIT;
        if (minParts < 1 || maxParts < minParts || minUnits < 1 || maxUnits < minUnits || maxUnits > u) {
            throw new IllegalArgumentException("skeleton mixing needs 1 <= parts min <= max and 1 <= units min <= max <= "
                    + u + " (the clip's 4-frame units), got parts " + minParts + ".." + maxParts + ", units "
                    + minUnits + ".." + maxUnits);
        }
        this.minUnits = minUnits;
        this.maxUnits = maxUnits;
    }

    /** The official configuration: 2 or 3 parts, Ct in {7..11} of 16 units for 64 frames (scaled for other T). */
    public static SkeletonMix pcm3(SkeletonLayout layout, int frames) {
        int u = frames / UNIT;
        int lo = Math.max(1, Math.min(u, (int) Math.round(7.0 * u / 16)));
        int hi = Math.max(lo, Math.min(u, (int) Math.round(11.0 * u / 16)));
        return new SkeletonMix(layout, frames, 2, 3, lo, hi);
    }

    /** Explicit ranges: {@code minParts..maxParts} body parts and {@code minUnits..maxUnits} 4-frame units. */
    public static SkeletonMix of(SkeletonLayout layout, int frames, int minParts, int maxParts, int minUnits,
                                 int maxUnits) {
        return new SkeletonMix(layout, frames, minParts, maxParts, minUnits, maxUnits);
    }

    public int minUnits() {
        return minUnits;
    }

    public int maxUnits() {
        return maxUnits;
    }

    /** Draws one batch configuration; the batch needs at least 3 clips (partner offsets 1..N−2). */
    public Config draw(int batch, RandomGenerator rng) {
        if (batch < 3) {
            throw new IllegalArgumentException("skeleton mixing needs a batch of at least 3 clips (partner offset"
                    + " in [1, N-2]), got " + batch);
        }
        int offset = 1 + rng.nextInt(batch - 2);
        int count = minParts + rng.nextInt(maxParts - minParts + 1);
        int[] parts = JointCorruption.chooseJoints(bodyParts.size(), count, rng);
        int[] jointSet = unionOf(parts);
        int units = minUnits + rng.nextInt(maxUnits - minUnits + 1);
        int totalUnits = frames / UNIT;
        int start = rng.nextInt(totalUnits - units + 1);
        double p = rng.nextDouble();
        Kind kind = p > 0.5 ? Kind.CUTMIX : p > 0.25 ? Kind.RESIZEMIX : Kind.MIXUP;
        double lambda = kind == Kind.MIXUP
                ? rng.nextDouble()
                : (double) units * jointSet.length / ((double) totalUnits * joints);
        return new Config(kind, batch, offset, parts, jointSet, frames, start, units, lambda);
    }

    private int[] unionOf(int[] parts) {
        boolean[] in = new boolean[joints];
        for (int part : parts) {
            for (int j : bodyParts.get(part).joints()) {
                in[j] = true;
            }
        }
        int n = 0;
        for (boolean b : in) {
            n += b ? 1 : 0;
        }
        int[] out = new int[n];
        for (int j = 0, k = 0; j < joints; j++) {
            if (in[j]) {
                out[k++] = j;
            }
        }
        return out;
    }

    /**
     * Mixes a host batch of N·3·T·V·M floats in (N, 3, T, V, M) order into a new array; the input
     * is not modified.
     */
    public float[] apply(float[] batch, int persons, Config c) {
        long expected = (long) c.batch() * 3 * frames * joints * persons;
        if (batch.length != expected) {
            throw new IllegalArgumentException("mixing batch has " + batch.length + " floats, expected N·3·T·V·M = "
                    + c.batch() + "·3·" + frames + "·" + joints + "·" + persons + " = " + expected);
        }
        int clip = 3 * frames * joints * persons;
        float[] out = batch.clone();
        float lambda = (float) c.lambda();
        for (int i = 0; i < c.batch(); i++) {
            int self = i * clip;
            int other = c.partner(i) * clip;
            if (c.kind() == Kind.MIXUP) {
                for (int e = 0; e < clip; e++) {
                    out[self + e] = (1 - lambda) * batch[self + e] + lambda * batch[other + e];
                }
                continue;
            }
            for (int ch = 0; ch < 3; ch++) {
                for (int t = 0; t < frames; t++) {
                    int src = c.sourceFrame(t);
                    if (src < 0) {
                        continue;
                    }
                    for (int v : c.joints) {
                        int to = self + ((ch * frames + t) * joints + v) * persons;
                        int from = other + ((ch * frames + src) * joints + v) * persons;
                        System.arraycopy(batch, from, out, to, persons);
                    }
                }
            }
        }
        return out;
    }

    /** Mixes an (N, 3, T, V, M) batch on the tensor engine (same result as the host version). */
    public NDArray apply(NDArray batch, Config c) {
        Shape s = batch.getShape();
        if (s.dimension() != 5 || s.get(0) != c.batch() || s.get(1) != 3 || s.get(2) != frames
                || s.get(3) != joints) {
            throw new IllegalArgumentException("mixing batch has shape " + s + ", expected (" + c.batch() + ", 3, "
                    + frames + ", " + joints + ", M)");
        }
        NDManager m = batch.getManager();
        NDArray partner = batch.get(m.create(c.partners()));
        if (c.kind() == Kind.MIXUP) {
            return batch.mul((float) (1 - c.lambda())).add(partner.mul((float) c.lambda()));
        }
        int[] timeIndex = new int[frames];
        boolean[] region = new boolean[frames * joints];
        for (int t = 0; t < frames; t++) {
            int src = c.sourceFrame(t);
            timeIndex[t] = src < 0 ? t : src;
            if (src >= 0) {
                for (int v : c.joints) {
                    region[t * joints + v] = true;
                }
            }
        }
        NDArray pasted = c.kind() == Kind.RESIZEMIX
                ? partner.get(new NDIndex(":, :, {}", m.create(timeIndex)))
                : partner;
        NDArray where = m.create(region, new Shape(1, 1, frames, joints, 1)).broadcast(s);
        return NDArrays.where(where, pasted, batch);
    }

    /**
     * The mixed key k_c = normalize((1 − λ)·k + λ·k[partner]) of (N, D) keys, without gradient (spec §3.5).
     */
    public static NDArray mixedKey(NDArray keys, Config c) {
        if (keys.getShape().dimension() != 2 || keys.getShape().get(0) != c.batch()) {
            throw new IllegalArgumentException("mixed key needs (" + c.batch() + ", D) keys, got "
                    + keys.getShape());
        }
        NDArray k = keys.stopGradient();
        NDArray partner = k.get(k.getManager().create(c.partners()));
        return Pcm3Losses.normalize(k.mul((float) (1 - c.lambda())).add(partner.mul((float) c.lambda())));
    }
}
