package io.skeletonssl.formats.msr;

import io.skeletonssl.dataset.BadSampleException;
import io.skeletonssl.dataset.Sample;
import io.skeletonssl.dataset.SampleMeta;
import io.skeletonssl.formats.SampleSource;
import io.skeletonssl.formats.Units;
import io.skeletonssl.layout.Layouts;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * MSR Action3D skeletons: {@code aAA_sSS_eEE_skeleton3D.txt}, four numbers a line
 * ({@code x y z c}), 20 lines (joints, {@link Layouts#msr20()} order) per frame, one person.
 *
 * <p>Coordinates are kept exactly as the columns give them: x, y, z = columns 1, 2, 3. Measured on
 * the 567 real files they are already metric camera space with y up and z the depth: x ∈ [−1.05,
 * 0.87], y ∈ [−1.88, 1.15] with the head above the feet, z up to 3.88 m, the left shoulder at
 * smaller x than the right one, as in Kinect camera space. That is the project's convention (as
 * NTU and UTKinect), so no reordering or unit conversion is done. Column 4 ({@code c}, a tracking
 * confidence in [0, 1], not only 0/1 as sometimes described) is ignored.
 *
 * <p>With {@code cvpr12Only} (the default) only the sequences named in
 * {@code files_used_in_cvpr12_paper.txt} (one {@code aAA_sSS_eEE} a line) are read; other files are
 * left out silently (they are not errors). A listed sequence without file is skipped with a reason.
 * Metadata: subject = SS, replication = EE, label = AA − 1, group = name.
 */
public final class MsrAction3dSource implements SampleSource {

    public static final String LIST_FILE = "files_used_in_cvpr12_paper.txt";
    public static final int JOINTS = 20;
    public static final int NUM_CLASSES = 20;

    /** Classes 1..20 of the dataset README, in order. */
    public static final List<String> CLASS_NAMES = List.of(
            "high arm wave", "horizontal arm wave", "hammer", "hand catch", "forward punch", "high throw",
            "draw x", "draw tick", "draw circle", "hand clap", "two hand wave", "side boxing", "bend",
            "forward kick", "side kick", "jogging", "tennis swing", "tennis serve", "golf swing",
            "pick up and throw");

    static final Pattern FILE = Pattern.compile("a(\\d+)_s(\\d+)_e(\\d+)_skeleton3D\\.txt");
    private static final Pattern NAME = Pattern.compile("a(\\d+)_s(\\d+)_e(\\d+)");
    private static final String SUFFIX = "_skeleton3D.txt";
    private static final Pattern NUMBER =
            Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?|[+-]?(?i:nan|inf|infinity)");

    /** A sequence to read; {@code problem} non-null means it is skipped with that reason. */
    private record Entry(String name, Path file, int action, int subject, int repetition, String problem) {
    }

    private final Path dir;
    private final boolean cvpr12Only;
    private final int maxFrames;
    private final List<Entry> entries;
    private final int leftOut;

    private MsrAction3dSource(Path dir, boolean cvpr12Only, int maxFrames, List<Entry> entries, int leftOut) {
        this.dir = dir;
        this.cvpr12Only = cvpr12Only;
        this.maxFrames = maxFrames;
        this.entries = entries;
        this.leftOut = leftOut;
    }

    /** The usual protocol: the CVPR'12 list, dataset length = the longest listed sequence. */
    public static MsrAction3dSource open(Path dir) throws IOException {
        return open(dir, true, 0);
    }

    /**
     * @param cvpr12Only only the sequences of {@value #LIST_FILE} (which must then exist in {@code dir})
     * @param maxFrames  the dataset's clip length; 0 = the longest selected sequence (no truncation)
     */
    public static MsrAction3dSource open(Path dir, boolean cvpr12Only, int maxFrames) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "MSR Action3D folder not found");
        }
        if (maxFrames < 0) {
            throw new IllegalArgumentException("maxFrames must be ≥ 0 (0 = longest sequence), got " + maxFrames);
        }
        Map<String, Path> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            list.filter(p -> FILE.matcher(p.getFileName().toString()).matches()).forEach(p -> {
                String f = p.getFileName().toString();
                files.put(f.substring(0, f.length() - SUFFIX.length()), p);
            });
        }
        if (files.isEmpty()) {
            throw new IOException("no MSR Action3D sequence files (aAA_sSS_eEE" + SUFFIX + ") found in " + dir);
        }
        List<Entry> entries = new ArrayList<>();
        int leftOut = 0;
        if (cvpr12Only) {
            Map<String, Integer> listed = readList(dir.resolve(LIST_FILE));
            for (Map.Entry<String, Integer> e : listed.entrySet()) {
                Path f = files.get(e.getKey());
                entries.add(entry(e.getKey(), f, f != null ? null : LIST_FILE + " line " + e.getValue()
                        + " lists " + e.getKey() + " but " + dir.resolve(e.getKey() + SUFFIX) + " does not exist"));
            }
            leftOut = (int) files.keySet().stream().filter(n -> !listed.containsKey(n)).count();
        } else {
            files.forEach((n, f) -> entries.add(entry(n, f, null)));
        }
        if (entries.isEmpty()) {
            throw new IOException("no aAA_sSS_eEE_skeleton3D.txt files in " + dir);
        }
        int longest = 0;
        if (maxFrames == 0) {
            for (Entry e : entries) {
                if (e.problem() == null) {
                    longest = Math.max(longest, countLines(e.file()) / JOINTS);
                }
            }
        }
        return new MsrAction3dSource(dir, cvpr12Only, maxFrames > 0 ? maxFrames : Math.max(longest, 1), entries,
                leftOut);
    }

    private static Entry entry(String name, Path file, String problem) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            throw new IllegalStateException(name);
        }
        return new Entry(name, file, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)), problem);
    }

    /** Listed names (with or without the file suffix) → their 1-based line, sorted by name. */
    static Map<String, Integer> readList(Path list) throws IOException {
        if (!Files.isRegularFile(list)) {
            // the message names the command-line flag, not this method's parameter
            throw new NoSuchFileException(list.toString(), null, "the CVPR'12 sequence list is missing; "
                    + "use --all-files to read every sequence file of the folder");
        }
        Map<String, Integer> out = new TreeMap<>();
        List<String> lines = Files.readAllLines(list, StandardCharsets.ISO_8859_1);
        for (int i = 0; i < lines.size(); i++) {
            String name = lines.get(i).trim();
            if (name.isEmpty()) {
                continue;
            }
            if (name.endsWith(SUFFIX)) {
                name = name.substring(0, name.length() - SUFFIX.length());
            }
            if (!NAME.matcher(name).matches()) {
                throw new IOException(list + " line " + (i + 1) + ": expected a sequence name like a01_s01_e01, found '"
                        + lines.get(i).trim() + "'");
            }
            out.putIfAbsent(name, i + 1);
        }
        if (out.isEmpty()) {
            throw new IOException(list + " lists no sequence");
        }
        return out;
    }

    private static int countLines(Path file) throws IOException {
        int n = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    n++;
                }
            }
        }
        return n;
    }

    @Override
    public Info info() {
        Map<String, Object> opts = new LinkedHashMap<>();
        opts.put("cvpr12Only", cvpr12Only);
        opts.put("maxFrames", maxFrames);
        opts.put("notListed", leftOut);
        opts.put("coordinates", "columns 1-3 as given: camera space, metres, y up, z depth");
        return new Info("msr-action3d", Layouts.msr20(), 1, maxFrames, NUM_CLASSES, CLASS_NAMES, opts);
    }

    @Override
    public long size() {
        return entries.size();
    }

    /** How many sequence files exist but are not on the CVPR'12 list (0 without cvpr12Only). */
    public int notListed() {
        return leftOut;
    }

    public int maxFrames() {
        return maxFrames;
    }

    public Path dir() {
        return dir;
    }

    @Override
    public Iterator<Unit> units() {
        return Units.map(entries.iterator(), e -> Units.of(e.name(), () -> {
            if (e.problem() != null) {
                throw new BadSampleException(e.name(), e.problem());
            }
            return List.of(readSequence(e));
        }));
    }

    private static Sample readSequence(Entry e) throws IOException, BadSampleException {
        if (e.action() < 1 || e.action() > NUM_CLASSES) {
            throw new BadSampleException(e.name(), e.file() + ": action " + e.action() + " outside 1.." + NUM_CLASSES);
        }
        List<float[]> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(e.file(), StandardCharsets.ISO_8859_1);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] parts = line.split("\\s+");
            if (parts.length != 4) {
                throw new BadSampleException(e.name(), e.file() + " line " + (i + 1) + ": expected 4 numbers "
                        + "(x y z c), found " + parts.length);
            }
            float[] xyz = new float[3];
            for (int c = 0; c < 3; c++) {
                xyz[c] = number(parts[c], e, i + 1);
                if (!Float.isFinite(xyz[c])) {
                    throw new BadSampleException(e.name(), e.file() + " line " + (i + 1) + ": non-finite coordinate '" + parts[c]
                            + "' (expected a finite number)");
                }
            }
            number(parts[3], e, i + 1);
            rows.add(xyz);
        }
        if (rows.isEmpty()) {
            throw new BadSampleException(e.name(), e.file() + " is empty");
        }
        if (rows.size() % JOINTS != 0) {
            throw new BadSampleException(e.name(), e.file() + " has " + rows.size() + " lines, not a multiple of "
                    + JOINTS + " (one line per joint, " + JOINTS + " joints a frame)");
        }
        int t = rows.size() / JOINTS;
        float[] data = new float[3 * t * JOINTS];
        boolean any = false;
        for (int f = 0; f < t; f++) {
            for (int v = 0; v < JOINTS; v++) {
                float[] p = rows.get(f * JOINTS + v);
                for (int c = 0; c < 3; c++) {
                    data[Sample.index(c, f, v, 0, t, JOINTS, 1)] = p[c];
                    any |= p[c] != 0f;
                }
            }
        }
        if (!any) {
            throw new BadSampleException(e.name(), e.file() + ": all coordinates are zero (no skeleton recorded)");
        }
        SampleMeta meta = new SampleMeta(e.name(), e.subject(), -1, -1, e.repetition(), e.name(),
                e.file().toString());
        return new Sample(data, t, JOINTS, 1, t, e.action() - 1, meta);
    }

    private static float number(String token, Entry e, int line) throws BadSampleException {
        try {
            if (NUMBER.matcher(token).matches()) {
                String t = token.toLowerCase(java.util.Locale.ROOT);
                if (t.endsWith("nan")) {
                    return Float.NaN;
                }
                if (t.endsWith("inf") || t.endsWith("infinity")) {
                    return t.startsWith("-") ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
                }
                return (float) Double.parseDouble(token);
            }
        } catch (NumberFormatException ex) {
            // reported below
        }
        throw new BadSampleException(e.name(), e.file() + " line " + line + ": '" + token + "' is not a number");
    }
}
