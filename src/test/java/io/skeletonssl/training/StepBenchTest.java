package io.skeletonssl.training;

import ai.djl.ndarray.NDManager;
import io.skeletonssl.engine.Engines;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class StepBenchTest {

    @Test
    void phasesMeanMinMaxTailAndTracesFollowTheSteps() {
        List<Long> calls = new ArrayList<>();
        try (NDManager root = Engines.cpu().newManager()) {
            // Step i (warm-up ones included) reports forward i s, backward 2 s, optimizer 0.5 s.
            StepBench.Result r = StepBench.measure("fake", 8, 30.0, root, 2, 20, nanos -> {
                long i = calls.size();
                calls.add(i);
                nanos[StepBench.FORWARD] += i * 1_000_000_000L;
                nanos[StepBench.BACKWARD] += 2_000_000_000L;
                nanos[StepBench.OPTIMIZER] += 500_000_000L;
            }, null);
            assertThat(calls).hasSize(22);
            // measured steps are calls 2..21: forward 2..21 s, total 4.5..23.5 s
            assertThat(r.forwardSeconds()).isCloseTo(230, within(1e-9));
            assertThat(r.secondsPerStep()).isCloseTo(14.0, within(1e-9));
            assertThat(r.minStepSeconds()).isCloseTo(4.5, within(1e-9));
            assertThat(r.maxStepSeconds()).isCloseTo(23.5, within(1e-9));
            assertThat(r.lastTenthSecondsPerStep()).isCloseTo(23.0, within(1e-9)); // the last 2 steps
            assertThat(r.gflops()).isCloseTo(30.0 / 14.0, within(1e-12));
            assertThat(r.rootArraysTrace()).hasSize(10).containsOnly(0);
            assertThat(r.rssTraceMb()).hasSize(10);
            assertThat(r.toMap()).containsEntry("method", "fake").containsEntry("batch", 8);
        }
    }

    @Test
    void refusesZeroMeasuredSteps() {
        try (NDManager root = Engines.cpu().newManager()) {
            assertThatThrownBy(() -> StepBench.measure("fake", 1, 1, root, 0, 0, nanos -> { }, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("steps must be >= 1");
        }
    }
}
