package io.skeletonssl.formats;

import io.skeletonssl.dataset.BadSampleException;
import io.skeletonssl.dataset.Record;
import io.skeletonssl.dataset.Sample;
import io.skeletonssl.dataset.SkeletonDataset;
import io.skeletonssl.dataset.StreamSample;
import io.skeletonssl.layout.SkeletonLayout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What {@code prepare --normalize} does to the coordinates, and how {@code auto} decides.
 *
 * <p>{@code auto} measures, over the first {@link #SAMPLE_UNITS} units of the input, how far person
 * 1's centre joint (the layout's) lies from the origin in the first frame where it is present, i.e.
 * the offset that centring would remove. A median above {@link #RAW_OFFSET_M} metres means raw camera
 * coordinates (the sensor is metres away), which are then centred; a dataset already centred by its
 * pipeline measures about 0. Inputs that an official pipeline already normalised (ntu-raw, pku-mmd)
 * are kept exactly as that pipeline writes them.
 *
 * <p>{@code centre} subtracts that joint from every present joint of every person in every frame
 * ({@link CentredSource#centred}); {@code align} also rotates into the body frame
 * ({@link BodyFrame#aligned}); {@code --scale-body} then divides by the mean length of the layout's
 * torso bone over the clip ({@link BodyFrame#scaled}).
 */
public final class Normalization {

    /** What {@code --normalize} asks for. */
    public enum Mode {
        AUTO, NONE, CENTRE, ALIGN;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Mode parse(String s) {
            String v = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
            return switch (v) {
                case "auto" -> AUTO;
                case "none" -> NONE;
                case "centre", "center" -> CENTRE;
                case "align" -> ALIGN;
                default -> throw new IllegalArgumentException("unknown --normalize '" + s
                        + "': auto, none, centre or align");
            };
        }
    }

    /** Above this median offset of the centre joint from the origin (metres), data is raw camera coordinates. */
    public static final double RAW_OFFSET_M = 0.3;
    /** Units of the input that {@code auto} measures (the first ones: a sequential input is read once more only this far). */
    public static final int SAMPLE_UNITS = 64;

    /**
     * The centre-joint offsets of some sequences: how many were measured, their median (metres) and
     * the fraction above {@link #RAW_OFFSET_M}.
     */
    public record Offsets(int sequences, double medianM, double farFraction) {
        /** Of the distances, NaN ones (nothing to measure) left out. */
        public static Offsets of(double[] distances) {
            double[] d = Arrays.stream(distances).filter(x -> !Double.isNaN(x)).sorted().toArray();
            if (d.length == 0) {
                return new Offsets(0, Double.NaN, Double.NaN);
            }
            double median = d.length % 2 == 1 ? d[d.length / 2] : (d[d.length / 2 - 1] + d[d.length / 2]) / 2;
            long far = Arrays.stream(d).filter(x -> x > RAW_OFFSET_M).count();
            return new Offsets(d.length, median, far / (double) d.length);
        }

        /** Whether these are raw camera coordinates (median beyond {@link #RAW_OFFSET_M}). */
        public boolean raw() {
            return sequences > 0 && medianM > RAW_OFFSET_M;
        }

        /** Whether the sequences disagree: between a fifth and four fifths of them far from the origin. */
        public boolean mixed() {
            return sequences > 0 && farFraction >= 0.2 && farFraction <= 0.8;
        }

        /** E.g. {@code centre joint median 2.71 m from the origin}. */
        public String describe() {
            return sequences == 0 ? "no sequence has person 1"
                    : String.format(Locale.ROOT, "centre joint median %.2f m from the origin", medianM);
        }
    }

    /**
     * The distance from the origin of person 1's centre joint in the first frame where it is present
     * (the origin {@link CentredSource#centred} takes); 0 when it never is but person 1 is (the joint
     * sits at the origin in every frame: data centred frame by frame, as by PCM3's pre_normalization);
     * NaN when person 1 is never present.
     */
    public static double centreOffset(float[] data, int frames, int joints, int persons, int centre) {
        int stride = frames * joints * persons;
        for (int t = 0; t < frames; t++) {
            if (BodyFrame.present(data, t, centre, 0, frames, joints, persons)) {
                int x = Sample.index(0, t, centre, 0, frames, joints, persons);
                double a = data[x];
                double b = data[x + stride];
                double c = data[x + 2 * stride];
                return Math.sqrt(a * a + b * b + c * c);
            }
        }
        for (int t = 0; t < frames; t++) {
            for (int v = 0; v < joints; v++) {
                if (BodyFrame.present(data, t, v, 0, frames, joints, persons)) {
                    return 0;
                }
            }
        }
        return Double.NaN;
    }

    /** {@link #centreOffset} of a clip or stream. */
    static double centreOffset(Record r, int centre) {
        if (r instanceof Sample s) {
            return centreOffset(s.data(), s.frames(), s.joints(), s.persons(), centre);
        }
        StreamSample s = (StreamSample) r;
        return centreOffset(s.data(), s.frames(), s.joints(), s.persons(), centre);
    }

    /**
     * The offsets of every record of the first {@code units} units of {@code source} (a cheap first pass:
     * units are read on {@code threads} threads, bad ones are left out; the conversion reads the source
     * again from its start).
     */
    public static Offsets measure(SampleSource source, int units, int threads) throws IOException {
        int centre = source.info().layout().center();
        List<SampleSource.Unit> first = new ArrayList<>();
        Iterator<SampleSource.Unit> it = source.units();
        while (it.hasNext() && first.size() < units) {
            first.add(it.next());
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "normalize-probe");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<List<Record>>> parts = new ArrayList<>();
            for (SampleSource.Unit u : first) {
                parts.add(pool.submit(u::read));
            }
            List<Double> d = new ArrayList<>();
            for (Future<List<Record>> f : parts) {
                for (Record r : records(f)) {
                    d.add(centreOffset(r, centre));
                }
            }
            return Offsets.of(d.stream().mapToDouble(Double::doubleValue).toArray());
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<Record> records(Future<List<Record>> f) throws IOException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof BadSampleException) {
                return List.of(); // the conversion skips and reports it
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof UncheckedIOException uio) {
                throw uio.getCause();
            }
            throw new IOException(cause.toString(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /**
     * A decision: the mode asked for and the one applied, why, the measured offsets, and whether the
     * body size is scaled. {@code official} names the official pipeline whose output {@code auto} keeps
     * (null for inputs without one).
     */
    public record Plan(Mode requested, Mode applied, String reason, Offsets offsets, boolean scale, String official) {

        /** Whether anything changes the coordinates. */
        public boolean changesData() {
            return applied != Mode.NONE || scale;
        }

        /** The sequence normalised as planned (a copy); {@code layout} gives the joints. */
        public float[] apply(float[] data, int frames, int joints, int persons, SkeletonLayout layout) {
            float[] out = switch (applied) {
                case NONE -> data;
                case CENTRE -> CentredSource.centred(data, frames, joints, persons, layout.center());
                case ALIGN -> BodyFrame.aligned(data, frames, joints, persons, layout);
                case AUTO -> throw new IllegalStateException("auto is decided before it is applied");
            };
            if (scale) {
                out = BodyFrame.scaled(out, frames, joints, persons, layout.requireAlignment("--scale-body").torso());
            }
            return out == data ? data.clone() : out;
        }

        /** The manifest's {@code normalization} entry. */
        public Map<String, Object> describe(SkeletonLayout layout) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("requested", requested.id());
            m.put("applied", applied.id());
            m.put("reason", reason);
            m.put("centreJoint", layout.jointLabel(layout.center()));
            if (offsets.sequences() > 0) {
                m.put("centreOffsetMedianM", round(offsets.medianM()));
                m.put("centreOffsetFarFraction", round(offsets.farFraction()));
            }
            m.put("offsetThresholdM", RAW_OFFSET_M);
            m.put("measuredSequences", offsets.sequences());
            if (official != null) {
                m.put("officialPipeline", official);
            }
            if (applied == Mode.ALIGN) {
                SkeletonLayout.Alignment a = layout.alignment();
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("spineOntoZ", bone(layout, a.spine(), " -> "));
                r.put("shouldersOntoX", bone(layout, a.shoulders(), " -> "));
                r.put("from", "person 1, first frame with these four joints; every person and frame");
                m.put("rotation", r);
            }
            if (scale) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("bone", bone(layout, layout.alignment().torso(), " - "));
                s.put("divisor", "mean length of the bone over person 1's frames where it is present, per sequence");
                m.put("scale", s);
            } else {
                m.put("scale", "none");
            }
            return m;
        }

        /** One line for prepare's output: what was done and why. */
        public String summary() {
            String done = switch (applied) {
                case NONE -> requested == Mode.NONE ? "kept as they are" : "left as they are";
                case CENTRE -> "centred";
                case ALIGN -> "centred and rotated into the body frame";
                case AUTO -> "?";
            };
            String hint = requested != Mode.AUTO ? ""
                    : applied == Mode.CENTRE ? " (--normalize none to keep them)"
                    : offsets.raw() ? " (--normalize centre to centre them)" : "";
            return "normalisation: " + reason + " -> " + done + (scale ? ", scaled by body size" : "") + hint;
        }
    }

    private static double round(double x) {
        return Math.round(x * 1e4) / 1e4;
    }

    private static String bone(SkeletonLayout layout, int[] pair, String sep) {
        return layout.jointLabel(pair[0]) + sep + layout.jointLabel(pair[1]);
    }

    /**
     * Decides what to apply. {@code official} (or null) names the official pipeline an {@code auto}
     * run keeps, e.g. {@code "ntu-raw mamp (CTR-GCN denoising, SpineMid centring)"}.
     */
    public static Plan decide(Mode requested, String official, Offsets offsets, boolean scale,
                              SkeletonLayout layout) {
        if (requested == Mode.ALIGN) {
            layout.requireAlignment("--normalize align");
        }
        if (scale) {
            layout.requireAlignment("--scale-body");
        }
        Mode applied;
        String reason;
        switch (requested) {
            case AUTO -> {
                if (official != null) {
                    applied = Mode.NONE;
                    reason = "the official " + official + " output is kept exactly (" + offsets.describe() + ")";
                } else if (offsets.raw()) {
                    applied = Mode.CENTRE;
                    reason = "raw camera coordinates detected: " + offsets.describe();
                } else {
                    applied = Mode.NONE;
                    reason = offsets.sequences() == 0 ? "nothing to measure (" + offsets.describe() + ")"
                            : "already centred: " + offsets.describe();
                }
            }
            case NONE -> {
                applied = Mode.NONE;
                reason = "--normalize none (" + offsets.describe() + ")";
            }
            default -> {
                applied = requested;
                reason = "--normalize " + requested.id() + " (" + offsets.describe() + ")";
            }
        }
        if (scale && applied == Mode.NONE && offsets.raw()) {
            throw new IllegalArgumentException("--scale-body divides coordinates about the origin, so it needs centred "
                    + "data, but these are raw camera coordinates (" + offsets.describe() + ") and are not centred ("
                    + reason + "); add --normalize centre or align");
        }
        return new Plan(requested, applied, reason, offsets, scale, official);
    }

    /**
     * The warning that pretraining gives on a dataset in raw camera coordinates, or null when it is
     * centred. The manifest's {@code normalization} entry decides when it has one (anything applied,
     * or a measured offset within {@link #RAW_OFFSET_M}: centred); older datasets (and {@code synth}'s)
     * are measured on the first {@link #SAMPLE_UNITS} clips of {@code split}.
     */
    public static String uncentredWarning(SkeletonDataset ds, SkeletonDataset.ClipSplit split) {
        Map<String, Object> options = ds.manifest().options() == null ? Map.of() : ds.manifest().options();
        SkeletonLayout layout = ds.manifest().layout();
        double median;
        String how;
        if (options.get("normalization") instanceof Map<?, ?> n && n.get("applied") != null) {
            if (!"none".equals(n.get("applied")) || !(n.get("centreOffsetMedianM") instanceof Number m)) {
                return null;
            }
            median = m.doubleValue();
            how = "as prepare measured it, which kept the coordinates: " + n.get("reason");
        } else if (options.containsKey("centred")) {
            return null; // centred by CentredSource (synth --centre, the PCM3 demo)
        } else {
            int n = Math.min(split.size(), SAMPLE_UNITS);
            double[] d = new double[n];
            for (int i = 0; i < n; i++) {
                d[i] = centreOffset(split.read(i), split.frames(), split.joints(), split.persons(), layout.center());
            }
            Offsets o = Offsets.of(d);
            if (o.sequences() == 0) {
                return null;
            }
            median = o.medianM();
            how = "measured on the first " + n + " clips of split '" + split.name() + "'";
        }
        if (!(median > RAW_OFFSET_M)) {
            return null;
        }
        return String.format(Locale.ROOT, "dataset '%s' (%s) is not centred: person 1's centre joint %s lies a median "
                        + "%.2f m from the origin (%s), i.e. raw camera coordinates. MAMP's input positions and PCM3's "
                        + "position-reconstruction target both expect centred skeletons; prepare the data again with "
                        + "--normalize auto (the default), centre or align",
                ds.manifest().name(), ds.dir(), layout.jointLabel(layout.center()), median, how);
    }

    private Normalization() {
    }
}
