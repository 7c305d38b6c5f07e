package io.skeletonssl.formats.ntu;

import io.skeletonssl.dataset.BadSampleException;
import io.skeletonssl.dataset.Sample;
import io.skeletonssl.dataset.SampleMeta;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The NTU generator PCM3 uses (2s-AGCN style, shared with CMD and skeleton-contrast; spec §1.3):
 * <ol>
 *   <li>the first 4 bodies of each frame in file order fill slots 0–3 (slot = position within the
 *       frame, no bodyID tracking; frames without bodies stay zero), as doubles;</li>
 *   <li>energy(slot) = std(x) + std(y) + std(z), population std over all 25 joints of the frames in
 *       which the slot is non-zero (0 if none); the two highest-energy slots are kept, in
 *       descending energy (ties: the higher slot first, as numpy's stable argsort reversed);</li>
 *   <li>the two slots are written as float32 into a (2, maxFrames) array from frame 0, and
 *       {@link Pcm3PreNormalization} runs on it (loop padding, centring, two rotations).</li>
 * </ol>
 * Output: (C=3, T=maxFrames, V=25, M=2), validFrames = the header's frame count F (the official
 * {@code num_frame}, counting frames without bodies) clamped to maxFrames. A file longer than
 * maxFrames keeps its first maxFrames frames (the official generator would fail); the energies are
 * still computed over the whole file.
 */
public final class Pcm3NtuPipeline implements NtuPipeline {

    /** Bodies read per frame (max_body_kinect). */
    public static final int SLOTS = 4;
    /** Bodies kept (max_body_true). */
    public static final int PERSONS = 2;
    /** The official max_frame. */
    public static final int DEFAULT_MAX_FRAMES = 300;

    static final int JOINTS = NtuSkeletonFile.JOINTS;
    static final int FRAME_WIDTH = JOINTS * 3;

    private final int maxFrames;

    public Pcm3NtuPipeline() {
        this(DEFAULT_MAX_FRAMES);
    }

    public Pcm3NtuPipeline(int maxFrames) {
        if (maxFrames < 1) {
            throw new IllegalArgumentException("maxFrames must be positive, got " + maxFrames);
        }
        this.maxFrames = maxFrames;
    }

    public int maxFrames() {
        return maxFrames;
    }

    @Override
    public String id() {
        return "pcm3";
    }

    @Override
    public Map<String, Object> options() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("pipeline", id());
        o.put("maxFrames", maxFrames);
        return o;
    }

    @Override
    public Sample process(NtuSkeletonFile file, SampleMeta meta, int label) throws BadSampleException {
        int frames = file.frameCount();
        if (file.framesWithBodies() == 0) {
            throw new BadSampleException(meta.name(), "no skeleton in any frame (" + frames + " frames)");
        }
        double[][] slots = slots(file);
        int[] chosen = selectByEnergy(slots, frames);
        int keep = Math.min(frames, maxFrames);
        float[] s = new float[PERSONS * maxFrames * FRAME_WIDTH];
        for (int m = 0; m < PERSONS; m++) {
            double[] src = slots[chosen[m]];
            int base = m * maxFrames * FRAME_WIDTH;
            for (int i = 0; i < keep * FRAME_WIDTH; i++) {
                s[base + i] = (float) src[i];
            }
        }
        Pcm3PreNormalization.apply(s, PERSONS, maxFrames, JOINTS);
        return new Sample(toCtvm(s, PERSONS, maxFrames, JOINTS), maxFrames, JOINTS, PERSONS, keep, label, meta);
    }

    /** read_xyz: slot k of frame t = the k-th body of frame t (k &lt; 4); (4, F·75) doubles. */
    static double[][] slots(NtuSkeletonFile file) {
        int frames = file.frameCount();
        double[][] slots = new double[SLOTS][frames * FRAME_WIDTH];
        for (int t = 0; t < frames; t++) {
            int n = Math.min(file.bodyCount(t), SLOTS);
            for (int k = 0; k < n; k++) {
                System.arraycopy(file.body(t, k).xyzArray(), 0, slots[k], t * FRAME_WIDTH, FRAME_WIDTH);
            }
        }
        return slots;
    }

    /** get_nonzero_std: Σ_c std of coordinate c over the joints of the slot's non-zero frames. */
    static double energy(double[] slot, int frames) {
        boolean[] used = new boolean[frames];
        long n = 0;
        for (int t = 0; t < frames; t++) {
            for (int i = t * FRAME_WIDTH; i < (t + 1) * FRAME_WIDTH && !used[t]; i++) {
                used[t] = slot[i] != 0;
            }
            if (used[t]) {
                n += JOINTS;
            }
        }
        if (n == 0) {
            return 0;
        }
        double energy = 0;
        for (int c = 0; c < 3; c++) {
            double sum = 0;
            for (int t = 0; t < frames; t++) {
                if (used[t]) {
                    for (int v = 0; v < JOINTS; v++) {
                        sum += slot[t * FRAME_WIDTH + v * 3 + c];
                    }
                }
            }
            double mean = sum / n;
            double sq = 0;
            for (int t = 0; t < frames; t++) {
                if (used[t]) {
                    for (int v = 0; v < JOINTS; v++) {
                        double d = slot[t * FRAME_WIDTH + v * 3 + c] - mean;
                        sq += d * d;
                    }
                }
            }
            energy += Math.sqrt(sq / n);
        }
        return energy;
    }

    /**
     * {@code energy.argsort()[::-1][0:2]}: indices by descending energy; numpy sorts 4 values by
     * insertion (stable), so after the reversal equal energies come out highest index first.
     */
    static int[] selectByEnergy(double[][] slots, int frames) {
        int n = slots.length;
        double[] e = new double[n];
        Integer[] order = new Integer[n];
        for (int k = 0; k < n; k++) {
            e[k] = energy(slots[k], frames);
            order[k] = k;
        }
        java.util.Arrays.sort(order, (a, b) -> e[a] != e[b] ? Double.compare(e[b], e[a]) : Integer.compare(b, a));
        return new int[]{order[0], order[1]};
    }

    /** (M, T, V, C) → (C, T, V, M). */
    static float[] toCtvm(float[] mtvc, int persons, int frames, int joints) {
        float[] out = new float[mtvc.length];
        for (int m = 0; m < persons; m++) {
            for (int t = 0; t < frames; t++) {
                for (int v = 0; v < joints; v++) {
                    int src = ((m * frames + t) * joints + v) * 3;
                    for (int c = 0; c < 3; c++) {
                        out[((c * frames + t) * joints + v) * persons + m] = mtvc[src + c];
                    }
                }
            }
        }
        return out;
    }
}
