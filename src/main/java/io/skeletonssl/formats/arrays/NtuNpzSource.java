package io.skeletonssl.formats.arrays;

import io.skeletonssl.dataset.BadSampleException;
import io.skeletonssl.dataset.Record;
import io.skeletonssl.dataset.Sample;
import io.skeletonssl.dataset.SampleMeta;
import io.skeletonssl.formats.SampleSource;
import io.skeletonssl.layout.Layouts;
import io.skeletonssl.layout.SkeletonLayout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The {@code .npz} of the MAMP / CTR-GCN NTU pipeline ({@code NTU60_XSub.npz} and friends): arrays
 * {@code x_train} (N, T, M·V·3) float32 and {@code y_train} (N, C) one-hot, and the same with
 * {@code _test}. Units are the train rows, then the test rows; each becomes a {@link Sample} with
 * source split "train" or "test".
 *
 * <p>Per row, as MAMP's feeder reads it: the T×(M·V·3) matrix is (T, M, V, xyz) and is transposed
 * to our (xyz, T, V, M); the valid frame count is the number of frames with any non-zero value
 * (MAMP counts frames whose sum is non-zero, which differs only if a frame's values cancel
 * exactly); the label is the column of the single 1 of the one-hot row.
 */
public final class NtuNpzSource implements SampleSource {

    public static final String FORMAT = "ntu-npz";
    private static final List<String> SPLITS = List.of("train", "test");

    private final NpzArchive archive;
    private final SkeletonLayout layout;
    private final List<Part> parts = new ArrayList<>();
    private final int frames;
    private final int joints;
    private final int persons;
    private final int numClasses;
    private final List<NpyRowStream> openStreams = Collections.synchronizedList(new ArrayList<>());

    /** Reads an npz with the NTU 25-joint layout. */
    public NtuNpzSource(Path npz) throws IOException {
        this(npz, Layouts.ntu25());
    }

    /**
     * Reads an npz whose rows hold M persons of {@code layout}'s V joints (M = columns / (3·V)).
     * Shapes, keys and all labels are checked here; a bad file fails at once.
     */
    public NtuNpzSource(Path npz, SkeletonLayout layout) throws IOException {
        this.layout = layout;
        this.archive = NpzArchive.open(npz);
        try {
            int t = -1;
            int cols = -1;
            int c = -1;
            for (String split : SPLITS) {
                Part p = openPart(split);
                if (t >= 0 && (p.frames != t || p.columns != cols || p.classes != c)) {
                    throw new IOException(npz + ": x_" + split + "/y_" + split + " have " + p.frames + " frames, "
                            + p.columns + " columns and " + p.classes + " classes but x_train/y_train have " + t
                            + ", " + cols + " and " + c);
                }
                t = p.frames;
                cols = p.columns;
                c = p.classes;
                parts.add(p);
            }
            int perPerson = 3 * layout.numJoints();
            if (cols == 0 || cols % perPerson != 0) {
                throw new IOException(npz + ": rows of " + cols + " values are not a whole number of persons × "
                        + layout.numJoints() + " joints × 3 coordinates (layout " + layout.name()
                        + "); is the layout right?");
            }
            this.frames = t;
            this.joints = layout.numJoints();
            this.persons = cols / perPerson;
            this.numClasses = c;
        } catch (IOException | RuntimeException e) {
            archive.close();
            throw e;
        }
    }

    private Part openPart(String split) throws IOException {
        NpzArchive.Member x = archive.member("x_" + split);
        NpzArchive.Member y = archive.member("y_" + split);
        long[] xs = x.header().shape();
        if (xs.length != 3) {
            throw new IOException(archive.file() + ": x_" + split + " has shape " + x.header().shapeString()
                    + ", expected (N, T, M·V·3), e.g. (N, 300, 150)");
        }
        x.rows().requireFloat();
        long[] ys = y.header().shape();
        if (ys.length != 2) {
            throw new IOException(archive.file() + ": y_" + split + " has shape " + y.header().shapeString()
                    + ", expected (N, C) one-hot rows");
        }
        if (ys[0] != xs[0]) {
            throw new IOException(archive.file() + ": x_" + split + " has " + xs[0] + " rows but y_" + split
                    + " has " + ys[0]);
        }
        if (xs[0] > Integer.MAX_VALUE || xs[1] > Integer.MAX_VALUE || xs[1] < 1 || xs[2] > Integer.MAX_VALUE
                || ys[1] > Integer.MAX_VALUE || ys[1] < 1) {
            throw new IOException(archive.file() + ": implausible shapes x_" + split + " "
                    + x.header().shapeString() + ", y_" + split + " " + y.header().shapeString());
        }
        Part p = new Part(split, x, (int) xs[0], (int) xs[1], (int) xs[2], (int) ys[1]);
        readLabels(p, y);
        if (!x.compressed()) {
            p.randomAccess = x.randomAccess();
        }
        return p;
    }

    private void readLabels(Part p, NpzArchive.Member y) throws IOException {
        try (NpyRowStream s = y.openStream()) {
            NpyRows rows = s.rows();
            byte[] row = new byte[rows.rowBytes()];
            for (int i = 0; i < p.count; i++) {
                s.readRow(row);
                int one = -1;
                String problem = null;
                for (int k = 0; k < p.classes && problem == null; k++) {
                    double v = rows.element(row, k);
                    if (v == 1.0) {
                        if (one >= 0) {
                            problem = "columns " + one + " and " + k + " are both 1";
                        }
                        one = k;
                    } else if (v != 0.0) {
                        problem = "value " + v + " at column " + k;
                    }
                }
                if (problem == null && one < 0) {
                    problem = "no column is 1";
                }
                if (problem != null) {
                    p.badLabels.put(i, "y_" + p.split + "[" + i + "] is not a one-hot row: " + problem);
                }
                p.labels[i] = one;
            }
        }
    }

    @Override
    public Info info() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("layout", layout.name());
        return new Info(FORMAT, layout, persons, frames, numClasses, ClassNames.guess(layout, numClasses), options);
    }

    @Override
    public long size() {
        long n = 0;
        for (Part p : parts) {
            n += p.count;
        }
        return n;
    }

    /** Rows per split, in unit order: {@code {train=N_train, test=N_test}}. */
    public Map<String, Integer> counts() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (Part p : parts) {
            m.put(p.split, p.count);
        }
        return m;
    }

    @Override
    public Iterator<Unit> units() {
        return new Iterator<>() {
            private int part;
            private int row;
            private NpyRowStream stream;
            private boolean failed;

            @Override
            public boolean hasNext() {
                if (failed) {
                    return false;
                }
                while (part < parts.size() && row >= parts.get(part).count) {
                    closeStream();
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
                if (p.randomAccess != null) {
                    return new RowUnit(p, i, null);
                }
                // A compressed member can only be read in order: take the bytes here, decode on a worker.
                try {
                    if (stream == null) {
                        stream = p.x.openStream();
                        openStreams.add(stream);
                    }
                    byte[] bytes = stream.readRow();
                    if (row >= p.count) {
                        closeStream();
                    }
                    return new RowUnit(p, i, bytes);
                } catch (IOException e) {
                    failed = true;
                    closeStream();
                    return new FailedUnit(p.split + "[" + i + "]", e);
                }
            }

            private void closeStream() {
                if (stream != null) {
                    openStreams.remove(stream);
                    try {
                        stream.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    stream = null;
                }
            }
        };
    }

    /** Transposes one (T, M, V, 3) row into (3, T, V, M) and returns the number of frames with a non-zero value. */
    static int toChannelsFirst(float[] row, float[] out, int frames, int joints, int persons) {
        int valid = 0;
        int src = 0;
        for (int t = 0; t < frames; t++) {
            boolean any = false;
            for (int m = 0; m < persons; m++) {
                for (int v = 0; v < joints; v++) {
                    for (int c = 0; c < 3; c++) {
                        float x = row[src++];
                        any |= x != 0f;
                        out[((c * frames + t) * joints + v) * persons + m] = x;
                    }
                }
            }
            if (any) {
                valid++;
            }
        }
        return valid;
    }

    @Override
    public void close() throws IOException {
        synchronized (openStreams) {
            for (NpyRowStream s : openStreams) {
                s.close();
            }
            openStreams.clear();
        }
        for (Part p : parts) {
            if (p.randomAccess != null) {
                p.randomAccess.close();
            }
        }
        archive.close();
    }

    private final class RowUnit implements Unit {
        private final Part part;
        private final int index;
        private final byte[] bytes;

        RowUnit(Part part, int index, byte[] bytes) {
            this.part = part;
            this.index = index;
            this.bytes = bytes;
        }

        @Override
        public String name() {
            return part.split + "[" + index + "]";
        }

        @Override
        public List<Record> read() throws IOException, BadSampleException {
            String bad = part.badLabels.get(index);
            if (bad != null) {
                throw new BadSampleException(name(), bad);
            }
            byte[] b = bytes != null ? bytes : part.randomAccess.readRow(index);
            NpyRows rows = part.x.rows();
            float[] flat = new float[rows.rowItems()];
            rows.toFloats(b, flat);
            float[] data = new float[flat.length];
            int valid = toChannelsFirst(flat, data, frames, joints, persons);
            SampleMeta meta = SampleMeta.named(name(),
                    archive.file().getFileName() + ":x_" + part.split + "[" + index + "]");
            return List.of(new Sample(data, frames, joints, persons, valid, part.labels[index], meta, part.split));
        }
    }

    private record FailedUnit(String name, IOException error) implements Unit {
        @Override
        public List<Record> read() throws IOException {
            throw error;
        }
    }

    private static final class Part {
        final String split;
        final NpzArchive.Member x;
        final int count;
        final int frames;
        final int columns;
        final int classes;
        final int[] labels;
        final Map<Integer, String> badLabels = new HashMap<>();
        NpyRowFile randomAccess;

        Part(String split, NpzArchive.Member x, int count, int frames, int columns, int classes) {
            this.split = split;
            this.x = x;
            this.count = count;
            this.frames = frames;
            this.columns = columns;
            this.classes = classes;
            this.labels = new int[count];
        }
    }
}
