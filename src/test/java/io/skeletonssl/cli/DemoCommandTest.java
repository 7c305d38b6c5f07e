package io.skeletonssl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skeletonssl.testutil.EnvironmentFacts;
import io.skeletonssl.util.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code demo --quick} runs every stage of the main job and reports what the full demo reports. */
class DemoCommandTest {

    @BeforeAll
    static void quiet() {
        Progress.setEnabled(false);
    }

    @Test
    void quickPcm3DemoRunsEveryStageAndReportsKnnToo(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("demo-pcm3");
        CliTest.Result r = CliTest.run("demo", "--method", "pcm3", "--quick", "--out", out.toString(), "-j", "2");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("PCM3 demo", "1-NN retrieval", "margin");
        EnvironmentFacts.assertIn(out.resolve("metrics.json"));
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertThat(m.path("method").asText()).isEqualTo("pcm3");
        for (String key : new String[]{"pretrained_linear_top1", "random_linear_top1", "pretrained_knn_top1",
                "random_knn_top1"}) {
            assertThat(m.path(key).asDouble(-1)).as(key).isBetween(0.0, 100.0);
        }
        assertThat(out.resolve("knn-pretrained").resolve("metrics.json")).isRegularFile();
    }

    @Test
    void quickDemoRunsEveryStageAndWritesItsReport(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("demo");
        CliTest.Result r = CliTest.run("demo", "--quick", "--out", out.toString(), "-j", "2");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("pretrained encoder", "random-init encoder", "margin");

        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        for (String key : new String[]{"pretrained_linear_top1", "random_linear_top1", "pretrain_seconds", "total_seconds"}) {
            assertThat(m.path(key).isNumber()).as(key).isTrue();
        }
        assertThat(m.path("pretrained_linear_top1").asDouble()).isBetween(0.0, 100.0);
        assertThat(m.path("random_linear_top1").asDouble()).isBetween(0.0, 100.0);
        assertThat(m.path("total_seconds").asDouble()).isGreaterThanOrEqualTo(m.path("pretrain_seconds").asDouble());
        assertThat(m.path("quick").asBoolean()).isTrue();
        assertThat(m.path("pretrained_knn_top1").asDouble(-1)).isBetween(0.0, 100.0);
        byte[] png = Files.readAllBytes(out.resolve("pretrain-loss.png"));
        assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        assertThat(out.resolve("pretrain").resolve("metrics.json")).isRegularFile();
        assertThat(out.resolve("linear-pretrained").resolve("metrics.json")).isRegularFile();
        assertThat(out.resolve("linear-random").resolve("metrics.json")).isRegularFile();

        // a folder that the demo did not make is never replaced
        Path other = Files.createDirectories(dir.resolve("precious"));
        Files.writeString(other.resolve("notes.txt"), "keep me");
        CliTest.Result refused = CliTest.run("demo", "--quick", "--out", other.toString());
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("not a demo output folder");
        assertThat(other.resolve("notes.txt")).hasContent("keep me");
    }
}
