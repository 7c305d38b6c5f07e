package io.skeletonssl.cli;

import io.skeletonssl.util.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A protocol whose loss goes non-finite (here: a learning rate of 1e30, seeded, so it overflows at
 * the same step every time) stops with an error naming the protocol, epoch and step, and commits no
 * output folder, instead of recording a result computed from NaN weights.
 */
class DivergingProtocolsCommandTest {

    private static final String HUGE = "1e38";
    private static final String DIVERGED = "loss became (NaN|infinite \\([-+]?Infinity\\)) at epoch \\d+ step \\d+; "
            + "stopped without recording a result";

    @TempDir
    static Path shared;
    static Path clips;
    static Path streams;

    @BeforeAll
    static void setUp() {
        Progress.setEnabled(false);
        clips = shared.resolve("synth");
        CliTest.Result s = CliTest.run("synth", "--out", clips.toString(), "--preset", "small", "--classes", "3",
                "-j", "2");
        assertThat(s.code()).as(s.err()).isZero();
        streams = shared.resolve("streams");
        CliTest.Result g = CliTest.run("synth", "--out", streams.toString(), "--preset", "small", "--subjects", "3",
                "--classes", "5", "--streams", "3", "--stream-actions", "2", "-j", "2");
        assertThat(g.code()).as(g.err()).isZero();
    }

    private static CliTest.Result eval(String protocol, Path data, Path out, String preset, String... extra) {
        List<String> a = new ArrayList<>(List.of("eval", protocol, "--checkpoint", "random", "--preset", preset,
                "--data", data.toString(), "--out", out.toString(), "-j", "2"));
        a.addAll(List.of(extra));
        return CliTest.run(a.toArray(String[]::new));
    }

    private static void assertStoppedWithoutOutput(CliTest.Result r, String protocol, Path dir) throws IOException {
        assertThat(r.code()).as(r.out()).isEqualTo(1);
        assertThat(r.err().strip()).matches("error: " + protocol + ": " + DIVERGED + " \\(lower [a-z_.]+lr.*\\)");
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).as("nothing committed or left behind in " + dir).isEmpty();
        }
    }

    @Test
    void linearProbe(@TempDir Path dir) throws IOException {
        CliTest.Result r = eval("linear", clips, dir.resolve("out"), "mamp-small", "--epochs", "2",
                "--set", "model.dim=32", "--set", "model.depth=1", "--set", "model.heads=2",
                "--set", "linear_probe.batch_size=8", "--set", "linear_probe.feature_views=1",
                "--set", "linear_probe.lr=" + HUGE);
        assertStoppedWithoutOutput(r, "linear probe", dir);
    }

    @Test
    void fineTuning(@TempDir Path dir) throws IOException {
        CliTest.Result r = eval("finetune", clips, dir.resolve("out"), "mamp-small", "--epochs", "2",
                "--from-scratch", "--set", "model.dim=16", "--set", "model.depth=1", "--set", "model.heads=2",
                "--set", "finetune.batch_size=16", "--set", "finetune.head_hidden=16",
                "--set", "finetune.lr=" + HUGE);
        assertStoppedWithoutOutput(r, "finetune", dir);
    }

    @Test
    void detection(@TempDir Path dir) throws IOException {
        CliTest.Result r = eval("detection", streams, dir.resolve("out"), "mamp-small", "--epochs", "2",
                "--test-stride", "16", "--set", "model.dim=32", "--set", "model.depth=1", "--set", "model.heads=2",
                "--set", "data.frames=16", "--set", "detection.windows_per_stream=4",
                "--set", "detection.lr=" + HUGE);
        assertStoppedWithoutOutput(r, "detection", dir);
    }

    @Test
    void motionPrediction(@TempDir Path dir) throws IOException {
        CliTest.Result r = eval("motion-prediction", clips, dir.resolve("out"), "pcm3-small", "--epochs", "2",
                "--set", "model.hidden=8", "--set", "model.layers=1", "--set", "motion_prediction.hidden=8",
                "--set", "motion_prediction.lr=" + HUGE);
        assertStoppedWithoutOutput(r, "motion prediction", dir);
    }
}
