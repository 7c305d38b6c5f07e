package io.skeletonssl.eval.finetune;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.engine.Engines;
import io.skeletonssl.eval.TestScores;
import io.skeletonssl.formats.Converter;
import io.skeletonssl.formats.Protocol;
import io.skeletonssl.methods.pcm3.Pcm3RunFixture;
import io.skeletonssl.models.mamp.MampModel;
import io.skeletonssl.models.mamp.MampPresets;
import io.skeletonssl.synth.SynthConfig;
import io.skeletonssl.synth.SyntheticSource;
import io.skeletonssl.training.ConfigTree;
import io.skeletonssl.training.RunDirectory;
import io.skeletonssl.util.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Fine-tuning end to end on a tiny synthetic dataset: MAMP and PCM3, pretrained, random and from scratch. */
class FinetuneTest {

    /** A tiny MAMP (one block of width 16) and a small head. */
    static final List<String> MAMP_TINY = List.of("model.dim=16", "model.depth=2", "model.heads=2", "model.decoder_dim=16",
            "model.decoder_depth=1", "model.decoder_heads=2", "finetune.batch_size=16", "finetune.head_hidden=16",
            "finetune.warmup_epochs=0");
    static final List<String> PCM3_TINY = tinyPcm3();

    @TempDir
    static Path shared;
    static Path data;
    static Path mampRun;
    static Path pcm3Run;

    private static List<String> tinyPcm3() {
        List<String> s = new ArrayList<>(Pcm3RunFixture.TINY);
        s.addAll(List.of("finetune.batch_size=16", "finetune.min_frames=8"));
        return s;
    }

    @BeforeAll
    static void setUp() throws Exception {
        Progress.setEnabled(false);
        data = shared.resolve("synth");
        // 4 classes × 10 subjects × 3 views: 72 train clips, 48 test clips
        new Converter(2).convert(new SyntheticSource(SynthConfig.small().withClasses(4).withSize(10, 1)),
                Protocol.NTU60_XSUB, data, "synthetic-test", Map.of("format", "synthetic"), false, false);
        ObjectNode mamp = ConfigTree.resolve("mamp-small", null, MAMP_TINY);
        mamp.with("data").put("path", data.toAbsolutePath().toString());
        mampRun = writeMampRun(shared.resolve("mamp-run"), mamp);
        ObjectNode pcm3 = Pcm3RunFixture.tinyTree("finetune.batch_size=16", "finetune.min_frames=8");
        try (NDManager m = Engines.cpu().newManager()) {
            pcm3Run = Pcm3RunFixture.writeRun(shared.resolve("pcm3-run"), pcm3, data,
                    Pcm3RunFixture.trainedLike(pcm3, m, 3), 4, m);
        }
    }

    /** A MAMP run folder with one checkpoint of seeded weights (standing in for pretraining). */
    static Path writeMampRun(Path dir, ObjectNode tree) throws Exception {
        try (NDManager m = Engines.cpu().newManager()) {
            MampModel model = new MampModel(MampPresets.fromTree(tree));
            model.initializeSeeded(m, 7);
            RunDirectory run = RunDirectory.open(dir);
            run.writeConfig(tree);
            run.saveCheckpoint(2, 30, 0, new PairList<String, Parameter>(model.namedParameters()), null, tree, Map.of(),
                    0, 3);
        }
        return dir;
    }

    static PrintStream quietLog() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    static Finetune.Options options(String checkpoint, String preset, List<String> sets, Path out, int epochs,
                                    boolean scratch, double val) {
        return new Finetune.Options(checkpoint, preset, sets, data, out, epochs, 0L, scratch, val, 2, null, null, false);
    }

    static JsonNode metrics(Path out) throws Exception {
        return new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    }

    @Test
    void mampPretrainedRunFinetunesAndWritesEverything(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("ft");
        Finetune.Result r = new Finetune(quietLog()).run(options(mampRun.toString(), null, List.of(), out, 2, false, 0));
        assertThat(r.trainClips()).isEqualTo(72);
        assertThat(r.testClips()).isEqualTo(48);
        assertThat(r.classes()).isEqualTo(4);
        JsonNode m = metrics(out);
        assertThat(m.path("protocol").asText()).isEqualTo("finetune");
        assertThat(m.path("method").asText()).isEqualTo("mamp");
        assertThat(m.path("encoder_source").asText()).contains("checkpoint-2");
        assertThat(m.path("final_top1").asDouble()).isEqualTo(r.finalTop1()).isBetween(0.0, 100.0);
        assertThat(m.path("best_top1").asDouble()).isGreaterThanOrEqualTo(r.finalTop1());
        assertThat(m.path("best_top1_note").asText()).startsWith("test-selected");
        assertThat(m.path("layer_decay").asDouble()).isEqualTo(0.8);
        assertThat(m.path("head_parameters").asLong()).isEqualTo(MampFinetuneHead.parameterCount(25, 16, 16, 4));
        assertThat(m.has("code_version") && m.has("dataset") && m.has("seed") && m.has("classes")).isTrue();
        assertThat(m.has("val_fraction")).isFalse();
        List<Map<String, String>> rows = RunDirectory.open(out).readMetrics();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).keySet()).containsExactly("epoch", "loss", "lr", "train_top1", "test_top1", "test_top5",
                "seconds");
        TestScores ts = TestScores.read(out);
        assertThat(ts.size()).isEqualTo(48);
        assertThat(ts.top1()).isEqualTo(r.finalTop1());
        assertThat(RunDirectory.open(out).readConfig().path("finetune").path("epochs").asInt()).isEqualTo(2);
    }

    @Test
    void fromScratchAndValidationHoldOut(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("scratch");
        Finetune.Result r = new Finetune(quietLog()).run(options(mampRun.toString(), null, List.of(), out, 2, true, 0.25));
        JsonNode m = metrics(out);
        assertThat(m.path("from_scratch").asBoolean()).isTrue();
        assertThat(m.path("layer_decay").asDouble()).isEqualTo(1.0);
        assertThat(m.path("encoder_source").asText()).startsWith("random init");
        // stratified 25 % of 72 clips (18 per class): round(4.5) = 5 per class held out
        assertThat(m.path("val_clips").asInt()).isEqualTo(20);
        assertThat(r.trainClips()).isEqualTo(52);
        assertThat(m.path("val_fraction").asDouble()).isEqualTo(0.25);
        int sel = m.path("val_selected_epoch").asInt();
        assertThat(sel).isBetween(0, 1).isEqualTo(r.valSelectedEpoch());
        List<Map<String, String>> rows = RunDirectory.open(out).readMetrics();
        assertThat(rows.get(0)).containsKey("val_top1");
        assertThat(m.path("val_selected_test_top1").asDouble())
                .isEqualTo(Double.parseDouble(rows.get(sel).get("test_top1")));
    }

    @Test
    void pcm3RunAndRandomInitFinetune(@TempDir Path dir) throws Exception {
        Finetune.Result r = new Finetune(quietLog()).run(options(pcm3Run.toString(), null, List.of(), dir.resolve("p"), 2,
                false, 0));
        JsonNode m = metrics(dir.resolve("p"));
        assertThat(m.path("method").asText()).isEqualTo("pcm3");
        assertThat(m.path("encoder_source").asText()).contains("checkpoint-4");
        assertThat(m.path("head_parameters").asLong()).isEqualTo(16 * 4 + 4);
        assertThat(r.finalTop1()).isBetween(0.0, 100.0);
        Finetune.Result rnd = new Finetune(quietLog()).run(options("random", "pcm3-small", PCM3_TINY, dir.resolve("r"), 1,
                false, 0));
        assertThat(metrics(dir.resolve("r")).path("encoder_source").asText()).startsWith("random init");
        assertThat(rnd.testClips()).isEqualTo(48);
    }
}
