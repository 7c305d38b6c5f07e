package io.skeletonssl.formats.pku;

import io.skeletonssl.dataset.BadSampleException;
import io.skeletonssl.dataset.Record;
import io.skeletonssl.dataset.Sample;
import io.skeletonssl.dataset.SampleMeta;
import io.skeletonssl.dataset.StreamSample;
import io.skeletonssl.formats.SampleSource;
import io.skeletonssl.formats.Units;
import io.skeletonssl.formats.ntu.Pcm3PreNormalization;
import io.skeletonssl.layout.Layouts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.stream.Stream;

/**
 * PKU-MMD phase I and II raw data: a skeleton folder of {@code <video>.txt} files (one frame a
 * line, 150 numbers = 2 bodies × 25 Kinect-v2 joints × xyz, camera-space metres) and a label
 * folder of {@code <video>.txt} files with rows {@code label,start,end,confidence} (label 1..51).
 *
 * <p><b>{@link Mode#TRIMMED}</b>: each label row is one clip, frames {@code [start, end)} (end
 * exclusive, as the official MAMP and PCM3 generators slice), truncated to {@code maxFrames} (300)
 * with validFrames = min(length, maxFrames). Pipeline {@link Pipeline#MAMP} keeps the raw camera
 * coordinates (no centring, spec §1.2) and skips all-zero instances. Clip names are
 * {@code <video>_<k>} with k the 0-based row, three digits.
 *
 * <p><b>{@link Mode#UNTRIMMED}</b>: each video is one {@link StreamSample} with all its frames,
 * frame labels 0 = background and k for label-file class k (stored class k − 1), and one segment
 * per usable row (detection protocol, spec §3.13). Where rows overlap the later row wins.
 *
 * <p>Label rows are checked against the video: an end past the last frame is clamped to the frame
 * count (numpy slicing in the official code does the same); a row with start ≥ end or a start
 * past the last frame covers no frame: in TRIMMED mode that instance is skipped with the reason
 * (MAMP drops such empty slices as all-zero), in UNTRIMMED mode it adds no segment (no frame
 * label changes). A label outside 1..51 or a negative start skips that instance (TRIMMED) or the
 * whole video (UNTRIMMED: its frames could not be labelled reliably). A skeleton line with the wrong number of values or a non-number skips the video's
 * instances; a NaN/Inf skips only the instances (or the stream) whose frames include it. A label
 * file without skeleton file, or a skeleton file without label file, skips the video with the
 * reason.
 *
 * <p>Metadata: group = video name, view L/M/R = 1/2/3, subject = N of phase-II names (-1 for
 * phase I, whose names carry no subject), source = skeleton file and frame range.
 */
public final class PkuMmdSource implements SampleSource {

    /** Trimmed instances for classification, or untrimmed streams for detection. */
    public enum Mode { TRIMMED, UNTRIMMED }

    /** Which method's pre-processing the trimmed instances get. */
    public enum Pipeline {
        /** MAMP (spec §1.2): raw camera coordinates, all-zero instances skipped. */
        MAMP,
        /** PCM3 (spec §1.3): the 2s-AGCN pre_normalization, clips padded by looping to maxFrames. */
        PCM3
    }

    /**
     * @param maxFrames frames kept per trimmed instance (the official 300); for streams it is only
     *                  recorded in the manifest
     */
    public record Options(Mode mode, Pipeline pipeline, int maxFrames) {
        public Options {
            if (mode == null || pipeline == null) {
                throw new IllegalArgumentException("mode and pipeline are required");
            }
            if (maxFrames <= 0) {
                throw new IllegalArgumentException("maxFrames must be positive, got " + maxFrames);
            }
        }

        public static Options trimmed() {
            return new Options(Mode.TRIMMED, Pipeline.MAMP, DEFAULT_MAX_FRAMES);
        }

        public static Options untrimmed() {
            return new Options(Mode.UNTRIMMED, Pipeline.MAMP, DEFAULT_MAX_FRAMES);
        }
    }

    public static final int NUM_CLASSES = 51;
    public static final int DEFAULT_MAX_FRAMES = 300;
    public static final int JOINTS = 25;
    public static final int BODIES = 2;
    public static final int VALUES_PER_FRAME = BODIES * JOINTS * 3;

    /** The 51 PKU-MMD actions, label-file ids 1..51 in order (the dataset's Actions.xlsx). */
    public static final List<String> CLASS_NAMES = List.of(
            "bow", "brushing hair", "brushing teeth", "check time (from watch)", "cheer up", "clapping",
            "cross hands in front (say stop)", "drink water", "drop", "eat meal/snack", "falling",
            "giving something to other person", "hand waving", "handshaking", "hopping (one foot jumping)",
            "hugging other person", "jump up", "kicking other person", "kicking something",
            "make a phone call/answer phone", "pat on back of other person", "pickup",
            "playing with phone/tablet", "point finger at the other person", "pointing to something with finger",
            "punching/slapping other person", "pushing other person", "put on a hat/cap",
            "put something inside pocket", "reading", "rub two hands together", "salute", "sitting down",
            "standing up", "take off a hat/cap", "take off glasses", "take off jacket",
            "take out something from pocket", "taking a selfie", "tear up paper", "throw",
            "touch back (backache)", "touch chest (stomachache/heart pain)", "touch head (headache)",
            "touch neck (neckache)", "typing on a keyboard", "use a fan (with hand or paper)/feeling warm",
            "wear jacket", "wear on glasses", "wipe face", "writing");

    /** Folder pairs (skeletons, labels) that {@link #openRoot} recognises. */
    static final List<String[]> ROOT_LAYOUTS = List.of(
            new String[]{"skeleton", "label"},
            new String[]{"PKU_Skeleton_Renew", "Train_Label_PKU_final"});

    /** A video as found on disk; {@code problem} non-null means it is skipped with that reason. */
    private record Video(PkuVideo id, Path skeleton, Path labels, List<PkuLabels.Row> rows, String problem) {
        String name() {
            return id.name();
        }
    }

    private final Path skeletonDir;
    private final Path labelDir;
    private final Options options;
    private final List<Video> videos;
    private final long units;

    private PkuMmdSource(Path skeletonDir, Path labelDir, Options options, List<Video> videos) {
        this.skeletonDir = skeletonDir;
        this.labelDir = labelDir;
        this.options = options;
        this.videos = videos;
        long n = 0;
        for (Video v : videos) {
            n += options.mode() == Mode.TRIMMED && v.problem() == null ? v.rows().size() : 1;
        }
        this.units = n;
    }

    /**
     * Lists both folders and reads every label file (small); skeleton files are read by the units.
     *
     * @throws UnsupportedOperationException for {@link Pipeline#PCM3} with trimmed instances: its
     *         pre_normalization lives in {@code io.skeletonssl.formats.ntu.Pcm3NtuPipeline}, which is
     *         not wired in yet
     */
    public static PkuMmdSource open(Path skeletonDir, Path labelDir, Options options) throws IOException {
        checkPipeline(options);
        requireDir(skeletonDir, "skeleton");
        requireDir(labelDir, "label");
        Map<String, Path> skeletons = txtFiles(skeletonDir);
        Map<String, Path> labels = txtFiles(labelDir);
        TreeMap<String, Boolean> names = new TreeMap<>();
        skeletons.keySet().forEach(n -> names.put(n, true));
        labels.keySet().forEach(n -> names.put(n, true));
        if (names.isEmpty()) {
            throw new IOException("no .txt files in " + skeletonDir + " or " + labelDir);
        }
        List<Video> videos = new ArrayList<>();
        for (String name : names.keySet()) {
            PkuVideo id = PkuVideo.parse(name);
            Path s = skeletons.get(name);
            Path l = labels.get(name);
            if (s == null) {
                videos.add(new Video(id, null, l, List.of(), "label file " + l + " has no skeleton file (expected "
                        + skeletonDir.resolve(name + ".txt") + ")"));
                continue;
            }
            if (l == null) {
                videos.add(new Video(id, s, null, List.of(), "no label file for skeleton file " + s + " (expected "
                        + labelDir.resolve(name + ".txt") + ")"));
                continue;
            }
            List<PkuLabels.Row> rows;
            try {
                rows = PkuLabels.read(l);
            } catch (NumberRows.FormatException e) {
                videos.add(new Video(id, s, l, List.of(), e.getMessage()));
                continue;
            }
            String problem = rows.isEmpty() && options.mode() == Mode.TRIMMED
                    ? "label file " + l + " lists no action instance" : null;
            videos.add(new Video(id, s, l, rows, problem));
        }
        return new PkuMmdSource(skeletonDir, labelDir, options, videos);
    }

    /**
     * Opens a dataset root holding {@code skeleton/} and {@code label/} (the MAMP layout) or
     * {@code PKU_Skeleton_Renew/} and {@code Train_Label_PKU_final/} (the official phase-I names).
     */
    public static PkuMmdSource openRoot(Path root, Options options) throws IOException {
        checkPipeline(options);
        for (String[] pair : ROOT_LAYOUTS) {
            if (Files.isDirectory(root.resolve(pair[0])) && Files.isDirectory(root.resolve(pair[1]))) {
                return open(root.resolve(pair[0]), root.resolve(pair[1]), options);
            }
        }
        throw new NoSuchFileException(root.toString(), null, "expected a PKU-MMD folder with skeleton/ and label/ "
                + "(or PKU_Skeleton_Renew/ and Train_Label_PKU_final/); give the two folders explicitly otherwise");
    }

    private static void checkPipeline(Options options) {
        if (options.pipeline() == Pipeline.PCM3) {
            if (options.mode() == Mode.UNTRIMMED) {
                throw new IllegalArgumentException("the pipeline applies to trimmed instances only; untrimmed "
                        + "streams are always raw (as the detection code reads them)");
            }
        }
    }

    private static void requireDir(Path dir, String what) throws NoSuchFileException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "PKU-MMD " + what + " folder not found");
        }
    }

    private static Map<String, Path> txtFiles(Path dir) throws IOException {
        Map<String, Path> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> p.getFileName().toString().endsWith(".txt") && Files.isRegularFile(p))
                    .forEach(p -> {
                        String f = p.getFileName().toString();
                        out.put(f.substring(0, f.length() - 4), p);
                    });
        }
        return out;
    }

    @Override
    public Info info() {
        Map<String, Object> opts = new LinkedHashMap<>();
        opts.put("mode", options.mode().name().toLowerCase());
        opts.put("pipeline", options.pipeline().name().toLowerCase());
        opts.put("maxFrames", options.maxFrames());
        opts.put("coordinates", options.pipeline() == Pipeline.PCM3 && options.mode() == Mode.TRIMMED
                ? "2s-AGCN pre_normalization: loop padded, centred on SpineMid, spine to +z, shoulders to +x"
                : "raw Kinect v2 camera space, metres (no centring)");
        opts.put("frameRange", "label rows are [start, end), end clamped to the video length");
        return new Info("pku-mmd", Layouts.ntu25(), BODIES, options.maxFrames(), NUM_CLASSES, CLASS_NAMES, opts);
    }

    @Override
    public long size() {
        return units;
    }

    public Options options() {
        return options;
    }

    public Path skeletonDir() {
        return skeletonDir;
    }

    public Path labelDir() {
        return labelDir;
    }

    @Override
    public Iterator<Unit> units() {
        return Units.flatMap(videos.iterator(), this::expand);
    }

    /** The units of one video; the instances of a video share one parse of its skeleton file. */
    private void expand(Video v, List<Unit> out) {
        if (v.problem() != null) {
            out.add(failing(v.name(), v.problem()));
            return;
        }
        FutureTask<NumberRows> parse = new FutureTask<>(() -> NumberRows.read(v.skeleton(), VALUES_PER_FRAME));
        if (options.mode() == Mode.UNTRIMMED) {
            out.add(Units.of(v.name(), () -> List.of(stream(v, frames(parse, v.name())))));
            return;
        }
        for (int k = 0; k < v.rows().size(); k++) {
            String name = instanceName(v.name(), k);
            PkuLabels.Row row = v.rows().get(k);
            out.add(Units.of(name, () -> List.of(instance(v, row, name, frames(parse, name)))));
        }
    }

    static String instanceName(String video, int row) {
        return String.format("%s_%03d", video, row);
    }

    private static Unit failing(String name, String reason) {
        return Units.of(name, () -> {
            throw new BadSampleException(name, reason);
        });
    }

    /** Runs the shared parse once (whichever unit comes first) and waits for it. */
    private static NumberRows frames(FutureTask<NumberRows> parse, String name) throws IOException, BadSampleException {
        parse.run();
        try {
            return parse.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof NumberRows.FormatException f) {
                throw new BadSampleException(name, f.getMessage());
            }
            if (c instanceof IOException io) {
                throw new IOException(io.getMessage(), io);
            }
            if (c instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            throw new IOException(name + ": " + c, c);
        }
    }

    private String rowProblem(Video v, PkuLabels.Row row, int frames) {
        String where = v.labels() + " line " + row.line();
        if (row.label() < 1 || row.label() > NUM_CLASSES) {
            return where + ": label " + row.label() + " outside 1.." + NUM_CLASSES;
        }
        if (row.start() < 0) {
            return where + ": start frame " + row.start() + " is negative";
        }
        if (row.start() >= row.end()) {
            return where + ": start frame " + row.start() + " ≥ end frame " + row.end() + " (frames [start, end) "
                    + "are empty)";
        }
        if (row.start() >= frames) {
            return where + ": start frame " + row.start() + " is past the end of " + v.skeleton() + " ("
                    + frames + " frames)";
        }
        return null;
    }

    private Sample instance(Video v, PkuLabels.Row row, String name, NumberRows table) throws BadSampleException {
        int total = table.rows();
        if (total == 0) {
            throw new BadSampleException(name, v.skeleton() + " holds no frames");
        }
        String problem = rowProblem(v, row, total);
        if (problem != null) {
            throw new BadSampleException(name, problem);
        }
        int start = row.start();
        int end = Math.min(row.end(), total);
        int bad = table.firstNonFinite(start, end);
        if (bad >= 0) {
            throw new BadSampleException(name, v.skeleton() + " line " + table.line(bad)
                    + ": NaN or infinite coordinate inside the instance's frames [" + start + ", " + end + ")");
        }
        if (table.allZero(start, end)) {
            throw new BadSampleException(name, "all-zero instance: frames [" + start + ", " + end + ") of "
                    + v.skeleton() + " hold only zeros (MAMP skips these)");
        }
        return toSample(v, row, name, table, start, end);
    }

    /** The (3, T, 25, 2) clip of frames [start, end), T = min(end − start, maxFrames). */
    private Sample toSample(Video v, PkuLabels.Row row, String name, NumberRows table, int start, int end) {
        int t = Math.min(end - start, options.maxFrames());
        float[] data = new float[3 * t * JOINTS * BODIES];
        copyFrames(table, start, t, data);
        String source = v.skeleton() + " frames [" + start + ", " + end + ")"
                + (end < row.end() ? " (end " + row.end() + " clamped to the video length)" : "");
        SampleMeta meta = new SampleMeta(name, v.id().subject(), v.id().view(), -1, -1, v.name(), source);
        if (options.pipeline() == Pipeline.PCM3) {
            return pcm3(data, t, end - start, row.label() - 1, meta);
        }
        return new Sample(data, t, JOINTS, BODIES, t, row.label() - 1, meta);
    }

    /**
     * PCM3 format (spec §1.3): the clip in a zero (maxFrames) array, then the 2s-AGCN
     * pre_normalization (loop padding, centring, two alignments); num_frame is the full length,
     * clamped to maxFrames as the feeders do.
     */
    private Sample pcm3(float[] clip, int t, int fullLength, int label, SampleMeta meta) {
        int frames = options.maxFrames();
        int fw = JOINTS * 3;
        float[] mtvc = new float[BODIES * frames * fw];
        for (int m = 0; m < BODIES; m++) {
            for (int f = 0; f < t; f++) {
                for (int j = 0; j < JOINTS; j++) {
                    for (int c = 0; c < 3; c++) {
                        mtvc[(m * frames + f) * fw + j * 3 + c] = clip[Sample.index(c, f, j, m, t, JOINTS, BODIES)];
                    }
                }
            }
        }
        Pcm3PreNormalization.apply(mtvc, BODIES, frames, JOINTS);
        float[] data = new float[3 * frames * JOINTS * BODIES];
        for (int m = 0; m < BODIES; m++) {
            for (int f = 0; f < frames; f++) {
                for (int j = 0; j < JOINTS; j++) {
                    for (int c = 0; c < 3; c++) {
                        data[Sample.index(c, f, j, m, frames, JOINTS, BODIES)] = mtvc[(m * frames + f) * fw + j * 3 + c];
                    }
                }
            }
        }
        return new Sample(data, frames, JOINTS, BODIES, Math.min(fullLength, frames), label, meta);
    }

    /** Row layout (body, joint, xyz) → (C, T, V, M) for rows [start, start + t). */
    private static void copyFrames(NumberRows table, int start, int t, float[] data) {
        for (int f = 0; f < t; f++) {
            for (int m = 0; m < BODIES; m++) {
                for (int j = 0; j < JOINTS; j++) {
                    for (int c = 0; c < 3; c++) {
                        float x = table.get(start + f, (m * JOINTS + j) * 3 + c);
                        data[Sample.index(c, f, j, m, t, JOINTS, BODIES)] = x;
                    }
                }
            }
        }
    }

    private StreamSample stream(Video v, NumberRows table) throws BadSampleException {
        int total = table.rows();
        if (total == 0) {
            throw new BadSampleException(v.name(), v.skeleton() + " holds no frames");
        }
        int bad = table.firstNonFinite(0, total);
        if (bad >= 0) {
            throw new BadSampleException(v.name(), v.skeleton() + " line " + table.line(bad)
                    + ": NaN or infinite coordinate");
        }
        List<StreamSample.Segment> segments = new ArrayList<>();
        for (PkuLabels.Row row : v.rows()) {
            String problem = rowProblem(v, row, total);
            if (problem != null) {
                if (row.label() < 1 || row.label() > NUM_CLASSES || row.start() < 0) {
                    throw new BadSampleException(v.name(), problem);
                }
                continue; // covers no frame: no frame label depends on it
            }
            segments.add(new StreamSample.Segment(row.label() - 1, row.start(), Math.min(row.end(), total)));
        }
        float[] data = new float[3 * total * JOINTS * BODIES];
        copyFrames(table, 0, total, data);
        SampleMeta meta = new SampleMeta(v.name(), v.id().subject(), v.id().view(), -1, -1, v.name(),
                v.skeleton().toString());
        return new StreamSample(data, total, JOINTS, BODIES, StreamSample.frameLabels(total, segments), segments,
                meta, null);
    }
}
