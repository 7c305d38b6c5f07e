package io.skeletonssl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skeletonssl.eval.TestScores;
import io.skeletonssl.testutil.EnvironmentFacts;
import io.skeletonssl.util.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code eval finetune}, {@code eval semi} and {@code eval transfer} from the command line. */
class EvalFinetuneCommandTest {

    static final List<String> TINY = List.of("model.dim=16", "model.depth=1", "model.heads=2", "model.decoder_dim=16",
            "model.decoder_depth=1", "model.decoder_heads=2", "finetune.batch_size=16", "finetune.head_hidden=16");

    @TempDir
    static Path shared;
    static Path data;

    @BeforeAll
    static void setUp() {
        Progress.setEnabled(false);
        data = shared.resolve("synth");
        CliTest.Result s = CliTest.run("synth", "--out", data.toString(), "--preset", "small", "--classes", "3", "-j", "2");
        assertThat(s.code()).as(s.err()).isZero();
    }

    private static CliTest.Result eval(String protocol, String checkpoint, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("eval", protocol, "--checkpoint", checkpoint, "--data", data.toString(),
                "--out", out.toString(), "-j", "2", "--preset", "mamp-small", "--epochs", "1"));
        TINY.forEach(s -> a.addAll(List.of("--set", s)));
        a.addAll(List.of(extra));
        return CliTest.run(a.toArray(new String[0]));
    }

    @Test
    void finetuneFromScratchWithValidationWritesTheReport(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("ft");
        CliTest.Result r = eval("finetune", "random", out, "--from-scratch", "--val-fraction", "0.2");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("finetune: final top-1");
        EnvironmentFacts.assertIn(out.resolve("metrics.json"));
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertThat(m.path("layer_decay").asDouble()).isEqualTo(1.0);
        assertThat(m.has("val_selected_epoch") && m.has("val_selected_test_top1") && m.has("val_fraction")).isTrue();
        assertThat(TestScores.read(out).classes()).isEqualTo(3);
    }

    @Test
    void finetunePrecisionIsRecordedAndBf16Trains(@TempDir Path dir) throws Exception {
        CliTest.Result bad = eval("finetune", "random", dir.resolve("bad"), "--precision", "half");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("finetune.precision", "half", "fp32, bf16");
        assertThat(dir.resolve("bad")).doesNotExist();
        boolean bf16Cpu = io.skeletonssl.engine.Autocast.bf16Supported();
        org.junit.jupiter.api.Assumptions.assumeTrue(bf16Cpu, "this CPU has no native bf16");
        Path out = dir.resolve("ft16");
        CliTest.Result r = eval("finetune", "random", out, "--precision", "bf16");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode cfg = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(out.resolve("config.yaml").toFile());
        assertThat(cfg.path("finetune").path("precision").asText()).isEqualTo("bf16");
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertThat(m.path("final_top1").asDouble()).isBetween(0.0, 100.0); // percent
    }

    @Test
    void badInputIsOneLineError(@TempDir Path dir) {
        CliTest.Result r = eval("transfer", "random", dir.resolve("t"));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).startsWith("error:").contains("needs a pretrained run").doesNotContain("\n");
        CliTest.Result s = eval("semi", "random", dir.resolve("s"), "--ratio", "0.004", "--repeats", "2");
        assertThat(s.code()).isEqualTo(1);
        assertThat(s.err().strip()).startsWith("error:").contains("--stratified");
        CliTest.Result v = eval("finetune", "random", dir.resolve("v"), "--val-fraction", "1.5");
        assertThat(v.code()).isEqualTo(1);
        assertThat(v.err()).contains("--val-fraction must lie in [0, 1)");
        assertThat(dir.resolve("s")).doesNotExist();
        // one labelled clip per class cannot give a validation clip and a training clip of every class
        CliTest.Result sv = eval("semi", "random", dir.resolve("sv"), "--ratio", "0.01", "--stratified",
                "--repeats", "1", "--val-fraction", "0.5");
        assertThat(sv.code()).isEqualTo(1);
        assertThat(sv.err().strip()).startsWith("error: repeat 0").contains("--val-fraction 0.5").doesNotContain("\n");
        assertThat(dir.resolve("sv")).doesNotExist();
    }
}
