package io.skeletonssl.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.skeletonssl.io.AtomicDirectory;
import io.skeletonssl.io.NpyWriter;
import io.skeletonssl.io.WriteFailure;
import io.skeletonssl.layout.SkeletonLayout;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a prepared dataset folder. Everything goes to a hidden temporary folder beside the target
 * and is moved into place by {@link #commit()}; closing without committing deletes it, so a failed
 * or killed run never leaves a half-written dataset.
 *
 * <p>Clip splits: {@code <split>/data.npy} (N,C,T,V,M) float32, {@code frames.npy} (N) int32 valid
 * frame counts, {@code labels.npy} (N) int32, {@code meta.jsonl}. Stream splits:
 * {@code data.npy} (total frames,C,V,M), {@code offsets.npy} (N+1) int64,
 * {@code frame_labels.npy} int32 (0 background, k = class k−1), {@code meta.jsonl} with segments.
 * Not thread-safe: one collector thread writes.
 */
public final class DatasetWriter implements Closeable {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper JSONL = new ObjectMapper();

    /** What a dataset is, known before the first sample is written. */
    public record Spec(String name, SkeletonLayout layout, int maxFrames, int persons, int numClasses,
                       List<String> classNames, Map<String, Object> source, Map<String, Object> options) {
    }

    private final AtomicDirectory dir;
    private final Spec spec;
    private final Map<String, SplitWriter> splits = new LinkedHashMap<>();
    private final List<Manifest.Skipped> skipped = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private int truncated;
    private boolean committed;

    public DatasetWriter(Path target, Spec spec, boolean overwrite) throws IOException {
        this.spec = spec;
        this.dir = AtomicDirectory.create(target, overwrite);
    }

    public Spec spec() {
        return spec;
    }

    /** Adds a clip or a stream to the named split. */
    public void add(String split, Record record) throws IOException {
        SplitWriter w = splits.get(split);
        if (w == null) {
            w = record instanceof Sample ? new ClipWriter(split) : new StreamWriter(split);
            splits.put(split, w);
        }
        try {
            w.add(record);
        } catch (IOException e) {
            // the writers' messages name the file; this says which sample it was
            throw new IOException("sample " + record.name() + " of split '" + split + "': " + e.getMessage(), e);
        }
    }

    public void skip(String name, String reason) {
        skipped.add(new Manifest.Skipped(name, reason));
    }

    public void warn(String warning) {
        warnings.add(warning);
    }

    public List<Manifest.Skipped> skipped() {
        return List.copyOf(skipped);
    }

    public Map<String, Integer> counts() {
        Map<String, Integer> out = new LinkedHashMap<>();
        splits.forEach((k, v) -> out.put(k, v.count));
        return out;
    }

    /** Finishes all files, writes the manifest and moves the folder into place. */
    public Manifest commit() throws IOException {
        Map<String, Manifest.SplitInfo> infos = new LinkedHashMap<>();
        for (SplitWriter w : splits.values()) {
            infos.put(w.name, w.finish());
        }
        if (truncated > 0) {
            warnings.add(truncated + " clip(s) longer than " + spec.maxFrames() + " frames were truncated");
        }
        Manifest m = new Manifest(Manifest.FORMAT_VERSION, spec.name(), spec.layout(), Sample.CHANNELS,
                spec.maxFrames(), spec.layout().numJoints(), spec.persons(), spec.numClasses(), spec.classNames(),
                infos, spec.source(), spec.options(), List.copyOf(skipped), List.copyOf(warnings),
                Instant.now().toString());
        Path manifest = dir.temp().resolve(Manifest.FILE);
        try {
            AtomicDirectory.requireNotAborted(manifest);
            JSON.writeValue(manifest.toFile(), m);
        } catch (IOException e) {
            throw WriteFailure.writing("the dataset manifest", manifest, e);
        }
        dir.commit();
        committed = true;
        return m;
    }

    @Override
    public void close() throws IOException {
        if (!committed) {
            for (SplitWriter w : splits.values()) {
                w.abort();
            }
        }
        dir.close();
    }

    private void checkShape(Record r, int joints, int persons) {
        if (joints != spec.layout().numJoints() || persons != spec.persons()) {
            throw new IllegalArgumentException("sample " + r.name() + " has V=" + joints + ", M=" + persons
                    + " but the dataset has V=" + spec.layout().numJoints() + ", M=" + spec.persons());
        }
    }

    private abstract class SplitWriter {
        final String name;
        final Path folder;
        final int[] classCounts = new int[Math.max(spec.numClasses(), 0)];
        final BufferedWriter meta;
        int count;
        long totalFrames;

        SplitWriter(String name) throws IOException {
            if (!name.matches("[A-Za-z0-9_.-]+")) {
                throw new IllegalArgumentException("split name '" + name + "' must be letters, digits, '_', '-' or '.'");
            }
            this.name = name;
            Path f = dir.temp().resolve(name);
            try {
                AtomicDirectory.requireNotAborted(f);
                this.folder = Files.createDirectories(f);
                this.meta = Files.newBufferedWriter(folder.resolve("meta.jsonl"), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw WriteFailure.writing("split '" + name + "'", f, e);
            }
        }

        abstract void add(Record r) throws IOException;

        void countLabel(int label, String sample) {
            if (label >= classCounts.length || label < -1) {
                throw new IllegalArgumentException("sample " + sample + ": label " + label + " outside 0.."
                        + (classCounts.length - 1));
            }
            if (label >= 0) {
                classCounts[label]++;
            }
        }

        void writeMeta(Map<String, Object> line) throws IOException {
            try {
                meta.write(JSONL.writeValueAsString(line));
                meta.write('\n');
            } catch (IOException e) {
                throw WriteFailure.writing("sample metadata", folder.resolve("meta.jsonl"), e);
            }
        }

        void closeMeta() throws IOException {
            try {
                meta.close();
            } catch (IOException e) {
                throw WriteFailure.writing("sample metadata", folder.resolve("meta.jsonl"), e);
            }
        }

        abstract Manifest.SplitInfo finish() throws IOException;

        abstract void abort() throws IOException;
    }

    private final class ClipWriter extends SplitWriter {
        final NpyWriter data;
        final NpyWriter frames;
        final NpyWriter labels;
        final float[] row;

        ClipWriter(String name) throws IOException {
            super(name);
            int v = spec.layout().numJoints();
            int m = spec.persons();
            int t = spec.maxFrames();
            data = new NpyWriter(folder.resolve("data.npy"), "<f4", Sample.CHANNELS, t, v, m);
            frames = new NpyWriter(folder.resolve("frames.npy"), "<i4");
            labels = new NpyWriter(folder.resolve("labels.npy"), "<i4");
            row = new float[Sample.CHANNELS * t * v * m];
        }

        @Override
        void add(Record r) throws IOException {
            Sample s = (Sample) r;
            checkShape(s, s.joints(), s.persons());
            countLabel(s.label(), s.name());
            int t = spec.maxFrames();
            int keep = Math.min(s.frames(), t);
            if (s.validFrames() > t) {
                truncated++;
            }
            int plane = s.joints() * s.persons();
            java.util.Arrays.fill(row, 0f);
            for (int c = 0; c < Sample.CHANNELS; c++) {
                System.arraycopy(s.data(), c * s.frames() * plane, row, c * t * plane, keep * plane);
            }
            data.writeRow(row);
            frames.writeInt(Math.min(s.validFrames(), t));
            labels.writeInt(s.label());
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("index", count);
            line.put("name", s.name());
            line.put("label", s.label());
            line.put("frames", s.validFrames());
            putMeta(line, s.meta());
            writeMeta(line);
            count++;
            totalFrames += Math.min(s.validFrames(), t);
        }

        @Override
        Manifest.SplitInfo finish() throws IOException {
            data.close();
            frames.close();
            labels.close();
            closeMeta();
            return new Manifest.SplitInfo(Manifest.Kind.clips, count, totalFrames, classCounts,
                    List.of("data.npy", "frames.npy", "labels.npy", "meta.jsonl"));
        }

        @Override
        void abort() throws IOException {
            finish();
        }
    }

    private final class StreamWriter extends SplitWriter {
        final NpyWriter data;
        final NpyWriter offsets;
        final NpyWriter frameLabels;

        StreamWriter(String name) throws IOException {
            super(name);
            data = new NpyWriter(folder.resolve("data.npy"), "<f4", Sample.CHANNELS, spec.layout().numJoints(),
                    spec.persons());
            offsets = new NpyWriter(folder.resolve("offsets.npy"), "<i8");
            frameLabels = new NpyWriter(folder.resolve("frame_labels.npy"), "<i4");
            offsets.writeLong(0);
        }

        @Override
        void add(Record r) throws IOException {
            StreamSample s = (StreamSample) r;
            checkShape(s, s.joints(), s.persons());
            int plane = s.joints() * s.persons();
            float[] frame = new float[Sample.CHANNELS * plane];
            for (int t = 0; t < s.frames(); t++) {
                for (int c = 0; c < Sample.CHANNELS; c++) {
                    System.arraycopy(s.data(), (c * s.frames() + t) * plane, frame, c * plane, plane);
                }
                data.writeRow(frame);
                frameLabels.writeInt(s.frameLabels()[t]);
            }
            totalFrames += s.frames();
            offsets.writeLong(totalFrames);
            List<Map<String, Integer>> segs = new ArrayList<>();
            for (StreamSample.Segment seg : s.segments()) {
                countLabel(seg.label(), s.name());
                segs.add(Map.of("label", seg.label(), "start", seg.start(), "end", seg.end()));
            }
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("index", count);
            line.put("name", s.name());
            line.put("frames", s.frames());
            putMeta(line, s.meta());
            line.put("segments", segs);
            writeMeta(line);
            count++;
        }

        @Override
        Manifest.SplitInfo finish() throws IOException {
            data.close();
            offsets.close();
            frameLabels.close();
            closeMeta();
            return new Manifest.SplitInfo(Manifest.Kind.streams, count, totalFrames, classCounts,
                    List.of("data.npy", "offsets.npy", "frame_labels.npy", "meta.jsonl"));
        }

        @Override
        void abort() throws IOException {
            finish();
        }
    }

    private static void putMeta(Map<String, Object> line, SampleMeta m) {
        line.put("subject", m.subject());
        line.put("view", m.view());
        line.put("setup", m.setup());
        line.put("replication", m.replication());
        if (m.group() != null && !m.group().equals(m.name())) {
            line.put("group", m.group());
        }
        if (m.source() != null) {
            line.put("source", m.source());
        }
    }
}
