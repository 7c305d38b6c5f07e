package io.skeletonssl.eval.motion;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.engine.Engines;
import io.skeletonssl.eval.Encoders;
import io.skeletonssl.methods.pcm3.Pcm3RunFixture;
import io.skeletonssl.models.pcm3.Pcm3Encoder;
import io.skeletonssl.training.ConfigTree;
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
import static org.assertj.core.api.Assertions.within;

/** Motion prediction end to end on a hand-made dataset whose motion and skips are known. */
class MotionPredictionTest {

    /** Usable: 0, 2, 5, 6, 7, 8, 9 (7 clips); two-person: 3, 4; too short: 1. */
    static final int[] VALID = {100, 59, 60, 110, 30, 120, 80, 90, 70, 65};
    static final List<String> MAMP_TINY = List.of("model.dim=32", "model.depth=1", "model.heads=2",
            "model.decoder_dim=32", "model.decoder_depth=1", "model.decoder_heads=2");
    static final List<String> SMALL = List.of("motion_prediction.hidden=16", "motion_prediction.batch_size=4",
            "motion_prediction.epochs=2");

    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void setUp() throws Exception {
        Progress.setEnabled(false);
        // every coordinate moves 0.01 cm a frame: the zero-velocity error at predicted frame f is f·0.01·√3 cm
        data = MotionTestData.write(tmp.resolve("data"), VALID, List.of(3, 4), Map.of("units", "centimetres"));
    }

    private static MotionPrediction.Result run(String checkpoint, String preset, List<String> model, Path out,
                                               boolean finetune) throws Exception {
        List<String> sets = new ArrayList<>(model);
        sets.addAll(SMALL);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return new MotionPrediction(quiet).run(new MotionPrediction.Options(checkpoint, preset, sets, data, out,
                null, 3L, null, null, false, finetune, null, 0));
    }

    private static JsonNode metrics(Path out) throws Exception {
        return new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    }

    @Test
    void mampRandomWritesMillimetreMetricsWithTheHandComputedBaseline() throws Exception {
        Path out = tmp.resolve("mamp");
        MotionPrediction.Result r = run(Encoders.RANDOM, "mamp-small", MAMP_TINY, out, false);
        double step = 0.01 * Math.sqrt(3) * 10; // mm per frame
        assertThat(r.zeroVelocityMpjpe()).isCloseTo(5.5 * step, within(1e-3));
        assertThat(r.zeroVelocityAtFrames()).containsExactly(new double[] {2 * step, 4 * step, 8 * step, 10 * step},
                within(1e-3));
        assertThat(r.trainClips()).isEqualTo(7);
        assertThat(r.testClips()).isEqualTo(7);
        JsonNode m = metrics(out);
        assertThat(m.path("protocol").asText()).isEqualTo("motion-prediction");
        assertThat(m.path("method").asText()).isEqualTo("mamp");
        assertThat(m.has("code_version")).isTrue();
        assertThat(m.path("metres_per_unit").asDouble()).isEqualTo(0.01);
        assertThat(m.path("final_mpjpe_mm").asDouble()).isEqualTo(r.finalMpjpe()).isPositive();
        assertThat(m.path("final_mpjpe_frames_mm").path("10").asDouble()).isEqualTo(r.atFrames()[3]);
        assertThat(m.path("skipped").path("train").path("two_person").asInt()).isEqualTo(2);
        assertThat(m.path("skipped").path("test").path("too_short").asInt()).isEqualTo(1);
        assertThat(m.path("best_mpjpe_mm_note").asText()).contains("test-selected");
        assertThat(m.path("finetune").asBoolean()).isFalse();
        List<Map<String, String>> rows = RunDirectory.open(out).readMetrics();
        assertThat(rows).hasSize(2);
        assertThat(Double.parseDouble(rows.get(1).get("test_mpjpe_mm"))).isCloseTo(r.finalMpjpe(), within(1e-9));
        List<String> perFrame = Files.readAllLines(out.resolve(MotionPrediction.PER_FRAME_CSV));
        assertThat(perFrame).hasSize(11);
        double mean = perFrame.stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[1])).average()
                .orElseThrow();
        assertThat(mean).isCloseTo(r.finalMpjpe(), within(1e-4));
        assertThat(Double.parseDouble(perFrame.get(4).split(",")[2])).isCloseTo(4 * step, within(1e-4));
        JsonNode cfg = RunDirectory.open(out).readConfig();
        assertThat(cfg.path("motion_prediction").path("hidden").asInt()).isEqualTo(16);

        // the same seed gives the same run
        run(Encoders.RANDOM, "mamp-small", MAMP_TINY, tmp.resolve("mamp-again"), false);
        assertThat(withoutTimes(tmp.resolve("mamp-again"))).isEqualTo(withoutTimes(out));

        // --finetune trains the encoder too: same seed, same decoder init, a different result
        Path ft = tmp.resolve("mamp-ft");
        MotionPrediction.Result f = run(Encoders.RANDOM, "mamp-small", MAMP_TINY, ft, true);
        assertThat(metrics(ft).path("finetune").asBoolean()).isTrue();
        assertThat(f.zeroVelocityMpjpe()).isEqualTo(r.zeroVelocityMpjpe());
        assertThat(f.finalMpjpe()).isNotEqualTo(r.finalMpjpe());
    }

    private static List<String> withoutTimes(Path out) throws Exception {
        List<String> rows = new ArrayList<>();
        for (Map<String, String> row : RunDirectory.open(out).readMetrics()) {
            row.remove("seconds");
            rows.add(row.toString());
        }
        return rows;
    }

    @Test
    void validationFractionHoldsOutTrainingClipsAndSelectsAnEpoch() throws Exception {
        Path out = tmp.resolve("val");
        List<String> sets = new ArrayList<>(MAMP_TINY);
        sets.addAll(SMALL);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        MotionPrediction.Result r = new MotionPrediction(quiet).run(new MotionPrediction.Options(Encoders.RANDOM,
                "mamp-small", sets, data, out, 3, 3L, null, null, false, false, null, 0.3));
        // 7 usable training clips: int(7 * 0.3) = 2 held out, 5 trained on
        assertThat(r.valClips()).isEqualTo(2);
        assertThat(r.trainClips()).isEqualTo(5);
        JsonNode m = metrics(out);
        assertThat(m.path("val_fraction").asDouble()).isEqualTo(0.3);
        assertThat(m.path("val_clips").asInt()).isEqualTo(2);
        assertThat(m.path("train_clips").asInt()).isEqualTo(5);
        List<Map<String, String>> rows = RunDirectory.open(out).readMetrics();
        assertThat(rows).hasSize(3).allSatisfy(row -> assertThat(row).containsKey("val_mpjpe_mm"));
        int sel = m.path("val_selected_epoch").asInt();
        assertThat(r.valSelectedEpoch()).isEqualTo(sel);
        double selVal = Double.parseDouble(rows.get(sel).get("val_mpjpe_mm"));
        for (int e = 0; e < rows.size(); e++) { // the first epoch with the lowest validation MPJPE
            double v = Double.parseDouble(rows.get(e).get("val_mpjpe_mm"));
            assertThat(v).isGreaterThanOrEqualTo(selVal);
            if (e < sel) {
                assertThat(v).isGreaterThan(selVal);
            }
        }
        assertThat(m.path("val_selected_val_mpjpe_mm").asDouble()).isCloseTo(selVal, within(1e-9));
        assertThat(m.path("val_selected_test_mpjpe_mm").asDouble())
                .isCloseTo(Double.parseDouble(rows.get(sel).get("test_mpjpe_mm")), within(1e-9))
                .isEqualTo(r.valSelectedMpjpe());
        assertThat(m.path("val_selected_test_mpjpe_frames_mm").path("10").asDouble())
                .isCloseTo(Double.parseDouble(rows.get(sel).get("test_mpjpe_f10_mm")), within(1e-9));
        assertThat(m.path("final_mpjpe_mm").asDouble())
                .isCloseTo(Double.parseDouble(rows.get(2).get("test_mpjpe_mm")), within(1e-9));
    }

    @Test
    void clipHoldOutIsSeededDisjointAndNeverEmpty() {
        MotionWindows.Selection s = new MotionWindows.Selection(new int[] {0, 2, 5, 6, 7, 8, 9},
                new int[] {100, 60, 120, 80, 90, 70, 65}, 2, 1, 0, 10);
        MotionPrediction.Holdout h = MotionPrediction.holdOut(s, 0.3, 3);
        assertThat(h.val().clips()).hasSize(2);
        assertThat(h.train().clips()).hasSize(5).doesNotContain(h.val().clips());
        List<Integer> union = new ArrayList<>();
        java.util.Arrays.stream(h.train().clips()).forEach(union::add);
        java.util.Arrays.stream(h.val().clips()).forEach(union::add);
        assertThat(union).containsExactlyInAnyOrder(0, 2, 5, 6, 7, 8, 9);
        for (MotionWindows.Selection part : List.of(h.train(), h.val())) { // valid frames travel with their clip
            for (int k = 0; k < part.size(); k++) {
                int clip = part.clips()[k];
                assertThat(part.validFrames()[k]).isEqualTo(s.validFrames()[java.util.Arrays.binarySearch(s.clips(), clip)]);
            }
        }
        assertThat(MotionPrediction.holdOut(s, 0.3, 3).val().clips()).containsExactly(h.val().clips());
        assertThat(MotionPrediction.holdOut(s, 0.01, 3).val().clips()).hasSize(1);
        MotionWindows.Selection one = new MotionWindows.Selection(new int[] {4}, new int[] {80}, 0, 0, 0, 1);
        assertThatThrownBy(() -> MotionPrediction.holdOut(one, 0.5, 3))
                .hasMessageContaining("at least 2 usable training clips");
        assertThatThrownBy(() -> new MotionPrediction.Options(Encoders.RANDOM, null, null, data, tmp.resolve("x"),
                null, 3L, null, null, false, false, null, 1.0)).hasMessageContaining("--val-fraction must lie in [0, 1)");
    }

    @Test
    void pcm3CheckpointWithoutTheSectionTakesItFromTheSmallPreset() throws Exception {
        ObjectNode tree = Pcm3RunFixture.tinyTree();
        tree.remove("motion_prediction"); // a run written before the protocol existed
        Path runDir;
        try (NDManager m = Engines.cpu().newManager()) {
            Pcm3Encoder enc = Pcm3RunFixture.trainedLike(tree, m, 5);
            runDir = Pcm3RunFixture.writeRun(tmp.resolve("pcm3-run"), tree, data, enc, 1, m);
        }
        Path out = tmp.resolve("pcm3");
        MotionPrediction.Result r = run(runDir.toString(), null, List.of(), out, false);
        JsonNode m = metrics(out);
        assertThat(m.path("method").asText()).isEqualTo("pcm3");
        assertThat(m.path("encoder_source").asText()).contains("pcm3-run");
        assertThat(r.finalMpjpe()).isFinite().isPositive();
        JsonNode cfg = RunDirectory.open(out).readConfig().path("motion_prediction");
        JsonNode small = ConfigTree.preset("pcm3-small").path("motion_prediction");
        assertThat(cfg.path("clip_norm")).isEqualTo(small.path("clip_norm"));
        assertThat(cfg.path("hidden").asInt()).isEqualTo(16); // --set still wins
        Path ft = tmp.resolve("pcm3-ft");
        assertThat(run(runDir.toString(), null, List.of(), ft, true).finalMpjpe()).isFinite();
    }

    @Test
    void refusesDataWithoutAUsableClipAndLeavesNoOutput() {
        Path out = tmp.resolve("none");
        List<String> sets = new ArrayList<>(MAMP_TINY);
        sets.add("motion_prediction.observe=200");
        assertThatThrownBy(() -> run(Encoders.RANDOM, "mamp-small", sets, out, false))
                .hasMessageContaining("split 'train' has no single-person clip of at least 210 valid frames")
                .hasMessageContaining("2 with an active second person");
        assertThat(out).doesNotExist();
    }
}
