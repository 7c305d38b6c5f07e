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

/** {@code synth --streams} and {@code eval detection} from the command line. */
class EvalDetectionCommandTest {

    @BeforeAll
    static void quiet() {
        Progress.setEnabled(false);
    }

    @Test
    void synthStreamsThenDetection(@TempDir Path dir) throws Exception {
        Path ds = dir.resolve("synth");
        CliTest.Result g = CliTest.run("synth", "--out", ds.toString(), "--preset", "small", "--subjects", "3",
                "--classes", "5", "--streams", "3", "--stream-actions", "2", "-j", "2");
        assertThat(g.code()).as(g.err()).isZero();
        assertThat(g.out()).contains("train_streams 2", "test_streams 1");
        Path out = dir.resolve("det");
        CliTest.Result r = CliTest.run("eval", "detection", "--checkpoint", "random", "--preset", "mamp-small",
                "--data", ds.toString(), "--out", out.toString(), "--epochs", "1", "--test-stride", "16",
                "--set", "model.dim=32", "--set", "model.depth=1", "--set", "model.heads=2", "--set", "data.frames=16",
                "--set", "detection.windows_per_stream=4");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("detection: final mAP_a", "2 train / 1 test streams, 0 skipped, 5 classes");
        EnvironmentFacts.assertIn(out.resolve("metrics.json"));
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertThat(m.path("test_stride").asInt()).isEqualTo(16);
        assertThat(m.path("epochs").asInt()).isEqualTo(1);
        assertThat(m.path("test_interpolation").asText()).startsWith("linear");

        // --val-fraction: one of the two training streams held out for model selection
        Path val = dir.resolve("det-val");
        CliTest.Result v = CliTest.run("eval", "detection", "--checkpoint", "random", "--preset", "mamp-small",
                "--data", ds.toString(), "--out", val.toString(), "--epochs", "2", "--test-stride", "16",
                "--val-fraction", "0.5", "--set", "model.dim=32", "--set", "model.depth=1", "--set", "model.heads=2",
                "--set", "data.frames=16", "--set", "detection.windows_per_stream=4");
        assertThat(v.code()).as(v.err()).isZero();
        assertThat(v.out()).contains("1 train / 1 test streams", "validation (1 held-out training streams) picks epoch");
        JsonNode vm = new ObjectMapper().readTree(val.resolve("metrics.json").toFile());
        assertThat(vm.path("val_streams").asInt()).isEqualTo(1);
        assertThat(vm.has("val_selected_test_map_a") && vm.has("val_selected_epoch")).isTrue();
        CliTest.Result badVal = CliTest.run("eval", "detection", "--checkpoint", "random", "--preset", "mamp-small",
                "--data", ds.toString(), "--out", dir.resolve("bad-val").toString(), "--val-fraction", "1");
        assertThat(badVal.code()).isEqualTo(1);
        assertThat(badVal.err()).startsWith("error: --val-fraction must lie in [0, 1)");

        // clips only: one clear line
        Path clips = dir.resolve("clips");
        assertThat(CliTest.run("synth", "--out", clips.toString(), "--preset", "small", "--subjects", "3",
                "--classes", "2", "-j", "2").code()).isZero();
        CliTest.Result bad = CliTest.run("eval", "detection", "--checkpoint", "random", "--preset", "mamp-small",
                "--data", clips.toString(), "--out", dir.resolve("bad").toString());
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).startsWith("error: ").contains("no untrimmed streams with frame labels");
    }
}
