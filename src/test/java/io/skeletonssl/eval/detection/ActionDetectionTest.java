package io.skeletonssl.eval.detection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skeletonssl.formats.Converter;
import io.skeletonssl.formats.Protocol;
import io.skeletonssl.formats.SplitAssigner;
import io.skeletonssl.synth.SynthConfig;
import io.skeletonssl.synth.SyntheticSource;
import io.skeletonssl.formats.utkinect.UtKinectSource;
import io.skeletonssl.testutil.SharedData;
import io.skeletonssl.training.RunDirectory;
import io.skeletonssl.util.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code eval detection} end to end on tiny synthetic streams, for a MAMP and a PCM3 encoder. */
class ActionDetectionTest {

    /** Tiny encoders and a short run: 16-frame windows, 2 epochs, every 8th test frame. */
    private static final List<String> SHORT = List.of("data.frames=16", "detection.windows_per_stream=8",
            "detection.batch_size=16", "detection.test_stride=8", "detection.stride=1",
            "detection.train_strides=[1,2]");
    private static final List<String> TINY_MAMP = List.of("model.dim=32", "model.depth=1", "model.heads=2",
            "model.decoder_dim=32", "model.decoder_depth=1", "model.decoder_heads=2");
    private static final List<String> TINY_PCM3 = List.of("model.hidden=8", "model.layers=2",
            "model.projector_hidden=16", "model.projector_out=8", "model.decoder_hidden=8", "model.decoder_layers=1",
            "masking.clips=2", "mixing.tem_min=1", "mixing.tem_max=3", "prompts.width=2", "moco.queue=16");

    @TempDir
    static Path shared;
    static Path data;
    static Path clipsOnly;

    @BeforeAll
    static void setUp() throws Exception {
        Progress.setEnabled(false);
        data = shared.resolve("synth");
        // subjects 1-3: under ntu60-xsub 1 and 2 train, 3 test; 4 streams -> 3 train, 1 test
        SynthConfig c = SynthConfig.small().withClasses(6).withSize(3, 1).withFrames(40, 200);
        new Converter(2).convert(new SyntheticSource(c, 4, 3, 10), SplitAssigner.withStreamSplits(Protocol.NTU60_XSUB),
                data, "synthetic-streams", Map.of("format", "synthetic"), false, false);
        clipsOnly = shared.resolve("clips");
        new Converter(2).convert(new SyntheticSource(c), Protocol.NTU60_XSUB, clipsOnly, "synthetic",
                Map.of("format", "synthetic"), false, false);
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    private static ActionDetection.Options options(String preset, List<String> tiny, Path dataset, Path out,
                                                   String... more) {
        List<String> sets = new ArrayList<>(SHORT);
        sets.addAll(tiny);
        sets.addAll(List.of(more));
        return new ActionDetection.Options("random", preset, sets, dataset, out, 2, 0L, null, null, null, false, 0);
    }

    private static void checkOutput(ActionDetection.Result r, String method) throws Exception {
        assertThat(r.trainStreams()).isEqualTo(3);
        assertThat(r.testStreams()).isEqualTo(1);
        assertThat(r.classes()).isEqualTo(6);
        assertThat(r.finalScores()).extracting(DetectionMetric.Scores::iou).containsExactly(0.1, 0.3, 0.5);
        for (DetectionMetric.Scores s : r.finalScores()) {
            assertThat(s.mapAction()).isBetween(0.0, 1.0);
            assertThat(s.mapVideo()).isBetween(0.0, 1.0);
        }
        // a looser IoU never scores lower
        assertThat(r.finalScores().get(0).mapAction()).isGreaterThanOrEqualTo(r.finalScores().get(2).mapAction());
        JsonNode m = new ObjectMapper().readTree(r.out().resolve(RunDirectory.METRICS_JSON).toFile());
        assertThat(m.path("protocol").asText()).isEqualTo("detection");
        assertThat(m.path("method").asText()).isEqualTo(method);
        assertThat(m.path("train_split").asText()).isEqualTo("train_streams");
        assertThat(m.path("test_split").asText()).isEqualTo("test_streams");
        assertThat(m.path("final_map_a").path("0.5").asDouble())
                .isEqualTo(100 * r.finalScores().get(2).mapAction());
        for (String k : List.of("code_version", "checkpoint", "encoder_source", "dataset", "seed", "classes",
                "final_map_v", "best_map_a@0.5_note", "window", "skipped_streams")) {
            assertThat(m.has(k)).as(k).isTrue();
        }
        assertThat(RunDirectory.open(r.out()).readMetrics()).hasSize(2);
        assertThat(Files.readString(r.out().resolve(RunDirectory.CONFIG))).contains("detection:");
        assertThat(Files.readAllLines(r.out().resolve("detections.csv")).get(0))
                .isEqualTo("video,label,start,end,confidence");
    }

    @Test
    void mampEndToEnd() throws Exception {
        ActionDetection.Result r = new ActionDetection(quiet()).run(options("mamp-small", TINY_MAMP, data,
                shared.resolve("mamp")));
        checkOutput(r, "mamp");
        assertThat(r.skipped()).isEmpty();
    }

    @Test
    void pcm3EndToEnd() throws Exception {
        ActionDetection.Options o = options("pcm3-small", TINY_PCM3, data, shared.resolve("pcm3"));
        ActionDetection.Result r = new ActionDetection(quiet()).run(o);
        checkOutput(r, "pcm3");
    }

    @Test
    void streamsShorterThanTheWindowAreSkippedWithAReport() throws Exception {
        List<Integer> lengths = new ArrayList<>();
        int testLength;
        try (var ds = io.skeletonssl.dataset.SkeletonDataset.open(data)) {
            var train = ds.streams("train_streams");
            for (int i = 0; i < train.size(); i++) {
                lengths.add(train.length(i));
            }
            testLength = ds.streams("test_streams").length(0);
        }
        int shortest = lengths.stream().mapToInt(Integer::intValue).min().orElseThrow();
        int longest = lengths.stream().mapToInt(Integer::intValue).max().orElseThrow();
        assertThat(longest).as("the fixture's training streams differ in length").isGreaterThan(shortest);
        assertThat(testLength).isGreaterThan(shortest);
        // a window of shortest + 1 frames at stride 1: the shortest training stream cannot hold one
        ActionDetection.Options o = options("mamp-small", TINY_MAMP, data, shared.resolve("skip"),
                "detection.window=" + (shortest + 1), "detection.train_strides=[1]");
        ActionDetection.Result r = new ActionDetection(quiet()).run(o);
        long expected = lengths.stream().filter(l -> l == shortest).count();
        assertThat(r.skipped()).hasSize((int) expected).allMatch(x -> x.startsWith("train_streams/")
                && x.contains("(" + shortest + " frames < " + (shortest + 1) + ")"));
        assertThat(r.trainStreams()).isEqualTo(3 - (int) expected);
        JsonNode m = new ObjectMapper().readTree(r.out().resolve(RunDirectory.METRICS_JSON).toFile());
        assertThat(m.path("skipped_streams")).hasSize((int) expected);
        // no training stream long enough: a clear error
        assertThatThrownBy(() -> new ActionDetection(quiet()).run(options("mamp-small", TINY_MAMP, data,
                shared.resolve("skip-all"), "detection.window=" + (longest + 1), "detection.stride=1")))
                .hasMessageContaining("no training stream is as long as one window");
    }

    @Test
    void validationFractionHoldsOutTrainingStreamsAndSelectsAnEpoch() throws Exception {
        List<String> sets = new ArrayList<>(SHORT);
        sets.addAll(TINY_MAMP);
        ActionDetection.Result r = new ActionDetection(quiet()).run(new ActionDetection.Options("random",
                "mamp-small", sets, data, shared.resolve("val"), 3, 0L, null, null, null, false, 0.34));
        // 3 usable training streams: int(3 * 0.34) = 1 held out, 2 trained on
        assertThat(r.valStreams()).isEqualTo(1);
        assertThat(r.trainStreams()).isEqualTo(2);
        JsonNode m = new ObjectMapper().readTree(r.out().resolve(RunDirectory.METRICS_JSON).toFile());
        assertThat(m.path("val_fraction").asDouble()).isEqualTo(0.34);
        assertThat(m.path("train_streams").asInt()).isEqualTo(2);
        List<String> trainNames = new ArrayList<>();
        try (var ds = io.skeletonssl.dataset.SkeletonDataset.open(data)) {
            var train = ds.streams("train_streams");
            for (int i = 0; i < train.size(); i++) {
                trainNames.add(train.streamName(i));
            }
        }
        assertThat(m.path("val_stream_names")).hasSize(1);
        assertThat(trainNames).contains(m.path("val_stream_names").get(0).asText());
        List<Map<String, String>> rows = RunDirectory.open(r.out()).readMetrics();
        assertThat(rows).hasSize(3).allSatisfy(row -> assertThat(row).containsKey("val_map_a@0.5"));
        int sel = m.path("val_selected_epoch").asInt();
        assertThat(r.valSelectedEpoch()).isEqualTo(sel);
        for (Map<String, String> row : rows) { // the first epoch with the highest validation mAP_a
            int e = Integer.parseInt(row.get("epoch"));
            double v = Double.parseDouble(row.get("val_map_a@0.5"));
            double best = Double.parseDouble(rows.get(sel).get("val_map_a@0.5"));
            assertThat(v).isLessThanOrEqualTo(best);
            if (e < sel) {
                assertThat(v).isLessThan(best);
            }
        }
        assertThat(m.path("val_selected_val_map_a@0.5").asDouble())
                .isCloseTo(Double.parseDouble(rows.get(sel).get("val_map_a@0.5")), org.assertj.core.api.Assertions.within(1e-6));
        for (String iou : List.of("0.1", "0.3", "0.5")) {
            assertThat(m.path("val_selected_test_map_a").path(iou).asDouble()).as(iou)
                    .isCloseTo(Double.parseDouble(rows.get(sel).get("map_a@" + iou)),
                            org.assertj.core.api.Assertions.within(1e-6));
            assertThat(m.path("val_selected_test_map_v").path(iou).asDouble()).as(iou)
                    .isCloseTo(Double.parseDouble(rows.get(sel).get("map_v@" + iou)),
                            org.assertj.core.api.Assertions.within(1e-6));
        }
        assertThat(m.path("final_map_a").path("0.5").asDouble())
                .isCloseTo(Double.parseDouble(rows.get(2).get("map_a@0.5")), org.assertj.core.api.Assertions.within(1e-6));
    }

    @Test
    void streamHoldOutIsSeededDisjointAndNeverEmpty() {
        List<Integer> usable = List.of(0, 2, 3, 5, 7, 8, 9, 11, 12, 14);
        List<List<Integer>> a = ActionDetection.holdOut(usable, 0.3, 5);
        assertThat(a.get(1)).hasSize(3);
        assertThat(a.get(0)).hasSize(7).doesNotContainAnyElementsOf(a.get(1));
        List<Integer> union = new ArrayList<>(a.get(0));
        union.addAll(a.get(1));
        assertThat(union).containsExactlyInAnyOrderElementsOf(usable);
        assertThat(ActionDetection.holdOut(usable, 0.3, 5)).isEqualTo(a);
        assertThat(ActionDetection.holdOut(usable, 0.01, 5).get(1)).hasSize(1); // at least one
        assertThat(ActionDetection.holdOut(List.of(4, 6), 0.9, 5).get(0)).hasSize(1); // at least one left
        assertThatThrownBy(() -> ActionDetection.holdOut(List.of(4), 0.5, 5))
                .hasMessageContaining("at least 2 usable training streams");
        assertThatThrownBy(() -> new ActionDetection.Options("random", null, null, data, shared.resolve("y"), 1, 0L,
                null, null, null, false, 1.0)).hasMessageContaining("--val-fraction must lie in [0, 1)");
    }

    @Test
    void aDatasetWithoutStreamsIsAClearError() {
        assertThatThrownBy(() -> new ActionDetection(quiet()).run(options("mamp-small", TINY_MAMP, clipsOnly,
                shared.resolve("none")))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no untrimmed streams with frame labels")
                .hasMessageContaining("synth --streams");
    }

    @Test
    void runsOnTheRealUtKinectStreams() throws Exception {
        Path utk = SharedData.require("utkinect");
        Path ds = shared.resolve("utk");
        new Converter(2).convert(UtKinectSource.open(utk, UtKinectSource.Mode.STREAMS), Protocol.UTKINECT_XSUB, ds,
                "utkinect", Map.of("format", "utkinect"), false, false);
        ActionDetection.Result r = new ActionDetection(quiet()).run(new ActionDetection.Options("random", "mamp-small",
                List.of("model.dim=32", "model.depth=1", "model.heads=2", "data.frames=16", "detection.stride=1",
                        "detection.train_strides=[1]", "detection.windows_per_stream=4", "detection.test_stride=16"),
                ds, shared.resolve("utk-det"), 1, 0L, null, null, null, false, 0));
        // subjects 1-5 train, 6-10 test; 10 actions each
        assertThat(r.trainStreams()).isEqualTo(10);
        assertThat(r.testStreams()).isEqualTo(10);
        assertThat(r.classes()).isEqualTo(10);
        assertThat(r.skipped()).isEmpty();
        assertThat(r.finalScores()).allSatisfy(s -> assertThat(s.apPerClass()).hasSize(10));
    }
}
