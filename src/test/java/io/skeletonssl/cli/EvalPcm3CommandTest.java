package io.skeletonssl.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.api.Embedder;
import io.skeletonssl.dataset.SkeletonDataset;
import io.skeletonssl.engine.Engines;
import io.skeletonssl.eval.Encoders;
import io.skeletonssl.eval.FeatureExtractor;
import io.skeletonssl.eval.Features;
import io.skeletonssl.layout.Layouts;
import io.skeletonssl.methods.pcm3.Pcm3RunFixture;
import io.skeletonssl.testutil.EnvironmentFacts;
import io.skeletonssl.training.RunDirectory;
import io.skeletonssl.util.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code eval linear} and {@code eval knn} on a PCM3 run folder and on a random-init PCM3, from the
 * command line; the run's encoder through the API.
 */
class EvalPcm3CommandTest {

    @TempDir
    static Path shared;
    static Path data;
    static Path run;

    @BeforeAll
    static void setUp() throws Exception {
        Progress.setEnabled(false);
        data = shared.resolve("synth");
        CliTest.Result s = CliTest.run("synth", "--out", data.toString(), "--preset", "small", "--classes", "3", "-j", "2");
        assertThat(s.code()).as(s.err()).isZero();
        ObjectNode tree = Pcm3RunFixture.tinyTree();
        try (NDManager m = Engines.cpu().newManager()) {
            run = Pcm3RunFixture.writeRun(shared.resolve("run"), tree, data, Pcm3RunFixture.trainedLike(tree, m, 3), 9, m);
        }
    }

    private static CliTest.Result eval(String protocol, String checkpoint, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("eval", protocol, "--checkpoint", checkpoint, "--data", data.toString(),
                "--out", out.toString(), "-j", "2"));
        if (checkpoint.equals("random")) {
            a.addAll(List.of("--preset", "pcm3-small"));
            Pcm3RunFixture.TINY.forEach(s -> a.addAll(List.of("--set", s)));
        }
        a.addAll(List.of(extra));
        return CliTest.run(a.toArray(String[]::new));
    }

    private static JsonNode metrics(Path out) throws Exception {
        EnvironmentFacts.assertIn(out.resolve("metrics.json"));
        return new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    }

    @Test
    void linearProbeOfARunUsesTheLinearHeadAndStepDecay(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("linear");
        CliTest.Result r = eval("linear", run.toString(), out, "--epochs", "4", "--set", "linear_probe.milestones=[1, 3]");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("linear probe: final top-1", "36 train / 18 test clips, 3 classes");
        JsonNode m = metrics(out);
        assertThat(m.path("method").asText()).isEqualTo("pcm3");
        assertThat(m.path("head").asText()).isEqualTo("Linear");
        assertThat(m.path("feature_dim").asInt()).isEqualTo(16);
        assertThat(m.path("encoder_source").asText()).contains("checkpoint-9");
        assertThat(m.path("final_top1").asDouble()).isBetween(0.0, 100.0);
        assertThat(m.path("best_top1").asDouble()).isGreaterThanOrEqualTo(m.path("final_top1").asDouble());
        assertThat(m.path("best_top1_note").asText()).startsWith("test-selected");
        assertThat(m.path("steps_per_epoch").asInt()).isEqualTo(3); // 36 clips, batch 12
        List<Map<String, String>> rows = RunDirectory.open(out).readMetrics();
        assertThat(rows).hasSize(4);
        double[] lr = rows.stream().mapToDouble(row -> Double.parseDouble(row.get("lr"))).toArray();
        assertThat(lr[0]).isCloseTo(0.1, within(1e-12));
        assertThat(lr[1]).isCloseTo(0.01, within(1e-12));
        assertThat(lr[2]).isCloseTo(0.01, within(1e-12));
        assertThat(lr[3]).isCloseTo(0.001, within(1e-12));
        JsonNode cfg = RunDirectory.open(out).readConfig();
        assertThat(cfg.path("method").asText()).isEqualTo("pcm3");
        assertThat(cfg.path("linear_probe").path("epochs").asInt()).isEqualTo(4);
    }

    @Test
    void knnOfARunAndRandomInitFromTheCommandLine(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("knn");
        CliTest.Result r = eval("knn", run.toString(), out);
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode m = metrics(out);
        assertThat(m.path("method").asText()).isEqualTo("pcm3");
        assertThat(m.path("gallery_clips").asInt()).isEqualTo(36);
        assertThat(m.path("query_clips").asInt()).isEqualTo(18);
        assertThat(m.path("top1").asDouble() * 18 / 100).isCloseTo(Math.rint(m.path("top1").asDouble() * 18 / 100),
                within(1e-9));
        // the gallery as queries: every clip finds itself, so train and test go through the same crop
        Path self = dir.resolve("self");
        assertThat(eval("knn", run.toString(), self, "--test-split", "train").code()).isZero();
        assertThat(metrics(self).path("top1").asDouble()).isEqualTo(100.0);

        Path rnd = dir.resolve("random-knn");
        CliTest.Result k = eval("knn", "random", rnd);
        assertThat(k.code()).as(k.err()).isZero();
        assertThat(metrics(rnd).path("encoder_source").asText()).isEqualTo("random init (seed 0)");
        assertThat(metrics(rnd).path("feature_dim").asInt()).isEqualTo(16);

        Path lin = dir.resolve("random-linear");
        CliTest.Result l = eval("linear", "random", lin, "--epochs", "2", "--set", "linear_probe.feature_views=1");
        assertThat(l.code()).as(l.err()).isZero();
        assertThat(metrics(lin).path("method").asText()).isEqualTo("pcm3");
        assertThat(metrics(lin).path("final_top1").asDouble()).isBetween(0.0, 100.0);
        assertThat(RunDirectory.open(lin).readMetrics()).hasSize(2);
    }

    @Test
    void embedderAndFeatureExtractorAgreeAndTheDatasetMustMatch() throws Exception {
        try (Embedder e = Embedder.load(run); SkeletonDataset ds = SkeletonDataset.open(data);
             Encoders.Loaded enc = Encoders.fromRun(run, 9)) {
            assertThat(e.featureDim()).isEqualTo(16);
            SkeletonDataset.ClipSplit test = ds.clips("test");
            Features f = new FeatureExtractor(enc.encoder(), 1).extract(test, enc.testTransform(), 0, 0, null);
            // one clip alone vs in a batch of 64: equal up to the GRU kernel's batch-size-dependent rounding
            assertThat(e.embed(test.sample(4))).containsExactly(f.rows()[4], within(1e-5f));
        }
        assertThatThrownBy(() -> Encoders.open(run.toString(), null, List.of(), Layouts.kinectV1(), 2, System.out))
                .hasMessageContaining("V=20").hasMessageContaining("trained with V=25, M=2");
        assertThatThrownBy(() -> Encoders.open(run.toString(), null, List.of(), Layouts.ntu25(), 1, System.out))
                .hasMessageContaining("M=1").hasMessageContaining("trained with V=25, M=2");
    }

    @Test
    void badInputIsOneClearLine(@TempDir Path dir) throws Exception {
        CliTest.Result mixed = eval("knn", run.toString(), dir.resolve("a"), "--preset", "mamp-small");
        assertThat(mixed.code()).isEqualTo(1);
        assertThat(mixed.err()).startsWith("error: ").contains("mamp preset but the checkpoint is pcm3");
        CliTest.Result shape = eval("knn", run.toString(), dir.resolve("b"), "--set", "model.hidden=12");
        assertThat(shape.code()).isEqualTo(1);
        assertThat(shape.err()).startsWith("error: ").contains("encoder_q.gru.weight_ih_l0 has shape (24, 150)");
        assertThat(dir.resolve("a")).doesNotExist();
        assertThat(dir.resolve("b")).doesNotExist();
    }
}
