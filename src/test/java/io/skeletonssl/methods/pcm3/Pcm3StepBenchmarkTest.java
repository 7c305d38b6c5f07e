package io.skeletonssl.methods.pcm3;

import io.skeletonssl.layout.Layouts;
import io.skeletonssl.models.pcm3.GruStack;
import io.skeletonssl.models.pcm3.Pcm3Config;
import io.skeletonssl.training.ConfigTree;
import io.skeletonssl.training.StepBench;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class Pcm3StepBenchmarkTest {

    /** pcm3-small shrunk to run a full step in well under a second. */
    static Pcm3Settings tiny(String... extra) throws Exception {
        List<String> sets = new ArrayList<>(List.of("model.hidden=16", "data.frames=16", "moco.queue=32",
                "masking.clips=2", "mixing.tem_min=1", "mixing.tem_max=3", "prompts.width=4"));
        sets.addAll(List.of(extra));
        return Pcm3Presets.fromTree(ConfigTree.resolve("pcm3-small", null, sets));
    }

    @Test
    void gruEstimateIsTwoFlopPerWeightPerFrameRow() {
        // Independent of the FLOP formula: GruStack's parameter count minus the 6H biases per cell.
        Pcm3Config ntu = Pcm3Config.ntu(Pcm3Config.GruMode.OFFICIAL);
        long weights = GruStack.parameterCount(ntu.channels(), ntu.hidden(), ntu.layers(), 2)
                - 3L * 2 * 6 * ntu.hidden();
        assertThat(Pcm3StepBenchmark.gruFlops(1, ntu.channels(), ntu.hidden(), ntu.layers(), 2))
                .isEqualTo(2.0 * weights);
        assertThat(Pcm3StepBenchmark.gruFlops(1024, ntu.channels(), ntu.hidden(), ntu.layers(), 2))
                .isEqualTo(1024 * 2.0 * weights);
    }

    @Test
    void stepEstimateIsLinearInBatchAndDominatedByTheEncoderPasses() throws Exception {
        Pcm3Settings s = Pcm3Presets.fromTree(ConfigTree.resolve("pcm3-ntu60-xsub", null, List.of()));
        double at16 = Pcm3StepBenchmark.gflopPerStep(s, 16);
        assertThat(Pcm3StepBenchmark.gflopPerStep(s, 32)).isCloseTo(2 * at16, within(1e-9 * at16));
        Pcm3Config c = s.modelConfig();
        // 4 trained query passes (x3) and one key pass (x1) of the GRU: the bulk of the estimate
        double gru = Pcm3StepBenchmark.gruFlops(16L * 64, c.channels(), c.hidden(), c.layers(), 2) / 1e9;
        assertThat(at16).isGreaterThan(13 * gru).isLessThan(13 * gru * 1.1);
        // removing the decoder's second pass (no prompts) makes the estimate smaller
        Pcm3Settings none = Pcm3Presets.fromTree(ConfigTree.resolve("pcm3-ntu60-xsub", null,
                List.of("prompts.mode=none")));
        assertThat(Pcm3StepBenchmark.gflopPerStep(none, 16)).isLessThan(at16);
    }

    @Test
    void tinyBenchmarkReportsSaneTimesAndHoldsNoArraysBetweenSteps() throws Exception {
        Pcm3Settings s = tiny();
        List<Long> seen = new ArrayList<>();
        StepBench.Result r = Pcm3StepBenchmark.run(s, Layouts.ntu25(), 4, 1, 2, 3, seen::add);
        assertThat(seen).containsExactly(0L, 1L);
        assertThat(r.method()).isEqualTo("pcm3");
        assertThat(r.batch()).isEqualTo(4);
        assertThat(r.forwardSeconds()).isPositive();
        assertThat(r.backwardSeconds()).isPositive();
        assertThat(r.optimizerSeconds()).isPositive();
        assertThat(r.minStepSeconds()).isPositive().isLessThanOrEqualTo(r.secondsPerStep());
        assertThat(r.maxStepSeconds()).isGreaterThanOrEqualTo(r.secondsPerStep());
        assertThat(r.gflopPerStep()).isEqualTo(Pcm3StepBenchmark.gflopPerStep(s, 4)).isPositive();
        assertThat(r.gflops()).isPositive();
        assertThat(r.rssStartBytes()).isPositive();
        // one trace point per step: the root manager holds the same arrays after each (no leak)
        assertThat(r.rootArraysTrace()).hasSize(2);
        assertThat(r.rootArraysTrace().get(1)).isEqualTo(r.rootArraysTrace().get(0));
        assertThat(r.heapTraceMb()).hasSize(2).allSatisfy(mb -> assertThat(mb).isPositive());
        assertThat(r.toMap()).containsKeys("seconds_per_step", "min_seconds_per_step", "max_seconds_per_step",
                "gflop_per_step", "root_arrays_trace", "rss_trace_mb");
    }

    @Test
    void batchMustDivideTheQueue() throws Exception {
        assertThatThrownBy(() -> Pcm3StepBenchmark.run(tiny(), Layouts.ntu25(), 5, 0, 1, 1, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("moco.queue 32");
    }
}
