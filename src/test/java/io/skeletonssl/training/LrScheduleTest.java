package io.skeletonssl.training;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LrScheduleTest {

    private final WarmupCosine mamp = new WarmupCosine(1e-3, 5e-4, 20, 400);

    @Test
    void warmupCosinePinnedValues() {
        assertThat(mamp.at(0)).isEqualTo(0.0);
        assertThat(mamp.at(10)).isCloseTo(5e-4, within(1e-15));           // halfway through warm-up
        assertThat(mamp.at(20)).isCloseTo(1e-3, within(1e-15));           // warm-up done, cosine at its top
        assertThat(mamp.at(210)).isCloseTo(7.5e-4, within(1e-15));        // cos(π/2) = 0 → midpoint
        assertThat(mamp.at(400)).isCloseTo(5e-4, within(1e-15));          // end at min_lr
        // one step into epoch 0 with 100 iterations: e = 0.01 → 1e-3 · 0.01 / 20
        assertThat(mamp.at(0, 1, 100)).isCloseTo(5e-7, within(1e-18));
        // e = 115: cos(π·95/380) = cos(π/4)
        assertThat(mamp.at(115)).isCloseTo(5e-4 + 5e-4 * 0.5 * (1 + Math.sqrt(0.5)), within(1e-15));
    }

    @Property
    void warmupCosineStaysBetweenZeroAndPeak(@ForAll @DoubleRange(min = 0, max = 400) double e) {
        double lr = mamp.at(e);
        assertThat(lr).isBetween(0.0, 1e-3);
        if (e >= 20) {
            assertThat(lr).isGreaterThanOrEqualTo(5e-4 - 1e-18);
        }
    }

    @Property
    void cosineIsMonotoneAfterWarmup(@ForAll @DoubleRange(min = 20, max = 399) double e) {
        assertThat(mamp.at(e + 1)).isLessThanOrEqualTo(mamp.at(e));
    }

    @Test
    void linearProbeCosineGoesFromLrToZero() {
        Cosine c = new Cosine(0.1, 100);
        assertThat(c.at(0)).isCloseTo(0.1, within(1e-15));
        assertThat(c.at(50)).isCloseTo(0.05, within(1e-15));
        assertThat(c.at(100)).isCloseTo(0.0, within(1e-15));
        assertThat(c.at(25)).isCloseTo(0.05 * (1 + Math.sqrt(0.5)), within(1e-15));
        // identical to the warm-up cosine with no warm-up and min 0
        WarmupCosine same = new WarmupCosine(0.1, 0, 0, 100);
        for (double e = 0; e <= 100; e += 7.3) {
            assertThat(c.at(e)).isCloseTo(same.at(e), within(1e-15));
        }
    }

    @Test
    void stepDecayBoundaries() {
        StepDecay pcm3 = new StepDecay(0.02, 351);
        assertThat(pcm3.at(0)).isEqualTo(0.02);
        assertThat(pcm3.at(350)).isEqualTo(0.02);
        assertThat(pcm3.at(350.99)).isEqualTo(0.02);            // epoch-level: fraction ignored
        assertThat(pcm3.at(351)).isCloseTo(0.002, within(1e-15));
        assertThat(pcm3.at(450)).isCloseTo(0.002, within(1e-15));
        StepDecay two = new StepDecay(1.0, 10, 20);
        assertThat(two.at(9.5)).isEqualTo(1.0);
        assertThat(two.at(10)).isCloseTo(0.1, within(1e-15));
        assertThat(two.at(19)).isCloseTo(0.1, within(1e-15));
        assertThat(two.at(20)).isCloseTo(0.01, within(1e-15));
        StepDecay linear = new StepDecay(0.1, 20, 50, 80);       // PCM3's linear evaluation (§3.13)
        assertThat(linear.at(19.9)).isEqualTo(0.1);
        assertThat(linear.at(20)).isCloseTo(0.01, within(1e-15));
        assertThat(linear.at(49)).isCloseTo(0.01, within(1e-15));
        assertThat(linear.at(50)).isCloseTo(0.001, within(1e-16));
        assertThat(linear.at(80)).isCloseTo(1e-4, within(1e-17));
        assertThat(linear.at(99)).isCloseTo(1e-4, within(1e-17));
    }

    @Test
    void aRunShorterThanItsWarmupStaysOnTheRamp() {
        WarmupCosine shortRun = new WarmupCosine(1e-3, 5e-4, 20, 1);
        assertThat(shortRun.at(0)).isZero();
        assertThat(shortRun.at(0.5)).isCloseTo(1e-3 * 0.5 / 20, within(1e-18));
        assertThat(shortRun.at(0.99)).isLessThan(1e-3 / 20);
    }

    @Test
    void badArgumentsAreRejected() {
        assertThatThrownBy(() -> new WarmupCosine(1e-3, 5e-4, -1, 20)).hasMessageContaining("warmup");
        assertThatThrownBy(() -> new WarmupCosine(1e-3, 5e-4, 2, 0)).hasMessageContaining("epochs > 0");
        assertThatThrownBy(() -> new StepDecay(0.1, 20, 10)).hasMessageContaining("increasing");
        assertThatThrownBy(() -> mamp.at(0, 0, 0)).hasMessageContaining("itersPerEpoch");
    }

    @Test
    void linearWarmupRampsPerStepThenHandsOverToTheStepDecay() {
        // lr 0.04, x 0.1 from epoch 3 on, warm-up over 1.5 epochs of 4 steps = 6 steps
        LinearWarmup s = new LinearWarmup(new StepDecay(0.04, new int[] {3}, 0.1), 1.5);
        assertThat(s.at(0, 0, 4)).isCloseTo(0.04 / 6, within(1e-15));       // first step: 1/6 of the rate, not 0
        assertThat(s.at(0, 2, 4)).isCloseTo(0.04 * 3 / 6, within(1e-15));
        assertThat(s.at(1, 0, 4)).isCloseTo(0.04 * 5 / 6, within(1e-15));   // step 4 of the run
        assertThat(s.at(1, 1, 4)).isCloseTo(0.04, within(1e-15));           // step 5: the last warm-up step
        assertThat(s.at(1, 2, 4)).isCloseTo(0.04, within(1e-15));
        assertThat(s.at(2, 3, 4)).isCloseTo(0.04, within(1e-15));           // the decay is read at the step's start
        assertThat(s.at(3, 0, 4)).isCloseTo(0.004, within(1e-15));
        assertThat(s.at(0.75)).isCloseTo(0.02, within(1e-15));              // fractional epoch: e / warm-up
        // 0 epochs: the step decay unchanged, bit for bit
        LinearWarmup none = new LinearWarmup(new StepDecay(0.04, new int[] {3}, 0.1), 0);
        for (int e = 0; e < 5; e++) {
            assertThat(none.at(e, 1, 4)).isEqualTo(new StepDecay(0.04, new int[] {3}, 0.1).at(e, 1, 4));
        }
        assertThatThrownBy(() -> new LinearWarmup(none, -1)).hasMessageContaining("warm-up epochs");
        assertThatThrownBy(() -> new LinearWarmup(none, Double.NaN)).hasMessageContaining("warm-up epochs");
    }

    @Property
    void linearWarmupNeverExceedsItsScheduleAndGrowsDuringTheRamp(@ForAll @IntRange(min = 0, max = 40) int step,
                                                                    @ForAll @DoubleRange(min = 0.1, max = 5) double w) {
        int iters = 7;
        LinearWarmup s = new LinearWarmup(new StepDecay(0.1, new int[] {20}, 0.1), w);
        int epoch = step / iters;
        int it = step % iters;
        double lr = s.at(epoch, it, iters);
        assertThat(lr).isGreaterThan(0).isLessThanOrEqualTo(new StepDecay(0.1, new int[] {20}, 0.1).at(epoch));
        if (step + 1 < w * iters) {
            int next = step + 1;
            assertThat(s.at(next / iters, next % iters, iters)).isGreaterThan(lr);
        }
    }
}

