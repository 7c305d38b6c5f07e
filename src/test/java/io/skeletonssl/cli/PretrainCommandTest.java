package io.skeletonssl.cli;

import io.skeletonssl.testutil.EnvironmentFacts;
import io.skeletonssl.util.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PretrainCommandTest {

    @BeforeAll
    static void quiet() {
        Progress.setEnabled(false);
    }

    private static String[] pretrain(Path ds, Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("pretrain", "--method", "mamp", "--preset", "mamp-small",
                "--data", ds.toString(), "--out", out.toString(), "--epochs", "1", "-j", "2"));
        for (String s : new String[]{"model.dim=32", "model.depth=1", "model.heads=2", "model.decoder_dim=32",
                "model.decoder_depth=1", "model.decoder_heads=2", "pretrain.batch_size=8", "pretrain.warmup_epochs=0"}) {
            a.add("--set");
            a.add(s);
        }
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void pretrainFromTheCommandLine(@TempDir Path dir) throws Exception {
        Path ds = dir.resolve("synth");
        assertThat(CliTest.run("synth", "--out", ds.toString(), "--preset", "small", "--classes", "4", "-j", "2").code()).isZero();
        Path out = dir.resolve("run");
        CliTest.Result r = CliTest.run(pretrain(ds, out));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("pretrained epochs 0..0 of 1", "loss");
        assertThat(out.resolve("config.yaml")).isRegularFile();
        assertThat(out.resolve("metrics.json")).isRegularFile();
        EnvironmentFacts.assertIn(out.resolve("metrics.json"));
        assertThat(Files.readAllLines(out.resolve("metrics.csv"))).hasSize(2); // header + 1 epoch
        assertThat(out.resolve("checkpoint-0").resolve("checkpoint.json")).isRegularFile();

        CliTest.Result again = CliTest.run(pretrain(ds, out));
        assertThat(again.code()).isNotZero();
        assertThat(again.err()).contains("already exists", "--resume");

        Path empty = Files.createDirectories(dir.resolve("empty"));
        CliTest.Result noCkpt = CliTest.run("pretrain", "--out", empty.toString(), "--resume");
        assertThat(noCkpt.code()).isNotZero();
        assertThat(noCkpt.err()).contains("not a run folder", "nothing to --resume");

        CliTest.Result badMethod = CliTest.run("pretrain", "--method", "simclr", "--preset", "mamp-small",
                "--data", ds.toString(), "--out", dir.resolve("x").toString());
        assertThat(badMethod.code()).isNotZero();
        assertThat(badMethod.err()).contains("unknown --method 'simclr'");

        // options of the other method are refused, not ignored
        CliTest.Result mixed = CliTest.run(pretrain(ds, dir.resolve("y"), "--prompts", "none"));
        assertThat(mixed.code()).isNotZero();
        assertThat(mixed.err()).contains("--prompts is not an option of --method mamp");
        // the method comes from the preset; a --method that disagrees with it is an error naming both
        CliTest.Result wrongPreset = CliTest.run("pretrain", "--method", "mamp", "--preset", "pcm3-small",
                "--data", ds.toString(), "--out", dir.resolve("z").toString());
        assertThat(wrongPreset.code()).isNotZero();
        assertThat(wrongPreset.err()).contains("--method mamp disagrees with --preset pcm3-small", "pcm3 preset");
        assertThat(dir.resolve("z")).doesNotExist();
    }

    @Test
    void pretrainWarnsLoudlyOnUncentredDataAndRecordsIt(@TempDir Path dir) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        Path raw = dir.resolve("synth-raw");
        assertThat(CliTest.run("synth", "--out", raw.toString(), "--preset", "small", "--classes", "2", "-j", "2").code())
                .isZero();
        CliTest.Result r = CliTest.run(pretrain(raw, dir.resolve("run-raw")));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("WARNING: dataset 'synthetic-ntu60-xsub' \\(.*synth-raw\\) is not centred: "
                + "person 1's centre joint SpineMid \\(1\\) lies a median \\d\\.\\d\\d m from the origin");
        var warnings = json.readTree(dir.resolve("run-raw").resolve("metrics.json").toFile()).path("warnings");
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0).asText()).contains("is not centred", "raw camera coordinates", "--normalize auto");

        Path centred = dir.resolve("synth-centred");
        assertThat(CliTest.run("synth", "--out", centred.toString(), "--preset", "small", "--classes", "2", "-j", "2",
                "--centre").code()).isZero();
        CliTest.Result c = CliTest.run(pretrain(centred, dir.resolve("run-centred")));
        assertThat(c.code()).as(c.err()).isZero();
        assertThat(c.out()).doesNotContain("WARNING");
        assertThat(json.readTree(dir.resolve("run-centred").resolve("metrics.json").toFile()).path("warnings")).isEmpty();
    }
}
