package io.skeletonssl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skeletonssl.dataset.SkeletonDataset;
import io.skeletonssl.eval.Encoders;
import io.skeletonssl.eval.FeatureExtractor;
import io.skeletonssl.eval.Features;
import io.skeletonssl.eval.Knn;
import io.skeletonssl.layout.Layouts;
import io.skeletonssl.testutil.EnvironmentFacts;
import io.skeletonssl.util.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code eval linear|knn --checkpoint raw}: the raw-coordinate baseline end to end on a tiny synthetic dataset. */
class EvalRawBaselineCommandTest {

    @BeforeAll
    static void quiet() {
        Progress.setEnabled(false);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path synth(Path dir) {
        Path ds = dir.resolve("synth");
        assertThat(CliTest.run("synth", "--out", ds.toString(), "--preset", "small", "--classes", "3", "-j", "2",
                "--centre").code()).isZero();
        return ds;
    }

    @Test
    void linearProbeOfTheRawCoordinates(@TempDir Path dir) throws Exception {
        Path ds = synth(dir);
        Path out = dir.resolve("probe");
        CliTest.Result r = CliTest.run("eval", "linear", "--checkpoint", "raw", "--preset", "mamp-small", "--data",
                ds.toString(), "--out", out.toString(), "--epochs", "2", "-j", "2", "--set", "linear_probe.batch_size=8",
                "--set", "raw.frames=8");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("linear probe: final top-1", "36 train / 18 test clips, 3 classes");
        JsonNode m = JSON.readTree(out.resolve("metrics.json").toFile());
        EnvironmentFacts.assertIn(out.resolve("metrics.json"));
        assertThat(m.path("method").asText()).isEqualTo("raw");
        assertThat(m.path("encoder").asText()).isEqualTo("raw");
        assertThat(m.path("checkpoint").asText()).isEqualTo("raw");
        assertThat(m.path("feature_dim").asInt()).isEqualTo(3 * 8 * 25 * 2);
        assertThat(m.path("raw_frames").asInt()).isEqualTo(8);
        assertThat(m.path("raw_feature").asText()).isEqualTo("C x T x V x M = 3 x 8 x 25 x 2 = 1200");
        assertThat(m.path("head").asText()).isEqualTo("BatchNorm1d(affine=False) + Linear");
        assertThat(m.path("encoder_source").asText()).contains("resampled from 32 to 8 frames");
        assertThat(m.path("final_top1").asDouble() * 18 / 100).as("18 test clips")
                .isCloseTo(Math.rint(m.path("final_top1").asDouble() * 18 / 100), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(out.resolve("test_scores.npy")).isRegularFile();

        // PCM3's recipe (a plain Linear head of its own) gets the standardising BatchNorm as well
        Path pcm3 = dir.resolve("probe-pcm3");
        CliTest.Result p = CliTest.run("eval", "linear", "--checkpoint", "raw", "--preset", "pcm3-small", "--data",
                ds.toString(), "--out", pcm3.toString(), "--epochs", "1", "-j", "2", "--set", "linear_probe.batch_size=8");
        assertThat(p.code()).as(p.err()).isZero();
        JsonNode pm = JSON.readTree(pcm3.resolve("metrics.json").toFile());
        assertThat(pm.path("head").asText()).isEqualTo("BatchNorm1d(affine=False) + Linear");
        assertThat(pm.path("feature_dim").asInt()).as("the preset's 32 frames").isEqualTo(3 * 32 * 25 * 2);

        CliTest.Result noPreset = CliTest.run("eval", "linear", "--checkpoint", "raw", "--data", ds.toString(),
                "--out", dir.resolve("x").toString());
        assertThat(noPreset.code()).isEqualTo(1);
        assertThat(noPreset.err()).startsWith("error: --checkpoint raw needs --preset");
        CliTest.Result finetune = CliTest.run("eval", "finetune", "--checkpoint", "raw", "--preset", "mamp-small",
                "--data", ds.toString(), "--out", dir.resolve("y").toString());
        assertThat(finetune.code()).isEqualTo(1);
        assertThat(finetune.err()).contains("no weights to fine-tune");
        assertThat(dir.resolve("x")).doesNotExist();
        assertThat(dir.resolve("y")).doesNotExist();
    }

    @Test
    void knnRetrievalByTheRawCoordinates(@TempDir Path dir) throws Exception {
        Path ds = synth(dir);
        Path out = dir.resolve("knn");
        CliTest.Result r = CliTest.run("eval", "knn", "--checkpoint", "raw", "--preset", "mamp-small", "--data",
                ds.toString(), "--out", out.toString(), "-j", "2");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode m = JSON.readTree(out.resolve("metrics.json").toFile());
        assertThat(m.path("method").asText()).isEqualTo("raw");
        assertThat(m.path("encoder").asText()).isEqualTo("raw");
        assertThat(m.path("feature_dim").asInt()).isEqualTo(3 * 32 * 25 * 2);
        assertThat(m.path("raw_frames").asInt()).isEqualTo(32);
        // the same 1-NN as the flattened test-crop clips give by hand
        try (SkeletonDataset d = SkeletonDataset.open(ds);
             Encoders.Loaded enc = Encoders.open("raw", "mamp-small", List.of(), Layouts.ntu25(), 2,
                     new PrintStream(new ByteArrayOutputStream()))) {
            FeatureExtractor fx = new FeatureExtractor(enc.encoder(), 2);
            Features gallery = fx.extract(d.clips("train"), enc.retrievalTransform(), 0, 0, null);
            Features queries = fx.extract(d.clips("test"), enc.retrievalTransform(), 0, 0, null);
            assertThat(m.path("top1").asDouble()).isEqualTo(Knn.top1(gallery, queries, 1));
        }
        // gallery = queries: every clip is its own nearest neighbour
        Path self = dir.resolve("self");
        CliTest.Result s = CliTest.run("eval", "knn", "--checkpoint", "raw", "--preset", "mamp-small", "--data",
                ds.toString(), "--out", self.toString(), "--test-split", "train", "-j", "2");
        assertThat(s.code()).as(s.err()).isZero();
        assertThat(JSON.readTree(self.resolve("metrics.json").toFile()).path("top1").asDouble()).isEqualTo(100.0);
    }
}
