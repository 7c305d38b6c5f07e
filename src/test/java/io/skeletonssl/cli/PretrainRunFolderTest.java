package io.skeletonssl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.skeletonssl.io.AtomicDirectory;
import io.skeletonssl.util.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The run folder from the command line: strict typed settings for both methods, what config.yaml
 * records, --resume taking everything from the run, refusing a damaged history, and --force.
 */
class PretrainRunFolderTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    static Path shared;
    static Path data;
    static Path otherData;

    private static final List<String> TINY_MAMP = List.of("model.dim=32", "model.depth=1", "model.heads=2",
            "model.decoder_dim=32", "model.decoder_depth=1", "model.decoder_heads=2", "pretrain.batch_size=8",
            "pretrain.warmup_epochs=0", "pretrain.checkpoint_every=1");
    private static final List<String> TINY_PCM3 = List.of("data.frames=16", "model.hidden=8", "model.layers=2",
            "model.projector_hidden=12", "model.projector_out=6", "model.decoder_hidden=5", "masking.clips=2",
            "mixing.tem_min=1", "mixing.tem_max=3", "prompts.width=2", "moco.queue=16", "pretrain.batch_size=8",
            "pretrain.checkpoint_every=1", "pretrain.milestones=[1]");

    @BeforeAll
    static void datasets() {
        Progress.setEnabled(false);
        data = shared.resolve("synth");
        otherData = shared.resolve("synth-other");
        for (Path p : List.of(data, otherData)) {
            CliTest.Result r = CliTest.run("synth", "--out", p.toString(), "--preset", "small", "--classes", "4",
                    "--centre", "-j", "2");
            assertThat(r.code()).as(r.err()).isZero();
        }
    }

    private static String[] pretrain(String preset, List<String> tiny, Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("pretrain", "--preset", preset, "--data", data.toString(),
                "--out", out.toString(), "--epochs", "2", "-j", "2"));
        for (String s : tiny) {
            a.add("--set");
            a.add(s);
        }
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private static String[] mamp(Path out, String... more) {
        return pretrain("mamp-small", TINY_MAMP, out, more);
    }

    private static JsonNode config(Path run) throws IOException {
        return YAML.readTree(run.resolve("config.yaml").toFile());
    }

    @Test
    void badMampValuesAreRefusedNamingTheKeyValueAndType(@TempDir Path dir) {
        String[][] cases = {
                {"pretrain.lr=abc", "pretrain.lr", "'abc'", "expected a number"},
                {"pretrain.seed=abc", "pretrain.seed", "'abc'", "expected a whole number"},
                {"pretrain.batch_size=16.9", "pretrain.batch_size", "16.9", "expected a whole number"},
                {"pretrain.epochs=abc", "pretrain.epochs", "'abc'", "expected a whole number"},
                {"masking.ratio=abc", "masking.ratio", "'abc'", "expected a number"},
                {"masking.ratio=1.5", "masking.ratio", "[0, 1)", "1.5"},
                {"pretrain.lr=", "pretrain.lr", "", "expected a number"},
                {"model.layer_norm_eps=1e-6", "model.layer_norm_eps", "fixed", "1.0E-6"},
                {"augment.rotation=[1, 2]", "augment.rotation", "a list", "expected a number"},
        };
        for (String[] c : cases) {
            Path out = dir.resolve("run-" + c[1]);
            List<String> args = new ArrayList<>(List.of(mamp(out)));
            args.remove("--epochs");
            args.remove("2");
            args.add("--set");
            args.add(c[0]);
            CliTest.Result r = CliTest.run(args.toArray(String[]::new));
            assertThat(r.code()).as(c[0]).isNotZero();
            assertThat(r.err()).as(c[0]).contains(c[1], c[2], c[3]);
            assertThat(out).as(c[0] + ": no run folder for a refused configuration").doesNotExist();
        }
    }

    @Test
    void badPcm3AndProbeValuesAreRefusedTheSameWay(@TempDir Path dir) {
        CliTest.Result pcm3 = CliTest.run(pretrain("pcm3-small", TINY_PCM3, dir.resolve("p"),
                "--set", "pretrain.batch_size=8.5"));
        assertThat(pcm3.code()).isNotZero();
        assertThat(pcm3.err()).contains("pretrain.batch_size", "8.5", "expected a whole number");

        CliTest.Result probe = CliTest.run("eval", "linear", "--checkpoint", "random", "--preset", "mamp-small",
                "--data", data.toString(), "--out", dir.resolve("lin").toString(),
                "--set", "linear_probe.batch_size=16.9");
        assertThat(probe.code()).isNotZero();
        assertThat(probe.err()).contains("linear_probe.batch_size", "16.9", "expected a whole number");
        assertThat(dir.resolve("lin")).doesNotExist();
    }

    @Test
    void configYamlRecordsTheTypedValues(@TempDir Path dir) throws IOException {
        Path user = dir.resolve("user.yaml");
        Files.writeString(user, "pretrain:\n  lr: \"0.004\"\n  seed: \"7\"\nmasking:\n  ratio: '0.5'\n");
        Path out = dir.resolve("run");
        CliTest.Result r = CliTest.run(mamp(out, "--config", user.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode c = config(out);
        assertThat(c.path("pretrain").path("lr").isDouble()).as("lr is a number, not text").isTrue();
        assertThat(c.path("pretrain").path("lr").asDouble()).isEqualTo(0.004);
        assertThat(c.path("pretrain").path("seed").isIntegralNumber()).isTrue();
        assertThat(c.path("pretrain").path("seed").asLong()).isEqualTo(7);
        assertThat(c.path("masking").path("ratio").asDouble()).isEqualTo(0.5);
        assertThat(c.path("masking").path("ratio").isDouble()).isTrue();
        assertThat(c.path("pretrain").path("epochs").asInt()).isEqualTo(2);
    }

    @Test
    void precisionIsASettingOfTheRun(@TempDir Path dir) throws IOException {
        CliTest.Result bad = CliTest.run(mamp(dir.resolve("bad"), "--precision", "fp16"));
        assertThat(bad.code()).isNotZero();
        assertThat(bad.err()).contains("pretrain.precision", "fp16", "fp32, bf16");
        boolean bf16Cpu = io.skeletonssl.engine.Autocast.bf16Supported();
        Path out = dir.resolve("bf16");
        CliTest.Result r = CliTest.run(mamp(out, "--precision", "bf16"));
        if (!bf16Cpu) {
            assertThat(r.code()).isNotZero();
            assertThat(r.err()).contains("AVX512-BF16 or AMX-BF16");
            return;
        }
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(config(out).path("pretrain").path("precision").asText()).isEqualTo("bf16");
    }

    @Test
    void pcm3ResumeTakesTheMethodAndDataFromTheRun(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("pcm3-run");
        CliTest.Result first = CliTest.run(pretrain("pcm3-small", TINY_PCM3, out, "--stop-after-epoch", "0"));
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(config(out).path("method").asText()).isEqualTo("pcm3");

        CliTest.Result wrongMethod = CliTest.run("pretrain", "--resume", "--out", out.toString(), "--method", "mamp");
        assertThat(wrongMethod.code()).isNotZero();
        assertThat(wrongMethod.err()).contains("--method mamp", "pcm3 run");

        CliTest.Result other = CliTest.run("pretrain", "--resume", "--out", out.toString(), "--data", otherData.toString());
        assertThat(other.code()).isNotZero();
        assertThat(other.err()).contains(otherData.toString(), data.toString(), "not the dataset");

        CliTest.Result changed = CliTest.run("pretrain", "--resume", "--out", out.toString(),
                "--set", "pretrain.lr=0.5");
        assertThat(changed.code()).isNotZero();
        assertThat(changed.err()).contains("--resume continues the run with the settings in");

        // the README's command: no --method, no --data
        CliTest.Result resumed = CliTest.run("pretrain", "--resume", "--out", out.toString());
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("pretrained epochs 1..1 of 2");
        assertThat(Files.readAllLines(out.resolve("metrics.csv"))).hasSize(3);
        assertThat(out.resolve("metrics.json")).isRegularFile();
        // the same dataset named again is fine
        CliTest.Result extend = CliTest.run("pretrain", "--resume", "--out", out.toString(), "--data",
                data.toString(), "--epochs", "3");
        assertThat(extend.code()).as(extend.err()).isZero();
        assertThat(config(out).path("pretrain").path("epochs").asInt()).as("config.yaml records the extension").isEqualTo(3);
    }

    @Test
    void aDamagedHistoryIsAnErrorNotANewRun(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("run");
        assertThat(CliTest.run(mamp(out, "--stop-after-epoch", "0")).code()).isZero();
        Path csv = out.resolve("metrics.csv");
        List<String> history = Files.readAllLines(csv);

        Files.delete(csv);
        CliTest.Result missing = CliTest.run("pretrain", "--resume", "--out", out.toString());
        assertThat(missing.code()).isNotZero();
        assertThat(missing.err()).contains("metrics.csv is missing", "--force");
        assertThat(csv).doesNotExist();

        Files.write(csv, history.subList(0, 1)); // header only: the row of epoch 0 is gone
        CliTest.Result rowless = CliTest.run("pretrain", "--resume", "--out", out.toString());
        assertThat(rowless.code()).isNotZero();
        assertThat(rowless.err()).contains("does not match checkpoint-0", "epoch 0..0");

        Files.write(csv, history);
        Path yaml = out.resolve("config.yaml");
        String settings = Files.readString(yaml);
        Files.writeString(yaml, settings.replace("lr: 0.002", "lr: 0.02"));
        assertThat(Files.readString(yaml)).isNotEqualTo(settings);
        CliTest.Result edited = CliTest.run("pretrain", "--resume", "--out", out.toString());
        assertThat(edited.code()).isNotZero();
        assertThat(edited.err()).contains("differs from the settings checkpoint-0 was trained with", "pretrain.lr");

        Files.writeString(yaml, settings);
        CliTest.Result ok = CliTest.run("pretrain", "--resume", "--out", out.toString());
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(Files.readAllLines(csv)).hasSize(3);
    }

    @Test
    void aRunKilledBeforeItsFirstCheckpointCanBeRestartedWithForce(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("run");
        assertThat(CliTest.run(mamp(out)).code()).isZero();
        // what a kill during epoch 0 leaves: the configuration, maybe a metrics row, no checkpoint
        for (String name : List.of("checkpoint-0", "checkpoint-1")) {
            AtomicDirectory.deleteQuietly(out.resolve(name));
        }
        Files.delete(out.resolve("last"));
        Files.delete(out.resolve("metrics.json"));

        CliTest.Result resume = CliTest.run("pretrain", "--resume", "--out", out.toString());
        assertThat(resume.code()).isNotZero();
        assertThat(resume.err()).contains("no complete checkpoint", "restart it with --force");
        CliTest.Result again = CliTest.run(mamp(out));
        assertThat(again.code()).isNotZero();
        assertThat(again.err()).contains("no checkpoint to resume from", "--force");

        CliTest.Result both = CliTest.run(mamp(out, "--force", "--resume"));
        assertThat(both.code()).isNotZero();
        assertThat(both.err()).contains("choose one");

        // a restart whose own settings are refused leaves the old folder as it was
        CliTest.Result refused = CliTest.run(mamp(out, "--force", "--set", "pretrain.lr=abc"));
        assertThat(refused.code()).isNotZero();
        assertThat(refused.err()).contains("pretrain.lr");
        assertThat(out.resolve("config.yaml")).isRegularFile();
        assertThat(out.resolve("metrics.csv")).isRegularFile();

        CliTest.Result forced = CliTest.run(mamp(out, "--force"));
        assertThat(forced.code()).as(forced.err()).isZero();
        assertThat(forced.out()).contains("pretrained epochs 0..1 of 2");
        assertThat(Files.readAllLines(out.resolve("metrics.csv"))).as("a fresh history").hasSize(3);
        assertThat(out.resolve("checkpoint-1").resolve("checkpoint.json")).isRegularFile();
    }

    @Test
    void forceDeletesOnlyRunFoldersAndNeverTheData(@TempDir Path dir) throws IOException {
        Path notRun = Files.createDirectories(dir.resolve("documents"));
        Files.writeString(notRun.resolve("thesis.tex"), "precious");
        CliTest.Result r = CliTest.run(mamp(notRun, "--force"));
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("not a run folder", "--force does not delete");
        assertThat(notRun.resolve("thesis.tex")).hasContent("precious");

        // --out the dataset's parent: refused before anything is deleted
        Path parent = data.getParent();
        long before;
        try (var s = Files.walk(data)) {
            before = s.count();
        }
        CliTest.Result overlap = CliTest.run(mamp(parent, "--force"));
        assertThat(overlap.code()).isNotZero();
        assertThat(overlap.err()).contains(data.toString());
        try (var s = Files.walk(data)) {
            assertThat(s.count()).isEqualTo(before);
        }
    }
}
