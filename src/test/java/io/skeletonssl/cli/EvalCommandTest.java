package io.skeletonssl.cli;

import io.skeletonssl.io.MappedNpy;
import io.skeletonssl.testutil.EnvironmentFacts;
import io.skeletonssl.util.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EvalCommandTest {

    private static final String[] TINY = {"--set", "model.dim=32", "--set", "model.depth=1", "--set", "model.heads=2"};

    @BeforeAll
    static void quiet() {
        Progress.setEnabled(false);
    }

    private static String[] args(String... parts) {
        List<String> a = new ArrayList<>(List.of(parts));
        a.addAll(List.of(TINY));
        return a.toArray(String[]::new);
    }

    @Test
    void evalLinearAndEmbedFromTheCommandLine(@TempDir Path dir) throws Exception {
        Path ds = dir.resolve("synth");
        assertThat(CliTest.run("synth", "--out", ds.toString(), "--preset", "small", "--classes", "3", "-j", "2").code())
                .isZero();
        Path out = dir.resolve("probe");
        CliTest.Result r = CliTest.run(args("eval", "linear", "--checkpoint", "random", "--preset", "mamp-small",
                "--data", ds.toString(), "--out", out.toString(), "--epochs", "2", "--seed", "3", "-j", "2",
                "--set", "linear_probe.batch_size=8", "--set", "linear_probe.feature_views=1"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("linear probe: final top-1", "36 train / 18 test clips, 3 classes");
        assertThat(out.resolve("metrics.json")).content().contains("\"final_top1\"", "\"seed\" : 3");
        EnvironmentFacts.assertIn(out.resolve("metrics.json"));
        assertThat(out.resolve("config.yaml")).isRegularFile();

        CliTest.Result again = CliTest.run(args("eval", "linear", "--checkpoint", "random", "--preset", "mamp-small",
                "--data", ds.toString(), "--out", out.toString()));
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("already exists");
        CliTest.Result noPreset = CliTest.run("eval", "linear", "--checkpoint", "random", "--data", ds.toString(),
                "--out", dir.resolve("x").toString());
        assertThat(noPreset.code()).isEqualTo(1);
        assertThat(noPreset.err()).startsWith("error: --checkpoint random needs --preset");
        assertThat(CliTest.run("eval").code()).isEqualTo(2);

        Path features = dir.resolve("f/features.npy");
        CliTest.Result e = CliTest.run("embed", "--checkpoint", "random", "--preset", "mamp-small", "--data",
                ds.toString(), "--out", features.toString(), "--split", "all", "-j", "2");
        assertThat(e.code()).as(e.err()).isZero();
        try (MappedNpy f = new MappedNpy(features); MappedNpy l = new MappedNpy(dir.resolve("f/features.labels.npy"))) {
            assertThat(f.rows()).isEqualTo(54);
            assertThat(f.rowItems()).isEqualTo(64);
            assertThat(l.rows()).isEqualTo(54);
            assertThat(l.readAllInts()).containsOnly(0, 1, 2);
        }
        CliTest.Result badSplit = CliTest.run("embed", "--checkpoint", "random", "--preset", "mamp-small", "--data",
                ds.toString(), "--out", dir.resolve("g.npy").toString(), "--split", "val");
        assertThat(badSplit.err()).contains("no split 'val'");
    }
}
