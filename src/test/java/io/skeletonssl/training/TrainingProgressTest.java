package io.skeletonssl.training;

import io.skeletonssl.util.Progress;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TrainingProgressTest {

    @Test
    void smoothedLossIsBiasCorrectedEma() {
        long[] now = {0};
        Progress.setEnabled(false);
        try (TrainingProgress p = new TrainingProgress(Progress.start("t", 10, "step"), 4, 0.5, () -> now[0])) {
            assertThat(p.smoothedLoss()).isNaN();
            p.step(0, 2.0, 1e-3, 8);
            assertThat(p.smoothedLoss()).isEqualTo(2.0);
            p.step(0, 1.0, 1e-3, 8);
            // ema = 0.5·(0.5·2) + 0.5·1 = 1.0, weight = 1 − 0.5² = 0.75 → 4/3
            assertThat(p.smoothedLoss()).isCloseTo((0.25 * 2 + 0.5 * 1) / 0.75, within(1e-12));
            p.step(1, Double.NaN, 1e-3, 8);            // ignored by the average
            assertThat(p.smoothedLoss()).isCloseTo((0.25 * 2 + 0.5 * 1) / 0.75, within(1e-12));
            now[0] = 2_000_000_000L;                    // 24 samples in 2 s
            assertThat(p.samplesPerSecond()).isEqualTo(12.0);
            assertThat(p.message(5e-4)).isEqualTo("epoch 2/4 loss 1.3333 lr 5.000e-04 12.0 samples/s");
        } finally {
            Progress.setEnabled(!Boolean.getBoolean("skeletonssl.quiet"));
        }
    }

    @Test
    void nanGuardPassesFiniteAndNamesTheLastGoodCheckpoint() {
        NanGuard g = new NanGuard(() -> Path.of("run/checkpoint-19"));
        assertThat(g.check(0.5, 0, 1)).isEqualTo(0.5);
        assertThatThrownBy(() -> g.check(Double.NaN, 20, 12345))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessage("loss became NaN at epoch 20 step 12345; the last good checkpoint is run/checkpoint-19");
        assertThatThrownBy(() -> g.check(Double.POSITIVE_INFINITY, 3, 7))
                .hasMessageContaining("infinite").hasMessageContaining("epoch 3 step 7");
        assertThatThrownBy(() -> new NanGuard(() -> null).check(Double.NaN, 0, 0))
                .hasMessageContaining("none");
    }

    @Test
    void aProtocolsNanGuardNamesTheProtocolEpochAndStep() {
        NanGuard g = NanGuard.forProtocol("linear probe", "lower linear_probe.lr");
        assertThat(g.check(-3.0, 0, 0)).isEqualTo(-3.0);
        assertThatThrownBy(() -> g.check(Double.NaN, 2, 41))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessage("linear probe: loss became NaN at epoch 2 step 41; stopped without recording a result"
                        + " (lower linear_probe.lr)")
                .satisfies(e -> {
                    assertThat(((TrainingDivergedException) e).epoch()).isEqualTo(2);
                    assertThat(((TrainingDivergedException) e).step()).isEqualTo(41);
                });
        assertThatThrownBy(() -> NanGuard.forProtocol("detection", null).check(Double.NEGATIVE_INFINITY, 0, 3))
                .hasMessage("detection: loss became infinite (-Infinity) at epoch 0 step 3; stopped without recording"
                        + " a result");
    }
}
