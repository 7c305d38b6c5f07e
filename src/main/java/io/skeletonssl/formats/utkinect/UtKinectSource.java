package io.skeletonssl.formats.utkinect;

import io.skeletonssl.dataset.BadSampleException;
import io.skeletonssl.dataset.Record;
import io.skeletonssl.dataset.Sample;
import io.skeletonssl.dataset.SampleMeta;
import io.skeletonssl.dataset.StreamSample;
import io.skeletonssl.formats.SampleSource;
import io.skeletonssl.formats.Units;
import io.skeletonssl.layout.Layouts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * UTKinect-Action3D: untrimmed recordings {@code joints_sSS_eEE.txt} (frame id, then x y z of the
 * 20 Kinect-v1 joints, camera-space metres, y up, z depth; kept as given) and a label file of
 * inclusive frame-id ranges per action.
 *
 * <p><b>{@link Mode#CLIPS}</b>: each labelled action is one clip holding the recording's frames
 * whose id lies in [start, end], named {@code sSS_eEE_<action>}. <b>{@link Mode#STREAMS}</b>: each
 * recording is one {@link StreamSample} (repeated frame ids dropped), with segments in stream frame
 * indices, sorted by start; where two segments share a boundary frame the later one labels it.
 *
 * <p>Labels: {@value #LABELS_MODIFIED} (which corrects seven boundaries of the original, e.g. a
 * "push" of s03_e01 written as 2556..3622 instead of 3556..3622) is used when present, otherwise
 * {@value #LABELS}; a file may also be given explicitly. An action with {@code NaN NaN} bounds
 * (s10_e02 carry in both real files; the data README says s10_e01) is skipped with a reason in
 * CLIPS mode; in STREAMS mode it has no segment, so its frames read as background. Metadata:
 * subject = SS, replication = EE, group = {@code sSS_eEE}.
 */
public final class UtKinectSource implements SampleSource {

    /** One clip per labelled action, or one stream per recording. */
    public enum Mode { CLIPS, STREAMS }

    public static final String LABELS = "actionLabel.txt";
    public static final String LABELS_MODIFIED = "actionLabel_modified.txt";
    public static final int JOINTS = UtKinectRecording.JOINTS;

    /** The 10 actions, in the order of the label file. */
    public static final List<String> CLASS_NAMES = List.of(
            "walk", "sitDown", "standUp", "pickUp", "carry", "throw", "push", "pull", "waveHands", "clapHands");

    private static final Pattern FILE = Pattern.compile("joints_(s(\\d+)_e(\\d+))\\.txt");
    private static final Pattern NAME = Pattern.compile("s(\\d+)_e(\\d+)");

    /** A recording; {@code problem} non-null means all its units are skipped with that reason. */
    private record Recording(String name, int subject, int repetition, Path file, List<UtKinectLabels.Entry> labels,
                             String problem) {
    }

    private final Path dir;
    private final Mode mode;
    private final Path labelFile;
    private final int maxFrames;
    private final List<Recording> recordings;

    private UtKinectSource(Path dir, Mode mode, Path labelFile, int maxFrames, List<Recording> recordings) {
        this.dir = dir;
        this.mode = mode;
        this.labelFile = labelFile;
        this.maxFrames = maxFrames;
        this.recordings = recordings;
    }

    /** Default labels ({@value #LABELS_MODIFIED} if present), length = the longest clip or stream. */
    public static UtKinectSource open(Path dir, Mode mode) throws IOException {
        return open(dir, mode, null, 0);
    }

    /**
     * @param labelFile the label file, or null for {@value #LABELS_MODIFIED} if present in {@code dir},
     *                  else {@value #LABELS}
     * @param maxFrames the dataset's clip length; 0 = the longest clip (CLIPS) or stream (STREAMS)
     */
    public static UtKinectSource open(Path dir, Mode mode, Path labelFile, int maxFrames) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "UTKinect folder not found");
        }
        if (maxFrames < 0) {
            throw new IllegalArgumentException("maxFrames must be ≥ 0 (0 = longest), got " + maxFrames);
        }
        Path labels = labelFile != null ? labelFile : defaultLabelFile(dir);
        if (!Files.isRegularFile(labels)) {
            throw new NoSuchFileException(labels.toString(), null, "UTKinect label file not found");
        }
        Map<String, List<UtKinectLabels.Entry>> byRecording = UtKinectLabels.read(labels);
        Map<String, Path> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            list.forEach(p -> {
                Matcher m = FILE.matcher(p.getFileName().toString());
                if (m.matches()) {
                    files.put(m.group(1), p);
                }
            });
        }
        TreeSet<String> names = new TreeSet<>(files.keySet());
        names.addAll(byRecording.keySet());
        List<Recording> recordings = new ArrayList<>();
        for (String name : names) {
            Matcher m = NAME.matcher(name);
            if (!m.matches()) {
                throw new IllegalStateException(name);
            }
            Path file = files.get(name);
            List<UtKinectLabels.Entry> entries = byRecording.get(name);
            String problem = null;
            if (file == null) {
                problem = labels + " labels " + name + " but " + dir.resolve("joints_" + name + ".txt")
                        + " does not exist";
            } else if (entries == null) {
                problem = "no labels for " + name + " in " + labels;
            } else if (entries.isEmpty() && mode == Mode.CLIPS) {
                problem = labels + " lists no action for " + name;
            }
            recordings.add(new Recording(name, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), file,
                    entries == null ? List.of() : List.copyOf(entries), problem));
        }
        if (recordings.isEmpty()) {
            throw new IOException("no joints_sSS_eEE.txt files in " + dir);
        }
        int length = maxFrames > 0 ? maxFrames : longest(recordings, mode);
        return new UtKinectSource(dir, mode, labels, length, recordings);
    }

    /** {@value #LABELS_MODIFIED} if present, else {@value #LABELS}. */
    public static Path defaultLabelFile(Path dir) {
        Path modified = dir.resolve(LABELS_MODIFIED);
        return Files.isRegularFile(modified) ? modified : dir.resolve(LABELS);
    }

    /** The longest clip or stream, from the frame ids alone; malformed files are left to their units. */
    private static int longest(List<Recording> recordings, Mode mode) throws IOException {
        int longest = 1;
        for (Recording r : recordings) {
            if (r.problem() != null) {
                continue;
            }
            int[] ids = UtKinectRecording.scanIds(r.file());
            if (ids == null) {
                continue;
            }
            if (mode == Mode.STREAMS) {
                longest = Math.max(longest, ids.length);
                continue;
            }
            for (UtKinectLabels.Entry e : r.labels()) {
                if (!e.missing()) {
                    int[] range = UtKinectRecording.range(ids, e.start(), e.end());
                    longest = Math.max(longest, range[1] - range[0]);
                }
            }
        }
        return longest;
    }

    @Override
    public Info info() {
        Map<String, Object> opts = new LinkedHashMap<>();
        opts.put("mode", mode.name().toLowerCase());
        opts.put("labelFile", labelFile.getFileName().toString());
        opts.put("maxFrames", maxFrames);
        opts.put("coordinates", "as given: Kinect v1 camera space, metres, y up, z depth");
        return new Info("utkinect", Layouts.kinectV1(), 1, maxFrames, CLASS_NAMES.size(), CLASS_NAMES, opts);
    }

    @Override
    public long size() {
        long n = 0;
        for (Recording r : recordings) {
            n += mode == Mode.CLIPS && r.problem() == null ? r.labels().size() : 1;
        }
        return n;
    }

    public Path labelFile() {
        return labelFile;
    }

    public int maxFrames() {
        return maxFrames;
    }

    public Mode mode() {
        return mode;
    }

    public Path dir() {
        return dir;
    }

    @Override
    public Iterator<Unit> units() {
        return Units.flatMap(recordings.iterator(), this::expand);
    }

    /** The units of one recording; its clips share one parse of the joints file. */
    private void expand(Recording r, List<Unit> out) {
        if (r.problem() != null) {
            out.add(Units.of(r.name(), () -> {
                throw new BadSampleException(r.name(), r.problem());
            }));
            return;
        }
        FutureTask<UtKinectRecording> parse = new FutureTask<>(() -> UtKinectRecording.read(r.file()));
        if (mode == Mode.STREAMS) {
            out.add(Units.of(r.name(), () -> List.of(stream(r, parsed(parse, r.name())))));
            return;
        }
        for (UtKinectLabels.Entry e : r.labels()) {
            String name = clipName(r.name(), e.action());
            out.add(Units.of(name, () -> List.of(clip(r, e, name, parsed(parse, name)))));
        }
    }

    static String clipName(String recording, int action) {
        return recording + "_" + CLASS_NAMES.get(action);
    }

    private static UtKinectRecording parsed(FutureTask<UtKinectRecording> parse, String name)
            throws IOException, BadSampleException {
        parse.run();
        try {
            return parse.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof UtKinectRecording.FormatException f) {
                throw new BadSampleException(name, f.getMessage());
            }
            if (c instanceof IOException io) {
                throw new IOException(io.getMessage(), io);
            }
            throw new IOException(name + ": " + c, c);
        }
    }

    private Sample clip(Recording r, UtKinectLabels.Entry e, String name, UtKinectRecording rec)
            throws BadSampleException {
        String where = labelFile + " line " + e.line();
        if (e.missing()) {
            throw new BadSampleException(name, where + ": the boundaries are NaN NaN (missing in the dataset)");
        }
        if (e.start() > e.end()) {
            throw new BadSampleException(name, where + ": start id " + e.start() + " > end id " + e.end());
        }
        int[] range = UtKinectRecording.range(rec.ids, e.start(), e.end());
        int from = range[0];
        int t = range[1] - range[0];
        if (t == 0) {
            throw new BadSampleException(name, where + ": no frame of " + rec.file + " has an id in [" + e.start()
                    + ", " + e.end() + "] (its ids run " + (rec.frames() == 0 ? "nowhere"
                    : rec.ids[0] + ".." + rec.ids[rec.frames() - 1]) + ")");
        }
        int bad = rec.firstNonFinite(range[0], range[1]);
        if (bad >= 0) {
            throw new BadSampleException(name, rec.file + " line " + rec.lines[bad] + ": NaN or infinite coordinate");
        }
        float[] data = copy(rec, from, t);
        SampleMeta meta = new SampleMeta(name, r.subject(), -1, -1, r.repetition(), r.name(),
                rec.file + " frame ids [" + e.start() + ", " + e.end() + "]");
        return new Sample(data, t, JOINTS, 1, t, e.action(), meta);
    }

    private StreamSample stream(Recording r, UtKinectRecording rec) throws BadSampleException {
        int total = rec.frames();
        if (total == 0) {
            throw new BadSampleException(r.name(), rec.file + " holds no frames");
        }
        int bad = rec.firstNonFinite(0, total);
        if (bad >= 0) {
            throw new BadSampleException(r.name(), rec.file + " line " + rec.lines[bad]
                    + ": NaN or infinite coordinate");
        }
        List<StreamSample.Segment> segments = new ArrayList<>();
        for (UtKinectLabels.Entry e : r.labels()) {
            if (e.missing() || e.start() > e.end()) {
                continue; // no usable boundaries: no segment
            }
            int[] range = UtKinectRecording.range(rec.ids, e.start(), e.end());
            if (range[1] > range[0]) {
                segments.add(new StreamSample.Segment(e.action(), range[0], range[1]));
            }
        }
        segments.sort(Comparator.comparingInt(StreamSample.Segment::start));
        SampleMeta meta = new SampleMeta(r.name(), r.subject(), -1, -1, r.repetition(), r.name(),
                rec.file.toString());
        return new StreamSample(copy(rec, 0, total), total, JOINTS, 1, StreamSample.frameLabels(total, segments),
                segments, meta, null);
    }

    /** Kept frames [from, from + t) → (C, T, V, M=1). */
    private static float[] copy(UtKinectRecording rec, int from, int t) {
        float[] data = new float[3 * t * JOINTS];
        for (int f = 0; f < t; f++) {
            float[] row = rec.joints[from + f];
            for (int v = 0; v < JOINTS; v++) {
                for (int c = 0; c < 3; c++) {
                    data[Sample.index(c, f, v, 0, t, JOINTS, 1)] = row[v * 3 + c];
                }
            }
        }
        return data;
    }
}
