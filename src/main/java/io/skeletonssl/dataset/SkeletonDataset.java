package io.skeletonssl.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skeletonssl.io.MappedNpy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A prepared dataset folder opened for reading. Coordinate arrays are memory-mapped, so opening
 * costs almost no heap whatever the dataset size; all reads are thread-safe.
 */
public final class SkeletonDataset implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Manifest manifest;
    private final Map<String, AutoCloseable> open = new HashMap<>();

    private SkeletonDataset(Path dir, Manifest manifest) {
        this.dir = dir;
        this.manifest = manifest;
    }

    /**
     * Opens a dataset folder. Its manifest is validated first ({@link ManifestCheck}): required keys
     * and their types, the format version and layout, and the declared shapes, counts and labels
     * against the arrays on disk; an error names the manifest file and the offending key.
     */
    public static SkeletonDataset open(Path dir) throws IOException {
        Path file = dir.resolve(Manifest.FILE);
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "dataset folder not found");
        }
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null,
                    "not a prepared dataset (no manifest.json); create one with `prepare` or `synth`");
        }
        // checked against its schema and the arrays on disk: a bad manifest fails here, not as a null later
        return new SkeletonDataset(dir, ManifestCheck.read(dir));
    }

    public Path dir() {
        return dir;
    }

    public Manifest manifest() {
        return manifest;
    }

    public List<String> splitNames() {
        return List.copyOf(manifest.splits().keySet());
    }

    private Manifest.SplitInfo info(String split, Manifest.Kind kind) {
        Manifest.SplitInfo info = manifest.splits().get(split);
        if (info == null) {
            throw new IllegalArgumentException("dataset " + dir + " has no split '" + split + "' (it has "
                    + String.join(", ", manifest.splits().keySet()) + ")");
        }
        if (info.kind() != kind) {
            throw new IllegalArgumentException("split '" + split + "' of " + dir + " holds " + info.kind()
                    + ", not " + kind);
        }
        return info;
    }

    /** A split of trimmed clips. */
    public synchronized ClipSplit clips(String split) throws IOException {
        info(split, Manifest.Kind.clips);
        AutoCloseable c = open.get(split);
        if (c == null) {
            c = new ClipSplit(dir.resolve(split), split, manifest);
            open.put(split, c);
        }
        return (ClipSplit) c;
    }

    /** A split of untrimmed streams. */
    public synchronized StreamSplit streams(String split) throws IOException {
        info(split, Manifest.Kind.streams);
        AutoCloseable c = open.get(split);
        if (c == null) {
            c = new StreamSplit(dir.resolve(split), split, manifest);
            open.put(split, c);
        }
        return (StreamSplit) c;
    }

    @Override
    public synchronized void close() throws Exception {
        for (AutoCloseable c : open.values()) {
            c.close();
        }
        open.clear();
    }

    static List<JsonNode> readMeta(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (!line.isBlank()) {
                    try {
                        out.add(JSON.readTree(line));
                    } catch (IOException e) {
                        throw new IOException(file + " line " + n + ": malformed JSON", e);
                    }
                }
            }
        }
        return out;
    }

    static SampleMeta toMeta(JsonNode n) {
        return new SampleMeta(n.path("name").asText(), n.path("subject").asInt(-1), n.path("view").asInt(-1),
                n.path("setup").asInt(-1), n.path("replication").asInt(-1),
                n.hasNonNull("group") ? n.get("group").asText() : n.path("name").asText(),
                n.hasNonNull("source") ? n.get("source").asText() : null);
    }

    /** Trimmed clips of one split: (C, T, V, M) each, memory-mapped. */
    public static final class ClipSplit implements AutoCloseable {
        private final String name;
        private final MappedNpy data;
        private final int[] frames;
        private final int[] labels;
        private final Path metaFile;
        private volatile List<SampleMeta> meta;
        private final int t;
        private final int v;
        private final int m;

        ClipSplit(Path folder, String name, Manifest manifest) throws IOException {
            this.name = name;
            this.data = new MappedNpy(folder.resolve("data.npy"));
            try (MappedNpy f = new MappedNpy(folder.resolve("frames.npy"));
                 MappedNpy l = new MappedNpy(folder.resolve("labels.npy"))) {
                this.frames = f.readAllInts();
                this.labels = l.readAllInts();
            }
            long[] shape = data.header().shape();
            if (shape.length != 5 || shape[1] != Sample.CHANNELS) {
                throw new IOException(folder.resolve("data.npy") + ": expected shape (N, 3, T, V, M), found "
                        + data.header().shapeString());
            }
            if (frames.length != shape[0] || labels.length != shape[0]) {
                throw new IOException(folder + ": data.npy has " + shape[0] + " samples but frames.npy has "
                        + frames.length + " and labels.npy " + labels.length);
            }
            this.t = (int) shape[2];
            this.v = (int) shape[3];
            this.m = (int) shape[4];
            this.metaFile = folder.resolve("meta.jsonl");
        }

        public String name() {
            return name;
        }

        public int size() {
            return labels.length;
        }

        public int frames() {
            return t;
        }

        public int joints() {
            return v;
        }

        public int persons() {
            return m;
        }

        public int sampleSize() {
            return Sample.CHANNELS * t * v * m;
        }

        public int validFrames(int i) {
            return frames[i];
        }

        public int label(int i) {
            return labels[i];
        }

        public int[] labels() {
            return labels.clone();
        }

        /** Copies sample {@code i} (C·T·V·M floats) into {@code dst} at {@code off}. */
        public void read(int i, float[] dst, int off) {
            data.readFloats(i, dst, off);
        }

        public float[] read(int i) {
            return data.readFloats(i);
        }

        public SampleMeta meta(int i) {
            List<SampleMeta> local = meta;
            if (local == null) {
                synchronized (this) {
                    if (meta == null) {
                        try {
                            List<SampleMeta> list = new ArrayList<>();
                            for (JsonNode n : readMeta(metaFile)) {
                                list.add(toMeta(n));
                            }
                            meta = list;
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                    local = meta;
                }
            }
            return local.get(i);
        }

        public Sample sample(int i) {
            return new Sample(read(i), t, v, m, frames[i], labels[i], meta(i), name);
        }

        @Override
        public void close() throws IOException {
            data.close();
        }
    }

    /** Untrimmed streams of one split, with per-frame labels and segments. */
    public static final class StreamSplit implements AutoCloseable {
        private final String name;
        private final MappedNpy data;
        private final long[] offsets;
        private final MappedNpy frameLabels;
        private final List<JsonNode> meta;
        private final int v;
        private final int m;

        StreamSplit(Path folder, String name, Manifest manifest) throws IOException {
            this.name = name;
            this.data = new MappedNpy(folder.resolve("data.npy"));
            this.frameLabels = new MappedNpy(folder.resolve("frame_labels.npy"));
            try (MappedNpy o = new MappedNpy(folder.resolve("offsets.npy"))) {
                this.offsets = o.readAllLongs();
            }
            this.meta = readMeta(folder.resolve("meta.jsonl"));
            long[] shape = data.header().shape();
            this.v = (int) shape[2];
            this.m = (int) shape[3];
            if (offsets.length != meta.size() + 1 || offsets[offsets.length - 1] != shape[0]) {
                throw new IOException(folder + ": offsets.npy does not match data.npy / meta.jsonl");
            }
        }

        public String name() {
            return name;
        }

        public int size() {
            return meta.size();
        }

        public int length(int i) {
            return (int) (offsets[i + 1] - offsets[i]);
        }

        /** Joints V of every stream. */
        public int joints() {
            return v;
        }

        /** Persons M of every stream. */
        public int persons() {
            return m;
        }

        /** The name of stream {@code i}. */
        public String streamName(int i) {
            return meta.get(i).path("name").asText();
        }

        /** Stream {@code i} as a (C, L, V, M) sample-like record. */
        public StreamSample stream(int i) {
            int len = length(i);
            int plane = v * m;
            float[] frame = new float[Sample.CHANNELS * plane];
            float[] out = new float[Sample.CHANNELS * len * plane];
            int[] labels = new int[len];
            for (int t = 0; t < len; t++) {
                data.readFloats(offsets[i] + t, frame, 0);
                for (int c = 0; c < Sample.CHANNELS; c++) {
                    System.arraycopy(frame, c * plane, out, (c * len + t) * plane, plane);
                }
                labels[t] = (int) frameLabels.readLong(offsets[i] + t);
            }
            JsonNode n = meta.get(i);
            List<StreamSample.Segment> segs = new ArrayList<>();
            for (JsonNode s : n.path("segments")) {
                segs.add(new StreamSample.Segment(s.get("label").asInt(), s.get("start").asInt(), s.get("end").asInt()));
            }
            return new StreamSample(out, len, v, m, labels, segs, toMeta(n), name);
        }

        @Override
        public void close() throws IOException {
            data.close();
            frameLabels.close();
        }
    }
}
