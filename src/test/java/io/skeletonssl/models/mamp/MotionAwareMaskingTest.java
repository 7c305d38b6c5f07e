package io.skeletonssl.models.mamp;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MotionAwareMaskingTest {

    static final int T = 16;
    static final int V = 5;
    static final int U = 4;
    static final int L = (T / U) * V;

    /** Sequence b: joint 0 moves fast (by `speed` per frame along x), the other joints are static. */
    static float[] oneMovingJoint(int sequences, float speed) {
        float[] p = new float[sequences * T * V * 3];
        for (int b = 0; b < sequences; b++) {
            for (int t = 0; t < T; t++) {
                for (int v = 0; v < V; v++) {
                    int i = ((b * T + t) * V + v) * 3;
                    p[i] = v == 0 ? speed * t : v;
                    p[i + 1] = 0.5f * v;
                }
            }
        }
        return p;
    }

    @Property(tries = 50)
    void planIsAConsistentPermutationWithExactlyKVisible(@ForAll @IntRange(min = 0, max = L) int visible,
            @ForAll long seed, @ForAll boolean uniform) {
        MaskPlan plan = MotionAwareMasking.plan(oneMovingJoint(3, 1f), 3, T, V, U, visible, 0.8, uniform,
                new Random(seed));
        for (int b = 0; b < 3; b++) {
            int masked = 0;
            boolean[] seen = new boolean[L];
            for (int r = 0; r < L; r++) {
                int token = (int) plan.order()[b * L + r];
                assertThat(seen[token]).isFalse();
                seen[token] = true;
                assertThat(plan.restore()[b * L + token]).isEqualTo(r);
                assertThat(plan.masked(b, token)).isEqualTo(r >= visible);
            }
            for (int i = 0; i < L; i++) {
                masked += plan.masked(b, i) ? 1 : 0;
            }
            assertThat(masked).isEqualTo(L - visible);
        }
    }

    @Test
    void tokenMotionIsMeanAbsoluteSegmentChangeWithFirstCopiedFromSecond() {
        float[] p = oneMovingJoint(1, 2f);
        double[] m = MotionAwareMasking.tokenMotion(p, 0, T, V, U);
        // joint 0: x advances 2 per frame, so 4 frames apart → |Δx| = 8 on 4 of the 12 values → 8·4/12.
        for (int t = 0; t < T / U; t++) {
            assertThat(m[t * V]).isCloseTo(8.0 * 4 / 12, within(1e-9));
            for (int v = 1; v < V; v++) {
                assertThat(m[t * V + v]).isZero();
            }
        }
        double[] pi = MotionAwareMasking.probabilities(m, 0.8);
        // s = 1/τ for the moving joint, 0 for the others: ratio e^{1.25}.
        assertThat(pi[0] / pi[1]).isCloseTo(Math.exp(1 / 0.8), within(1e-9));
    }

    @Test
    void highMotionTokensAreMaskedMoreOften() {
        int draws = 4000;
        int visible = 8;
        float[] p = oneMovingJoint(1, 1f);
        Random rng = new Random(123);
        int[] maskedCount = new int[L];
        for (int d = 0; d < draws; d++) {
            MaskPlan plan = MotionAwareMasking.plan(p, 1, T, V, U, visible, 0.5, false, rng);
            for (int i = 0; i < L; i++) {
                maskedCount[i] += plan.masked(0, i) ? 1 : 0;
            }
        }
        double moving = 0;
        double still = 0;
        for (int i = 0; i < L; i++) {
            if (i % V == 0) {
                moving += maskedCount[i] / (double) draws / (T / U);
            } else {
                still += maskedCount[i] / (double) draws / (L - T / U);
            }
        }
        // With τ = 0.5 the moving tokens are e² ≈ 7.4 times as likely; masked 12 of 20.
        assertThat(moving).isGreaterThan(0.95);
        assertThat(still).isLessThan(0.55);
        assertThat(moving * (T / U) + still * (L - T / U)).isCloseTo(L - visible, within(1e-9));
    }

    @Test
    void nonPositiveTauAndStaticPersonsGiveUniformMasking() {
        float[] moving = oneMovingJoint(1, 3f);
        float[] zeros = new float[T * V * 3];
        assertUniform(moving, 0.0, false, 1);
        assertUniform(moving, -1.0, false, 2);
        assertUniform(moving, 0.8, true, 3);
        assertUniform(zeros, 0.8, false, 4);
    }

    private static void assertUniform(float[] p, double tau, boolean uniform, long seed) {
        int draws = 4000;
        int visible = 6;
        Random rng = new Random(seed);
        int[] maskedCount = new int[L];
        for (int d = 0; d < draws; d++) {
            MaskPlan plan = MotionAwareMasking.plan(p, 1, T, V, U, visible, tau, uniform, rng);
            for (int i = 0; i < L; i++) {
                maskedCount[i] += plan.masked(0, i) ? 1 : 0;
            }
        }
        double expected = 1 - visible / (double) L; // 0.7; binomial sd ≈ 0.0072
        for (int i = 0; i < L; i++) {
            assertThat(maskedCount[i] / (double) draws).as("token %d (tau %s)", i, tau)
                    .isCloseTo(expected, within(0.035));
        }
    }

    @Test
    void sameSeedSamePlan() {
        float[] p = oneMovingJoint(2, 1f);
        MaskPlan a = MotionAwareMasking.plan(p, 2, T, V, U, 7, 0.75, false, new Random(9));
        MaskPlan b = MotionAwareMasking.plan(p, 2, T, V, U, 7, 0.75, false, new Random(9));
        MaskPlan c = MotionAwareMasking.plan(p, 2, T, V, U, 7, 0.75, false, new Random(10));
        assertThat(a.order()).containsExactly(b.order());
        assertThat(a.order()).isNotEqualTo(c.order());
    }

    @Test
    void sequencesAreMaskedIndependently() {
        MaskPlan plan = MotionAwareMasking.plan(oneMovingJoint(2, 1f), 2, T, V, U, 7, 0.8, false, new Random(1));
        long[] first = java.util.Arrays.copyOfRange(plan.order(), 0, L);
        long[] second = java.util.Arrays.copyOfRange(plan.order(), L, 2 * L);
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void wrongInputSizeIsReported() {
        assertThatThrownBy(() -> MotionAwareMasking.plan(new float[10], 1, T, V, U, 3, 0.8, false, new Random()))
                .hasMessageContaining("expected B·T·V·3");
    }

    @Test
    void paperConfigKeeps74Of750Tokens() {
        MampConfig cfg = MampConfig.ntu60();
        Random r = new Random(2);
        float[] p = new float[120 * 25 * 3];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) r.nextGaussian();
        }
        MaskPlan plan = MotionAwareMasking.plan(p, 1, 120, 25, 4, cfg.visibleTokens(), cfg.tau(), false, r);
        int masked = 0;
        for (float x : plan.mask()) {
            masked += (int) x;
        }
        assertThat(plan.visible()).isEqualTo(74);
        assertThat(masked).isEqualTo(676);
    }
}
