package io.skeletonssl.training;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import io.skeletonssl.engine.Engines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.skeletonssl.training.OptimizerTest.param;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DivergenceGuardTest {

    private final DivergenceGuard guard = new DivergenceGuard(new DivergenceGuard.Settings(3, 0.5, 10));

    @Test
    void saysWhichStepsDiverged() {
        assertThat(guard.problem(7.5, true, 2.0, true, 8.0)).isNull();
        assertThat(guard.problem(Double.NaN, true, 2.0, true, 8.0)).isEqualTo("loss NaN");
        assertThat(guard.problem(Double.POSITIVE_INFINITY, true, 2.0, false, 8.0)).isEqualTo("loss Infinity");
        assertThat(guard.problem(7.5, false, Double.NaN, true, 8.0)).isEqualTo("gradient norm NaN");
        assertThat(guard.problem(7.5, false, Double.NaN, false, 8.0)).as("a method that skips such steps").isNull();
        // the loss jump: above 10 x the previous epoch's mean, and only once there is a previous epoch
        assertThat(guard.problem(79, true, 2.0, true, 8.0)).isNull();
        assertThat(guard.problem(81, true, 2.0, true, 8.0)).startsWith("loss 81 above 10 x the previous epoch's mean 8");
        assertThat(guard.problem(1e6, true, 2.0, true, Double.NaN)).isNull();
        DivergenceGuard noJump = new DivergenceGuard(new DivergenceGuard.Settings(3, 0.5, 0));
        assertThat(noJump.problem(1e6, true, 2.0, true, 8.0)).isNull();
    }

    @Test
    void eachRollbackLowersTheRateAndTheOneAfterTheLastStops() {
        assertThat(guard.lrFactor()).isEqualTo(1.0);
        for (int i = 1; i <= 3; i++) {
            DivergenceGuard.Event e = guard.onDivergence(2, 5, 25, "loss NaN", Double.NaN, 3.0, 0.01);
            assertThat(e.stops()).isFalse();
            assertThat(e.action()).isEqualTo("rollback");
            assertThat(e.lrFactor()).isEqualTo(Math.pow(0.5, i));
            assertThat(guard.report(e)).contains("epoch 2 step 5").contains("loss NaN").contains("rollback " + i + " of 3");
        }
        DivergenceGuard.Event last = guard.onDivergence(2, 1, 21, "loss NaN", Double.NaN, Double.NaN, 0.00125);
        assertThat(last.stops()).isTrue();
        assertThat(last.lrFactor()).as("a resume starts one step lower").isEqualTo(0.0625);
        assertThat(guard.events()).hasSize(4);
        assertThat(guard.rollbacks()).isEqualTo(3);
    }

    @Test
    void aCheckpointCarriesTheFactorAndTheEventsIntoTheResumedRun(@TempDir Path dir) throws Exception {
        guard.onDivergence(1, 4, 10, "loss NaN", Double.NaN, Double.POSITIVE_INFINITY, 0.02);
        try (NDManager m = Engines.cpu().newManager()) {
            PairList<String, Parameter> p = new PairList<>();
            p.add("w", param(m, "w", m.ones(new Shape(2))));
            Checkpoint c = Checkpoint.write(dir.resolve("checkpoint-1"), 1, 12, 0, p, null, null,
                    guard.checkpointExtra());
            DivergenceGuard resumed = DivergenceGuard.resumed(guard.settings(), c);
            assertThat(resumed.lrFactor()).isEqualTo(0.5);
            assertThat(resumed.events()).singleElement().satisfies(e -> {
                assertThat(e.epoch()).isEqualTo(1);
                assertThat(e.step()).isEqualTo(4);
                assertThat(e.globalStep()).isEqualTo(10);
                assertThat(e.loss()).isNaN();
                assertThat(e.gradNorm()).isInfinite();
                assertThat(e.lr()).isEqualTo(0.02);
            });
            assertThat(resumed.rollbacks()).as("a resumed process has its own rollbacks").isZero();
            // a checkpoint from before the guard: factor 1, no events
            Checkpoint old = Checkpoint.write(dir.resolve("checkpoint-2"), 2, 12, 0, p, null, null, null);
            assertThat(DivergenceGuard.resumed(guard.settings(), old).lrFactor()).isEqualTo(1.0);
            assertThat(DivergenceGuard.resumed(guard.settings(), old).events()).isEmpty();
        }
    }

    @Test
    void badSettingsNameTheKey() {
        assertThatThrownBy(() -> new DivergenceGuard.Settings(-1, 0.5, 0))
                .hasMessageContaining("pretrain.divergence_rollbacks").hasMessageContaining("-1");
        for (double f : List.of(0.0, 1.0, 1.5, Double.NaN)) {
            assertThatThrownBy(() -> new DivergenceGuard.Settings(3, f, 0))
                    .hasMessageContaining("pretrain.divergence_lr_factor must lie in (0, 1)");
        }
        for (double f : List.of(0.5, 1.0, -2.0, Double.POSITIVE_INFINITY)) {
            assertThatThrownBy(() -> new DivergenceGuard.Settings(3, 0.5, f))
                    .hasMessageContaining("pretrain.divergence_loss_factor must be 0 (off)");
        }
        assertThat(DivergenceGuard.Settings.OFF.enabled()).isFalse();
        assertThat(new DivergenceGuard.Settings(1, 0.5, 0).enabled()).isTrue();
    }
}
