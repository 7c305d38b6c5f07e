package io.skeletonssl.formats.arrays;

import io.skeletonssl.dataset.Record;
import io.skeletonssl.dataset.Sample;
import io.skeletonssl.dataset.SampleMeta;
import io.skeletonssl.formats.SampleSource;
import io.skeletonssl.layout.Layouts;
import io.skeletonssl.layout.SkeletonLayout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A folder in the 2s-AGCN / ST-GCN layout used by PCM3, CMD, skeleton-contrast and AimCLR:
 * {@code train_data_joint.npy} (N, 3, T, V, M) float32, {@code train_label.pkl} (names, 0-based
 * labels), optionally {@code train_num_frame.npy} (N) ints, and the same with {@code val_} (or
 * {@code test_}). Units are the train rows, then the val rows; records get source split "train"
 * and "test".
 *
 * <p>The arrays are already (C, T, V, M); they are read row by row at random, so units are read on
 * worker threads. The valid frame count is {@code min(num_frame, T)} when the num_frame file exists
 * (as PCM3's feeders clamp it), else the number of frames holding a non-zero value.
 */
public final class AgcnNpySource implements SampleSource {

    public static final String FORMAT = "agcn-npy";
    /** Data file names tried in order, after the part prefix. */
    public static final List<String> DATA_SUFFIXES = List.of("_data_joint.npy", "_data.npy", "_position.npy");

    private static final Pattern NTU_NAME = Pattern.compile("S(\\d{3})C(\\d{3})P(\\d{3})R(\\d{3})A(\\d{3})");

    private final Path folder;
    private final SkeletonLayout layout;
    private final List<Part> parts = new ArrayList<>();
    private final int maxFrames;
    private final int persons;
    private final int numClasses;

    /** Reads a folder with the NTU 25-joint layout; the class count is the largest label + 1. */
    public AgcnNpySource(Path folder) throws IOException {
        this(folder, Layouts.ntu25(), 0);
    }

    /**
     * @param layout     the joints' layout; the arrays' V must equal its joint count
     * @param numClasses the number of classes (e.g. 60); 0 or less to take the largest label + 1
     */
    public AgcnNpySource(Path folder, SkeletonLayout layout, int numClasses) throws IOException {
        this.folder = folder;
        this.layout = layout;
        if (!Files.isDirectory(folder)) {
            throw new IOException(folder + ": not a folder (expected train_data_joint.npy, train_label.pkl, ...)");
        }
        try {
            // parts joins in order as each opens, so close() releases whatever opened before an error
            addPart(openPart("train", "train"));
            addPart(openPart("val", "test"));
            addPart(openPart("test", "test"));
            if (parts.stream().filter(p -> p.split.equals("test")).count() > 1) {
                throw new IOException(folder + " holds both val_ and test_ files; keep one of them");
            }
            if (parts.isEmpty()) {
                throw new IOException(folder + ": no data found; expected train_data_joint.npy (or train_data.npy) "
                        + "with train_label.pkl, and val_data_joint.npy with val_label.pkl");
            }
            int t = 0;
            int m = -1;
            int maxLabel = -1;
            for (Part p : parts) {
                if (m >= 0 && p.persons != m) {
                    throw new IOException(folder + ": " + parts.get(0).dataName + " has " + m + " persons but "
                            + p.dataName + " has " + p.persons);
                }
                m = p.persons;
                t = Math.max(t, p.frames);
                for (int i = 0; i < p.count; i++) {
                    maxLabel = Math.max(maxLabel, p.labels.label(i));
                }
            }
            if (numClasses > 0) {
                for (Part p : parts) {
                    for (int i = 0; i < p.count; i++) {
                        if (p.labels.label(i) >= numClasses) {
                            throw new IOException(folder.resolve(p.prefix + "_label.pkl") + ": label "
                                    + p.labels.label(i) + " of sample " + p.labels.names().get(i) + " (index " + i
                                    + ") is outside 0.." + (numClasses - 1));
                        }
                    }
                }
            }
            this.maxFrames = t;
            this.persons = m;
            this.numClasses = numClasses > 0 ? numClasses : maxLabel + 1;
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void addPart(Part p) {
        if (p != null) {
            parts.add(p);
        }
    }

    private Part openPart(String prefix, String split) throws IOException {
        Path data = null;
        for (String suffix : DATA_SUFFIXES) {
            Path p = folder.resolve(prefix + suffix);
            if (Files.isRegularFile(p)) {
                data = p;
                break;
            }
        }
        Path label = folder.resolve(prefix + "_label.pkl");
        if (data == null) {
            if (Files.exists(label)) {
                throw new IOException(folder + ": found " + label.getFileName() + " but no " + prefix
                        + "_data_joint.npy (or " + prefix + "_data.npy) beside it");
            }
            return null;
        }
        if (!Files.isRegularFile(label)) {
            throw new IOException(folder + ": found " + data.getFileName() + " but no " + label.getFileName()
                    + " beside it (the labels)");
        }
        NpyRowFile rows = NpyRowFile.open(data);
        try {
            long[] s = rows.header().shape();
            if (s.length != 5) {
                throw new IOException(data + ": shape " + rows.header().shapeString()
                        + ", expected (N, 3, T, V, M), e.g. (N, 3, 300, 25, 2)");
            }
            rows.rows().requireFloat();
            if (s[1] != 3) {
                throw new IOException(data + ": shape " + rows.header().shapeString() + " has " + s[1]
                        + " coordinates, expected 3 (x, y, z) in the second dimension");
            }
            if (s[3] != layout.numJoints()) {
                throw new IOException(data + ": shape " + rows.header().shapeString() + " has V=" + s[3]
                        + " joints but layout " + layout.name() + " has " + layout.numJoints()
                        + "; choose the matching layout");
            }
            if (s[0] > Integer.MAX_VALUE || s[2] < 1 || s[4] < 1) {
                throw new IOException(data + ": implausible shape " + rows.header().shapeString());
            }
            int n = (int) s[0];
            LabelFile labels = LabelFile.read(label);
            if (labels.size() != n) {
                throw new IOException(label + " lists " + labels.size() + " samples but " + data.getFileName()
                        + " has " + n + " rows");
            }
            long[] numFrame = null;
            Path nf = folder.resolve(prefix + "_num_frame.npy");
            if (Files.isRegularFile(nf)) {
                try (NpyRowFile f = NpyRowFile.open(nf)) {
                    numFrame = f.readIntegers();
                }
                if (numFrame.length != n) {
                    throw new IOException(nf + " has " + numFrame.length + " values but " + data.getFileName()
                            + " has " + n + " rows");
                }
            }
            return new Part(prefix, split, data.getFileName().toString(), rows, n, (int) s[2], (int) s[4], labels,
                    numFrame);
        } catch (IOException | RuntimeException e) {
            rows.close();
            throw e;
        }
    }

    @Override
    public Info info() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("layout", layout.name());
        return new Info(FORMAT, layout, persons, maxFrames, numClasses, ClassNames.guess(layout, numClasses), options);
    }

    @Override
    public long size() {
        long n = 0;
        for (Part p : parts) {
            n += p.count;
        }
        return n;
    }

    /** Rows per split, in unit order, e.g. {@code {train=40091, test=16487}}. */
    public Map<String, Integer> counts() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (Part p : parts) {
            m.put(p.split, p.count);
        }
        return m;
    }

    /** Whether the part read into {@code split} had a num_frame file. */
    public boolean hasFrameCounts(String split) {
        return parts.stream().anyMatch(p -> p.split.equals(split) && p.numFrame != null);
    }

    @Override
    public Iterator<Unit> units() {
        return new Iterator<>() {
            private int part;
            private int row;

            @Override
            public boolean hasNext() {
                while (part < parts.size() && row >= parts.get(part).count) {
                    part++;
                    row = 0;
                }
                return part < parts.size();
            }

            @Override
            public Unit next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Part p = parts.get(part);
                int i = row++;
                return new Unit() {
                    @Override
                    public String name() {
                        return p.split + "[" + i + "]";
                    }

                    @Override
                    public List<Record> read() throws IOException {
                        return List.of(p.sample(i));
                    }
                };
            }
        };
    }

    /** Frames (of the (3, T, V, M) array) holding at least one non-zero value. */
    static int nonZeroFrames(float[] data, int frames, int joints, int persons) {
        int plane = joints * persons;
        int valid = 0;
        for (int t = 0; t < frames; t++) {
            boolean any = false;
            for (int c = 0; c < 3 && !any; c++) {
                int base = (c * frames + t) * plane;
                for (int k = 0; k < plane; k++) {
                    if (data[base + k] != 0f) {
                        any = true;
                        break;
                    }
                }
            }
            if (any) {
                valid++;
            }
        }
        return valid;
    }

    /** Our name and metadata for a sample name of the label file ({@code .skeleton} dropped, NTU ids parsed). */
    static SampleMeta meta(String rawName, String source) {
        String name = rawName.endsWith(".skeleton") ? rawName.substring(0, rawName.length() - 9) : rawName;
        Matcher m = NTU_NAME.matcher(name);
        if (m.matches()) {
            return new SampleMeta(name, Integer.parseInt(m.group(3)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(1)), Integer.parseInt(m.group(4)), name, source);
        }
        return SampleMeta.named(name, source);
    }

    @Override
    public void close() throws IOException {
        for (Part p : parts) {
            p.rows.close();
        }
    }

    private final class Part {
        final String prefix;
        final String split;
        final String dataName;
        final NpyRowFile rows;
        final int count;
        final int frames;
        final int persons;
        final LabelFile labels;
        final long[] numFrame;

        Part(String prefix, String split, String dataName, NpyRowFile rows, int count, int frames, int persons,
             LabelFile labels, long[] numFrame) {
            this.prefix = prefix;
            this.split = split;
            this.dataName = dataName;
            this.rows = rows;
            this.count = count;
            this.frames = frames;
            this.persons = persons;
            this.labels = labels;
            this.numFrame = numFrame;
        }

        Sample sample(int i) throws IOException {
            byte[] b = rows.readRow(i);
            int joints = layout.numJoints();
            float[] data = new float[rows.rows().rowItems()];
            rows.rows().toFloats(b, data);
            int valid = numFrame != null ? (int) Math.max(0, Math.min(numFrame[i], frames))
                    : nonZeroFrames(data, frames, joints, persons);
            SampleMeta meta = meta(labels.names().get(i), dataName + "[" + i + "]");
            return new Sample(data, frames, joints, persons, valid, labels.label(i), meta, split);
        }
    }
}
