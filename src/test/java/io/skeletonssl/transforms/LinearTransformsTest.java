package io.skeletonssl.transforms;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LinearTransformsTest {

    private static Clip point(float x, float y, float z) {
        return Clip.of(new float[]{x, y, z}, 1, 1, 1);
    }

    private static void assertPoint(Clip c, double x, double y, double z) {
        assertThat((double) c.data()[0]).isCloseTo(x, within(1e-6));
        assertThat((double) c.data()[1]).isCloseTo(y, within(1e-6));
        assertThat((double) c.data()[2]).isCloseTo(z, within(1e-6));
    }

    @Test
    void rotationMatricesHaveTheOfficialRows() {
        double a = 0.1, b = 0.2, g = 0.3;
        assertThat(RandomRotation.rx(a)).isDeepEqualTo(new double[][]{
                {1, 0, 0}, {0, Math.cos(a), Math.sin(a)}, {0, -Math.sin(a), Math.cos(a)}});
        assertThat(RandomRotation.ry(b)).isDeepEqualTo(new double[][]{
                {Math.cos(b), 0, -Math.sin(b)}, {0, 1, 0}, {Math.sin(b), 0, Math.cos(b)}});
        assertThat(RandomRotation.rz(g)).isDeepEqualTo(new double[][]{
                {Math.cos(g), Math.sin(g), 0}, {-Math.sin(g), Math.cos(g), 0}, {0, 0, 1}});
        // R = Rz·Ry·Rx written out
        double ca = Math.cos(a), sa = Math.sin(a), cb = Math.cos(b), sb = Math.sin(b), cg = Math.cos(g), sg = Math.sin(g);
        double[][] expected = {
                {cg * cb, cg * sb * sa + sg * ca, -cg * sb * ca + sg * sa},
                {-sg * cb, -sg * sb * sa + cg * ca, sg * sb * ca + cg * sa},
                {sb, -cb * sa, cb * ca}};
        double[][] r = RandomRotation.matrix(a, b, g);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertThat(r[i][j]).as("R[%d][%d]", i, j).isCloseTo(expected[i][j], within(1e-15));
            }
        }
        // numbers: R[2] = (sin 0.2, −cos 0.2·sin 0.1, cos 0.2·cos 0.1)
        assertThat(r[2][0]).isCloseTo(0.19866933079506122, within(1e-15));
        assertThat(r[2][1]).isCloseTo(-0.09784339500725571, within(1e-15));
        assertThat(r[2][2]).isCloseTo(0.9751703272018158, within(1e-15));
    }

    @Test
    void rotationOfAKnownPoint() {
        double h = Math.PI / 2;
        // Rx(π/2)(1,2,3) = (1, 3, −2); then Ry(π/2) → (2, 3, 1); then Rz(π/2) → (3, −2, 1)
        assertPoint(LinearMap.apply(point(1, 2, 3), RandomRotation.rx(h)), 1, 3, -2);
        assertPoint(LinearMap.apply(point(1, 3, -2), RandomRotation.ry(h)), 2, 3, 1);
        assertPoint(LinearMap.apply(point(1, 2, 3), RandomRotation.matrix(h, h, h)), 3, -2, 1);
    }

    @Test
    void rotationDrawsThreeAnglesInRangeAndKeepsZerosZero() {
        RandomRotation rot = RandomRotation.mamp();
        double[] a = rot.drawAngles(new ScriptedRandom().withDoubles(0.0, 0.5, 0.75));
        assertThat(a[0]).isEqualTo(-0.3);
        assertThat(a[1]).isCloseTo(0.0, within(1e-16));
        assertThat(a[2]).isCloseTo(0.15, within(1e-15));
        Clip clip = Clips.random(30, 20, 25, 2, 4);
        Clip out = rot.apply(clip, new SplittableRandom(3));
        for (int c = 0; c < 3; c++) {
            for (int t = 20; t < 30; t++) {
                for (int v = 0; v < 25; v++) {
                    assertThat(out.get(c, t, v, 0)).isEqualTo(0f);
                    assertThat(out.get(c, t, v, 1)).isEqualTo(0f);
                }
            }
        }
        assertThat(ValidFrames.count(out)).isEqualTo(20);
        assertThat(out.data()).isNotEqualTo(clip.data());
    }

    @Property(tries = 200)
    void rotationPreservesNorms(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Clip clip = Clips.random(4, 4, 3, 2, seed);
        Clip out = RandomRotation.mamp().apply(clip, r);
        for (int t = 0; t < 4; t++) {
            for (int v = 0; v < 3; v++) {
                for (int m = 0; m < 2; m++) {
                    double n0 = Math.sqrt(sq(clip.get(0, t, v, m)) + sq(clip.get(1, t, v, m)) + sq(clip.get(2, t, v, m)));
                    double n1 = Math.sqrt(sq(out.get(0, t, v, m)) + sq(out.get(1, t, v, m)) + sq(out.get(2, t, v, m)));
                    assertThat(n1).isCloseTo(n0, within(1e-6));
                }
            }
        }
    }

    private static double sq(float f) {
        return (double) f * f;
    }

    @Test
    void shearMatrixAndApplication() {
        double[][] s = Shear.matrix(0.1, 0.2, 0.3, 0.4, 0.5, 0.6);
        assertThat(s).isDeepEqualTo(new double[][]{{1, 0.1, 0.2}, {0.3, 1, 0.4}, {0.5, 0.6, 1}});
        // S·(1,2,3) = (1 + 0.2 + 0.6, 0.3 + 2 + 1.2, 0.5 + 1.2 + 3)
        assertPoint(LinearMap.apply(point(1, 2, 3), s), 1.8, 3.5, 4.7);
        // draws: −A + 2A·u for a, b, c, d, e, f in that order
        double[][] d = Shear.pcm3().drawMatrix(new ScriptedRandom().withDoubles(0, 0.25, 0.5, 0.75, 0.125, 0.875));
        assertThat(d).isDeepEqualTo(new double[][]{{1, -1, -0.5}, {0, 1, 0.5}, {-0.75, 0.75, 1}});
        assertThat(new Shear(0.5).drawMatrix(new ScriptedRandom().withDoubles(0, 0, 0, 0, 0, 0.5))[2][1]).isEqualTo(0.0);
    }

    @Test
    void shearActsOnEveryFrameAndPersonWithOneMatrix() {
        Clip clip = Clips.random(12, 12, 25, 2, 9);
        double[][] s = Shear.pcm3().drawMatrix(new SplittableRandom(11));
        Clip out = Shear.pcm3().apply(clip, new SplittableRandom(11));
        for (int t = 0; t < 12; t++) {
            for (int v = 0; v < 25; v += 6) {
                for (int m = 0; m < 2; m++) {
                    double x = clip.get(0, t, v, m), y = clip.get(1, t, v, m), z = clip.get(2, t, v, m);
                    for (int c = 0; c < 3; c++) {
                        assertThat(out.get(c, t, v, m)).isEqualTo((float) (s[c][0] * x + s[c][1] * y + s[c][2] * z));
                    }
                }
            }
        }
    }
}
