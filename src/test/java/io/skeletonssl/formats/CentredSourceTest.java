package io.skeletonssl.formats;

import io.skeletonssl.dataset.Sample;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CentredSourceTest {

    static final int T = 4;
    static final int V = 3;
    static final int M = 2;

    static float[] clip(long seed) {
        Random r = new Random(seed);
        float[] d = new float[3 * T * V * M];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (r.nextGaussian() + 3);
        }
        return d;
    }

    static float at(float[] d, int c, int t, int v, int m) {
        return d[Sample.index(c, t, v, m, T, V, M)];
    }

    @Test
    void theCentreJointOfPersonOneInTheFirstPresentFrameBecomesTheOrigin() {
        float[] d = clip(1);
        for (int c = 0; c < 3; c++) { // frame 0 has no centre joint: frame 1 is the reference
            d[Sample.index(c, 0, 1, 0, T, V, M)] = 0f;
        }
        float[] out = CentredSource.centred(d, T, V, M, 1);
        for (int c = 0; c < 3; c++) {
            assertThat(at(out, c, 1, 1, 0)).isZero();
            float origin = at(d, c, 1, 1, 0);
            for (int t = 0; t < T; t++) {
                assertThat(at(out, c, t, 2, 1)).isCloseTo(at(d, c, t, 2, 1) - origin, within(1e-6f));
            }
            assertThat(at(out, c, 0, 1, 0)).as("an absent joint stays absent").isZero();
        }
        float[] again = clip(1);
        assertThat(d[5]).as("input untouched").isEqualTo(again[5]);
    }

    @Test
    void aSequenceWithoutTheCentreJointIsUnchanged() {
        float[] d = clip(2);
        for (int t = 0; t < T; t++) {
            for (int c = 0; c < 3; c++) {
                d[Sample.index(c, t, 0, 0, T, V, M)] = 0f;
            }
        }
        assertThat(CentredSource.centred(d, T, V, M, 0)).containsExactly(d);
    }

    @Property(tries = 50)
    void centringPreservesEveryDifferenceBetweenPresentJoints(@ForAll @IntRange(min = 0, max = 1000) int seed,
                                                              @ForAll @FloatRange(min = -5, max = 5) float shift) {
        float[] d = clip(seed);
        float[] out = CentredSource.centred(d, T, V, M, 0);
        for (int c = 0; c < 3; c++) {
            float before = at(d, c, 2, 1, 1) - at(d, c, 3, 2, 0);
            float after = at(out, c, 2, 1, 1) - at(out, c, 3, 2, 0);
            assertThat(after).isCloseTo(before, within(1e-4f));
        }
        // translating the input does not change the output
        float[] moved = d.clone();
        for (int i = 0; i < moved.length; i++) {
            moved[i] += shift;
        }
        float[] outMoved = CentredSource.centred(moved, T, V, M, 0);
        for (int i = 0; i < out.length; i++) {
            assertThat(outMoved[i]).isCloseTo(out[i], within(1e-3f));
        }
    }
}
