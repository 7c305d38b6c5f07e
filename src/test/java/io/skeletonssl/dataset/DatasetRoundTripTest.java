package io.skeletonssl.dataset;

import io.skeletonssl.layout.Layouts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatasetRoundTripTest {

    static DatasetWriter.Spec spec(int maxFrames) {
        return new DatasetWriter.Spec("test", Layouts.ntu25(), maxFrames, 2, 3, List.of("a", "b", "c"),
                Map.of("format", "unit-test"), Map.of());
    }

    static Sample clip(String name, int frames, int label, float base) {
        float[] d = new float[3 * frames * 25 * 2];
        for (int i = 0; i < d.length; i++) {
            d[i] = base + i;
        }
        return new Sample(d, frames, 25, 2, frames, label, new SampleMeta(name, 3, 2, 1, 1, name, "src/" + name));
    }

    @Test
    void clipsArePaddedAndReadBackExactly(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("ds");
        Sample a = clip("A", 4, 0, 1);
        Sample b = clip("B", 6, 2, 1000);
        try (DatasetWriter w = new DatasetWriter(out, spec(5), false)) {
            w.add("train", a);
            w.add("train", b);
            w.skip("C", "broken");
            w.commit();
        }
        try (SkeletonDataset ds = SkeletonDataset.open(out)) {
            Manifest m = ds.manifest();
            assertThat(m.splits().get("train").count()).isEqualTo(2);
            assertThat(m.splits().get("train").classCounts()).containsExactly(1, 0, 1);
            assertThat(m.skipped()).containsExactly(new Manifest.Skipped("C", "broken"));
            assertThat(m.warnings()).anyMatch(w -> w.contains("1 clip(s) longer than 5 frames were truncated"));
            SkeletonDataset.ClipSplit s = ds.clips("train");
            assertThat(s.frames()).isEqualTo(5);
            Sample ra = s.sample(0);
            for (int c = 0; c < 3; c++) {
                for (int t = 0; t < 5; t++) {
                    for (int v = 0; v < 25; v++) {
                        for (int p = 0; p < 2; p++) {
                            float expected = t < 4 ? a.get(c, t, v, p) : 0f;
                            assertThat(ra.get(c, t, v, p)).isEqualTo(expected);
                        }
                    }
                }
            }
            assertThat(ra.validFrames()).isEqualTo(4);
            Sample rb = s.sample(1);
            assertThat(rb.validFrames()).as("clamped to T").isEqualTo(5);
            assertThat(rb.get(2, 4, 24, 1)).isEqualTo(b.get(2, 4, 24, 1));
            assertThat(rb.meta()).isEqualTo(b.meta());
            assertThat(rb.label()).isEqualTo(2);
        }
    }

    @Test
    void streamsRoundTrip(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("ds");
        float[] d = new float[3 * 7 * 25 * 2];
        for (int i = 0; i < d.length; i++) {
            d[i] = i * 0.5f;
        }
        List<StreamSample.Segment> segs = List.of(new StreamSample.Segment(1, 2, 4), new StreamSample.Segment(2, 5, 7));
        StreamSample s = new StreamSample(d, 7, 25, 2, StreamSample.frameLabels(7, segs), segs,
                SampleMeta.named("video1", "v1.txt"), null);
        try (DatasetWriter w = new DatasetWriter(out, spec(300), false)) {
            w.add("test", s);
            w.add("test", s);
            w.commit();
        }
        try (SkeletonDataset ds = SkeletonDataset.open(out)) {
            SkeletonDataset.StreamSplit split = ds.streams("test");
            assertThat(split.size()).isEqualTo(2);
            StreamSample r = split.stream(1);
            assertThat(r.data()).containsExactly(d);
            assertThat(r.frameLabels()).containsExactly(0, 0, 2, 2, 0, 3, 3);
            assertThat(r.segments()).isEqualTo(segs);
            assertThatThrownBy(() -> ds.clips("test")).hasMessageContaining("holds streams");
            assertThatThrownBy(() -> ds.clips("nope")).hasMessageContaining("no split 'nope'");
        }
    }

    @Test
    void nothingIsLeftBehindWithoutCommit(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("ds");
        try (DatasetWriter w = new DatasetWriter(out, spec(5), false)) {
            w.add("train", clip("A", 3, 0, 0));
        }
        assertThat(out).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void existingOutputNeedsForceAndIsReplacedWhole(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("ds");
        try (DatasetWriter w = new DatasetWriter(out, spec(5), false)) {
            w.add("train", clip("A", 3, 0, 0));
            w.commit();
        }
        assertThatThrownBy(() -> new DatasetWriter(out, spec(5), false)).hasMessageContaining("--force");
        try (DatasetWriter w = new DatasetWriter(out, spec(5), true)) {
            w.add("val", clip("B", 3, 1, 0));
            // a failure before commit leaves the old dataset untouched
        }
        try (SkeletonDataset ds = SkeletonDataset.open(out)) {
            assertThat(ds.splitNames()).containsExactly("train");
        }
        try (DatasetWriter w = new DatasetWriter(out, spec(5), true)) {
            w.add("val", clip("B", 3, 1, 0));
            w.commit();
        }
        try (SkeletonDataset ds = SkeletonDataset.open(out)) {
            assertThat(ds.splitNames()).containsExactly("val");
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("ds");
        }
    }

    @Test
    void wrongShapesAndLabelsAreRefused(@TempDir Path dir) throws Exception {
        try (DatasetWriter w = new DatasetWriter(dir.resolve("ds"), spec(5), false)) {
            Sample oneJoint = new Sample(new float[3 * 2 * 1 * 2], 2, 1, 2, 2, 0, SampleMeta.named("X", null));
            assertThatThrownBy(() -> w.add("train", oneJoint)).hasMessageContaining("sample X has V=1");
            assertThatThrownBy(() -> w.add("train", clip("Y", 2, 7, 0))).hasMessageContaining("label 7 outside 0..2");
        }
        assertThatThrownBy(() -> new Sample(new float[10], 2, 25, 2, 2, 0, SampleMeta.named("Z", null)))
                .hasMessageContaining("data has 10 values");
    }

    @Test
    void openingSomethingElseExplainsWhat(@TempDir Path dir) {
        assertThatThrownBy(() -> SkeletonDataset.open(dir.resolve("missing"))).hasMessageContaining("missing");
        assertThatThrownBy(() -> SkeletonDataset.open(dir)).hasMessageContaining("no manifest.json");
    }
}
