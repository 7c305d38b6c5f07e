package io.skeletonssl.synth;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DetMathTest {

    @Property
    void sinAndCosMatchTheLibrary(@ForAll @DoubleRange(min = -50, max = 50) double x) {
        assertThat(DetMath.sin(x)).isCloseTo(StrictMath.sin(x), within(1e-14));
        assertThat(DetMath.cos(x)).isCloseTo(StrictMath.cos(x), within(1e-14));
    }

    @Property
    void logMatchesTheLibrary(@ForAll @DoubleRange(min = 1, max = 10) double mantissa,
                              @ForAll @DoubleRange(min = -300, max = 300) double exponent) {
        double x = mantissa * Math.pow(10, Math.rint(exponent));
        double expected = StrictMath.log(x);
        assertThat(DetMath.log(x)).isCloseTo(expected, within(1e-13 * Math.max(1, Math.abs(expected))));
    }

    @Test
    void logOfSmallUniforms() {
        for (double x : new double[]{1e-10, 0.001, 0.5, 0.999999, 1, 1.5, Math.sqrt(2), 2}) {
            assertThat(DetMath.log(x)).isCloseTo(Math.log(x), within(1e-15 * Math.max(1, Math.abs(Math.log(x)))));
        }
    }

    @Test
    void smoothstepAndBump() {
        assertThat(DetMath.smoothstep(0, 1, -1)).isEqualTo(0);
        assertThat(DetMath.smoothstep(0, 1, 0.5)).isEqualTo(0.5);
        assertThat(DetMath.smoothstep(0, 1, 0.25)).isCloseTo(0.15625, within(1e-15));
        assertThat(DetMath.smoothstep(0, 1, 2)).isEqualTo(1);
        assertThat(DetMath.bump(0.5, 0, 0.2, 0.8, 1)).isEqualTo(1);
        assertThat(DetMath.bump(0.1, 0, 0.2, 0.8, 1)).isEqualTo(0.5);
        assertThat(DetMath.bump(1, 0, 0.2, 0.8, 1)).isEqualTo(0);
    }

    @Test
    void inverseNormalKnownQuantiles() {
        assertThat(Rng.inverseNormal(0.5)).isCloseTo(0, within(1e-12));
        assertThat(Rng.inverseNormal(0.975)).isCloseTo(1.959963985, within(1e-8));
        assertThat(Rng.inverseNormal(0.001)).isCloseTo(-3.090232306, within(1e-8));
        assertThat(Rng.inverseNormal(0.8413447461)).isCloseTo(1.0, within(1e-8));
    }

    @Test
    void gaussianAndJitterHaveUnitVariance() {
        Rng r = Rng.of(3, 1);
        int n = 200_000;
        double s1 = 0;
        double s2 = 0;
        double j1 = 0;
        double j2 = 0;
        double maxJitter = 0;
        for (int i = 0; i < n; i++) {
            double g = r.gaussian();
            s1 += g;
            s2 += g * g;
            double j = r.jitter();
            j1 += j;
            j2 += j * j;
            maxJitter = Math.max(maxJitter, Math.abs(j));
        }
        assertThat(s1 / n).isCloseTo(0, within(0.01));
        assertThat(s2 / n).isCloseTo(1, within(0.015));
        assertThat(j1 / n).isCloseTo(0, within(0.01));
        assertThat(j2 / n).isCloseTo(1, within(0.015));
        assertThat(maxJitter).isLessThan(3.7);
    }

    @Test
    void streamsDependOnlyOnTheirKeys() {
        Rng a = Rng.of(42, 7, 9);
        Rng b = Rng.of(42, 7, 9);
        Rng c = Rng.of(42, 9, 7);
        double x = a.uniform();
        assertThat(b.uniform()).isEqualTo(x);
        assertThat(c.uniform()).isNotEqualTo(x);
    }
}
