package io.skeletonssl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skeletonssl.testutil.EnvironmentFacts;
import io.skeletonssl.util.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EvalMotionCommandTest {

    @BeforeAll
    static void quiet() {
        Progress.setEnabled(false);
    }

    private static CliTest.Result motion(Path ds, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("eval", "motion-prediction", "--checkpoint", "random",
                "--preset", "pcm3-small", "--data", ds.toString(), "--out", out.toString(),
                "--set", "model.hidden=8", "--set", "model.layers=1", "--set", "motion_prediction.hidden=8",
                "--epochs", "1"));
        a.addAll(List.of(extra));
        return CliTest.run(a.toArray(String[]::new));
    }

    @Test
    void predictsMotionOnSyntheticDataAndCountsShortClips(@TempDir Path dir) throws Exception {
        Path ds = dir.resolve("synth");
        assertThat(CliTest.run("synth", "--out", ds.toString(), "--preset", "small", "--classes", "3", "-j", "2").code())
                .isZero();
        Path out = dir.resolve("mp");
        CliTest.Result r = motion(ds, out);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("motion prediction: final MPJPE", "zero-velocity baseline");
        EnvironmentFacts.assertIn(out.resolve("metrics.json"));
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertThat(m.path("metres_per_unit").asDouble()).isEqualTo(1.0); // synth writes source.units = metres
        int used = m.path("train_clips").asInt();
        int skipped = m.path("skipped").path("train").path("too_short").asInt()
                + m.path("skipped").path("train").path("two_person").asInt();
        assertThat(used + skipped).isEqualTo(36); // 3 classes x 4 train subjects x 3 views
        assertThat(m.path("zero_velocity_mpjpe_mm").asDouble()).isBetween(1.0, 500.0);

        CliTest.Result bad = motion(ds, dir.resolve("bad"), "--units", "furlongs");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("error: --units: unknown length unit 'furlongs'");
        assertThat(dir.resolve("bad")).doesNotExist();
    }
}
