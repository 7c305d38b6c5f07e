package io.skeletonssl.formats.ntu;

import io.skeletonssl.dataset.BadSampleException;
import io.skeletonssl.dataset.Sample;
import io.skeletonssl.dataset.SampleMeta;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The NTU pre-processing MAMP uses (copied from CTR-GCN / SGN; spec §1.1 steps A–C), one file at a
 * time:
 * <ol>
 *   <li>A: frames without bodies are dropped; bodies are grouped by bodyID over the remaining
 *       ("valid") frames. A body's interval starts at its first valid frame and is as long as the
 *       number of its appearances, even if they are not contiguous (official quirk).</li>
 *   <li>B (only with ≥ 2 bodyIDs): motion = Σ_xyz Var(all joints of all its frames); drop bodies
 *       seen in ≤ 11 frames; while more than one body remains, drop a body whose share of frames
 *       with x-spread &gt; 0.8·y-spread is ≥ 0.69754, else lower its motion to the motion of its
 *       spread-valid frames when smaller; sort by motion (descending, stable). Actor 1 = the first;
 *       every further body joins actor 1 if its interval does not overlap actor 1's union interval
 *       ({@code min(ends) − max(starts) ≤ 0}, so touching intervals do not overlap), else actor 2
 *       if it does not overlap actor 2's union interval (which starts as the virtual [0, 0] and so
 *       always starts at frame 0), else it is discarded. Rows where every value is zero are then
 *       deleted (remove_missing_frames).</li>
 *   <li>C: the SpineMid (joint 2) of actor 1 in the first row where actor 1 is non-zero is
 *       subtracted from every joint of both actors in every row; rows where an actor was missing
 *       are reset to zero for that actor. A single-actor result gets zeros or a copy of actor 1
 *       as second actor ({@link SecondActor}).</li>
 * </ol>
 * Output: (C=3, T, V=25, M=2) with T = the rows left after step B (never padded here; the dataset
 * writer pads to 300 with zeros like {@code align_frames}), validFrames = T. In the official array
 * every row is non-zero at this point, so T also equals the MAMP feeder's {@code valid_frame_num}
 * (count of frames whose values do not sum to 0).
 *
 * <p>Numerics: joints are float32 as in the official script (text → double → float32); the
 * translation is float32 arithmetic like numpy's; motion and variances are computed in double from
 * the float32 values (numpy accumulates in float32), which only matters for near-ties between
 * motions. The spread test compares the float32 ranges in double, as NumPy 1.x does for
 * {@code float32 <= 0.8 * float32}. "Row is missing" is tested as "every value is 0" where the
 * official code tests "values sum to 0"; the two differ only if non-zero coordinates cancel exactly.
 */
public final class MampNtuPipeline implements NtuPipeline {

    /** Bodies seen in at most this many frames are noise (noise_len_thres). */
    public static final int NOISE_LENGTH = 11;
    /** A frame is spread-valid if x-range ≤ this · y-range (noise_spr_thres1). */
    public static final double SPREAD_RATIO = 0.8;
    /** A body with at least this share of spread-invalid frames is noise (noise_spr_thres2). */
    public static final double NOISE_SPREAD_RATE = 0.69754;

    static final int JOINTS = NtuSkeletonFile.JOINTS;
    static final int ACTOR_WIDTH = JOINTS * 3;

    private final SecondActor secondActor;

    public MampNtuPipeline(SecondActor secondActor) {
        this.secondActor = java.util.Objects.requireNonNull(secondActor, "secondActor");
    }

    public SecondActor secondActor() {
        return secondActor;
    }

    @Override
    public String id() {
        return "mamp";
    }

    @Override
    public Map<String, Object> options() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("pipeline", id());
        o.put("secondActor", secondActor.id());
        return o;
    }

    @Override
    public Sample process(NtuSkeletonFile file, SampleMeta meta, int label) throws BadSampleException {
        Actors actors = actors(file, meta.name());
        translate(actors, meta.name());
        return toSample(actors, secondActor, meta, label);
    }

    /** One bodyID over the valid frames: its stacked joints and its (quirky) interval. */
    static final class Track {
        final String bodyId;
        final int start;
        int count;
        float[] joints;
        double motion;

        Track(String bodyId, int start) {
            this.bodyId = bodyId;
            this.start = start;
            this.joints = new float[ACTOR_WIDTH * 16];
        }

        void add(double[] xyz) {
            if ((count + 1) * ACTOR_WIDTH > joints.length) {
                joints = java.util.Arrays.copyOf(joints, joints.length * 2);
            }
            int o = count * ACTOR_WIDTH;
            for (int i = 0; i < ACTOR_WIDTH; i++) {
                joints[o + i] = (float) xyz[i];
            }
            count++;
        }

        /** Last row of the interval (inclusive): first appearance + appearances − 1. */
        int end() {
            return start + count - 1;
        }
    }

    /** Step A: the tracks in order of first appearance and the number of valid frames. */
    record Grouped(int validFrames, List<Track> tracks) {
    }

    /** Rows × (75·actors) float32 values, actor-major per row, as the official (T, 75|150) array. */
    static final class Actors {
        final int actors;
        int rows;
        float[] data;

        Actors(int rows, int actors) {
            this.rows = rows;
            this.actors = actors;
            this.data = new float[rows * width()];
        }

        int width() {
            return actors * ACTOR_WIDTH;
        }

        float get(int row, int actor, int joint, int axis) {
            return data[row * width() + actor * ACTOR_WIDTH + joint * 3 + axis];
        }

        boolean actorMissing(int row, int actor) {
            int o = row * width() + actor * ACTOR_WIDTH;
            for (int i = 0; i < ACTOR_WIDTH; i++) {
                if (data[o + i] != 0f) {
                    return false;
                }
            }
            return true;
        }
    }

    static Grouped group(NtuSkeletonFile file) {
        Map<String, Track> tracks = new LinkedHashMap<>();
        int valid = 0;
        for (int f = 0; f < file.frameCount(); f++) {
            int bodies = file.bodyCount(f);
            if (bodies == 0) {
                continue;
            }
            for (int k = 0; k < bodies; k++) {
                NtuSkeletonFile.Body b = file.body(f, k);
                Track t = tracks.get(b.bodyId());
                if (t == null) {
                    t = new Track(b.bodyId(), valid);
                    tracks.put(b.bodyId(), t);
                }
                t.add(b.xyzArray());
            }
            valid++;
        }
        return new Grouped(valid, new ArrayList<>(tracks.values()));
    }

    /** Steps A and B: grouping, denoising, actor assembly, remove_missing_frames. */
    static Actors actors(NtuSkeletonFile file, String name) throws BadSampleException {
        Grouped g = group(file);
        if (g.validFrames() == 0) {
            throw new BadSampleException(name, "no skeleton in any frame (" + file.frameCount() + " frames)");
        }
        List<Track> tracks = g.tracks();
        if (tracks.size() == 1) {
            return oneActor(tracks.get(0), g.validFrames(), name);
        }
        for (Track t : tracks) {
            t.motion = motion(t.joints, 0, t.count, null);
        }
        List<Track> kept = denoise(tracks);
        if (kept.isEmpty()) {
            throw new BadSampleException(name, "denoising left no body: each of the " + tracks.size()
                    + " bodyIDs appears in at most " + NOISE_LENGTH + " frames (the official script fails here)");
        }
        Actors a = kept.size() == 1 ? oneActor(kept.get(0), g.validFrames(), name)
                : twoActors(kept, g.validFrames(), name);
        removeMissingFrames(a);
        return a;
    }

    /** Length filter, spread filter, motion order (get_raw_denoised_data.denoising_bodies_data). */
    static List<Track> denoise(List<Track> tracks) {
        List<Track> kept = new ArrayList<>();
        for (Track t : tracks) {
            if (t.count > NOISE_LENGTH) {
                kept.add(t);
            }
        }
        if (kept.size() == 1) {
            return kept;
        }
        for (Track t : List.copyOf(kept)) {
            if (kept.size() == 1) {
                break;
            }
            boolean[] valid = new boolean[t.count];
            int noise = 0;
            for (int f = 0; f < t.count; f++) {
                valid[f] = spreadValid(t.joints, f);
                if (!valid[f]) {
                    noise++;
                }
            }
            if (noise == 0) {
                continue;
            }
            double rate = noise / (double) t.count;
            if (rate >= NOISE_SPREAD_RATE) {
                kept.remove(t);
            } else {
                t.motion = Math.min(t.motion, motion(t.joints, 0, t.count, valid));
            }
        }
        if (kept.size() <= 1) {
            return kept;
        }
        kept.sort(Comparator.comparingDouble((Track t) -> t.motion).reversed());
        return kept;
    }

    /** x-range ≤ 0.8 · y-range over the 25 joints of frame {@code f} of a body. */
    static boolean spreadValid(float[] joints, int f) {
        int o = f * ACTOR_WIDTH;
        float xmin = Float.POSITIVE_INFINITY;
        float xmax = Float.NEGATIVE_INFINITY;
        float ymin = Float.POSITIVE_INFINITY;
        float ymax = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < JOINTS; j++) {
            float x = joints[o + j * 3];
            float y = joints[o + j * 3 + 1];
            xmin = Math.min(xmin, x);
            xmax = Math.max(xmax, x);
            ymin = Math.min(ymin, y);
            ymax = Math.max(ymax, y);
        }
        float dx = xmax - xmin;
        float dy = ymax - ymin;
        return dx <= SPREAD_RATIO * dy;
    }

    /**
     * Σ over x, y, z of the population variance of that coordinate over all joints of the frames
     * {@code [from, from+count)} (only those with {@code valid[f]} when given).
     */
    static double motion(float[] joints, int from, int count, boolean[] valid) {
        double total = 0;
        for (int c = 0; c < 3; c++) {
            double sum = 0;
            long n = 0;
            for (int f = from; f < from + count; f++) {
                if (valid != null && !valid[f - from]) {
                    continue;
                }
                for (int j = 0; j < JOINTS; j++) {
                    sum += joints[f * ACTOR_WIDTH + j * 3 + c];
                    n++;
                }
            }
            if (n == 0) {
                return Double.NaN;
            }
            double mean = sum / n;
            double sq = 0;
            for (int f = from; f < from + count; f++) {
                if (valid != null && !valid[f - from]) {
                    continue;
                }
                for (int j = 0; j < JOINTS; j++) {
                    double d = joints[f * ACTOR_WIDTH + j * 3 + c] - mean;
                    sq += d * d;
                }
            }
            total += sq / n;
        }
        return total;
    }

    /** get_one_actor_points: the body at rows interval[0]..interval[-1] of a (F', 75) array. */
    static Actors oneActor(Track t, int validFrames, String name) throws BadSampleException {
        Actors a = new Actors(validFrames, 1);
        place(a, t, 0, name);
        return a;
    }

    /** get_two_actors_points after denoising: actor assembly by interval overlap. */
    static Actors twoActors(List<Track> byMotion, int validFrames, String name) throws BadSampleException {
        Actors a = new Actors(validFrames, 2);
        Track first = byMotion.get(0);
        place(a, first, 0, name);
        int start1 = first.start;
        int end1 = first.end();
        int start2 = 0;
        int end2 = 0;
        for (Track t : byMotion.subList(1, byMotion.size())) {
            int start = t.start;
            int end = t.end();
            if (Math.min(end1, end) - Math.max(start1, start) <= 0) {
                place(a, t, 0, name);
                start1 = Math.min(start, start1);
                end1 = Math.max(end, end1);
            } else if (Math.min(end2, end) - Math.max(start2, start) <= 0) {
                place(a, t, 1, name);
                start2 = Math.min(start, start2);
                end2 = Math.max(end, end2);
            }
        }
        return a;
    }

    private static void place(Actors a, Track t, int actor, String name) throws BadSampleException {
        if (t.end() >= a.rows) {
            // numpy fails here too (shape mismatch): the bodyID occurs twice within some frame.
            throw new BadSampleException(name, "bodyID " + t.bodyId + " has " + t.count
                    + " frame entries from valid frame " + t.start + " but only " + a.rows
                    + " valid frames exist (a bodyID repeated within a frame)");
        }
        int w = a.width();
        for (int r = 0; r < t.count; r++) {
            System.arraycopy(t.joints, r * ACTOR_WIDTH, a.data, (t.start + r) * w + actor * ACTOR_WIDTH,
                    ACTOR_WIDTH);
        }
    }

    /** remove_missing_frames: deletes rows in which every value is zero. */
    static void removeMissingFrames(Actors a) {
        int w = a.width();
        int out = 0;
        for (int r = 0; r < a.rows; r++) {
            boolean empty = true;
            for (int i = 0; i < w && empty; i++) {
                empty = a.data[r * w + i] == 0f;
            }
            if (!empty) {
                if (out != r) {
                    System.arraycopy(a.data, r * w, a.data, out * w, w);
                }
                out++;
            }
        }
        if (out != a.rows) {
            a.data = java.util.Arrays.copyOf(a.data, out * w);
            a.rows = out;
        }
    }

    /** seq_translation: SpineMid of actor 1 in its first non-zero row becomes the origin. */
    static void translate(Actors a, String name) throws BadSampleException {
        int w = a.width();
        boolean[][] missing = new boolean[a.actors][a.rows];
        if (a.actors == 2) {
            for (int r = 0; r < a.rows; r++) {
                missing[0][r] = a.actorMissing(r, 0);
                missing[1][r] = a.actorMissing(r, 1);
            }
        }
        int first = 0;
        while (first < a.rows && a.actorMissing(first, 0)) {
            first++;
        }
        if (first == a.rows) {
            throw new BadSampleException(name, "actor 1 is zero in every frame, no origin for the translation");
        }
        float ox = a.get(first, 0, 1, 0);
        float oy = a.get(first, 0, 1, 1);
        float oz = a.get(first, 0, 1, 2);
        for (int r = 0; r < a.rows; r++) {
            for (int i = r * w; i < (r + 1) * w; i += 3) {
                a.data[i] -= ox;
                a.data[i + 1] -= oy;
                a.data[i + 2] -= oz;
            }
        }
        if (a.actors == 2) {
            for (int m = 0; m < 2; m++) {
                for (int r = 0; r < a.rows; r++) {
                    if (missing[m][r]) {
                        java.util.Arrays.fill(a.data, r * w + m * ACTOR_WIDTH, r * w + (m + 1) * ACTOR_WIDTH, 0f);
                    }
                }
            }
        }
    }

    /** (rows, 75·actors) → (C, T, V, M=2); the second slot of a one-actor result per {@code second}. */
    static Sample toSample(Actors a, SecondActor second, SampleMeta meta, int label) {
        int t = a.rows;
        float[] out = new float[3 * t * JOINTS * 2];
        int w = a.width();
        for (int r = 0; r < t; r++) {
            for (int m = 0; m < 2; m++) {
                int src;
                if (m < a.actors) {
                    src = m;
                } else if (second == SecondActor.DUPLICATE) {
                    src = 0;
                } else {
                    continue;
                }
                int o = r * w + src * ACTOR_WIDTH;
                for (int v = 0; v < JOINTS; v++) {
                    for (int c = 0; c < 3; c++) {
                        out[((c * t + r) * JOINTS + v) * 2 + m] = a.data[o + v * 3 + c];
                    }
                }
            }
        }
        return new Sample(out, t, JOINTS, 2, t, label, meta);
    }
}
