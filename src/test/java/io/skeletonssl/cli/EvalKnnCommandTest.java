package io.skeletonssl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skeletonssl.testutil.EnvironmentFacts;
import io.skeletonssl.util.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class EvalKnnCommandTest {

    @BeforeAll
    static void quiet() {
        Progress.setEnabled(false);
    }

    private static CliTest.Result knn(Path ds, Path out, String... extra) throws Exception {
        java.util.List<String> a = new java.util.ArrayList<>(java.util.List.of("eval", "knn", "--checkpoint", "random",
                "--preset", "mamp-small", "--data", ds.toString(), "--out", out.toString(), "-j", "2",
                "--set", "model.dim=32", "--set", "model.depth=1", "--set", "model.heads=2"));
        a.addAll(java.util.List.of(extra));
        return CliTest.run(a.toArray(String[]::new));
    }

    @Test
    void knnOfARandomEncoderFromTheCommandLine(@TempDir Path dir) throws Exception {
        Path ds = dir.resolve("synth");
        assertThat(CliTest.run("synth", "--out", ds.toString(), "--preset", "small", "--classes", "3", "-j", "2").code())
                .isZero();
        Path out = dir.resolve("knn");
        CliTest.Result r = knn(ds, out, "--k", "5");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("knn: 1-NN top-1", "5-NN top-1", "36 gallery / 18 query clips, 3 classes");
        EnvironmentFacts.assertIn(out.resolve("metrics.json"));
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertThat(m.path("protocol").asText()).isEqualTo("knn");
        assertThat(m.path("top1").asDouble()).isBetween(0.0, 100.0);
        // 18 queries: every accuracy is a multiple of 100/18
        assertThat(m.path("top1").asDouble() * 18 / 100).isCloseTo(Math.rint(m.path("top1").asDouble() * 18 / 100),
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(m.path("k").asInt()).isEqualTo(5);
        assertThat(m.path("gallery_clips").asInt()).isEqualTo(36);
        assertThat(m.path("query_clips").asInt()).isEqualTo(18);
        assertThat(m.path("checkpoint").asText()).isEqualTo("random");
        assertThat(m.path("preset").asText()).isEqualTo("mamp-small");
        assertThat(out.resolve("config.yaml")).isRegularFile();

        // the same gallery as queries: every clip finds itself (cosine 1, the lowest index among exact copies)
        Path self = dir.resolve("self");
        CliTest.Result s = knn(ds, self, "--test-split", "train");
        assertThat(s.code()).as(s.err()).isZero();
        assertThat(new ObjectMapper().readTree(self.resolve("metrics.json").toFile()).path("top1").asDouble())
                .isEqualTo(100.0);

        CliTest.Result again = knn(ds, out);
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("already exists");
        CliTest.Result badSplit = knn(ds, dir.resolve("x"), "--test-split", "val");
        assertThat(badSplit.code()).isEqualTo(1);
        assertThat(badSplit.err()).startsWith("error: ").contains("no split 'val'", "--test-split");
        CliTest.Result badK = knn(ds, dir.resolve("y"), "--k", "0");
        assertThat(badK.code()).isEqualTo(1);
        assertThat(badK.err()).contains("--k must be >= 1");
        assertThat(dir.resolve("x")).doesNotExist();
        assertThat(dir.resolve("y")).doesNotExist();
    }
}
