package io.skeletonssl.transforms;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class JointCorruptionTest {

    @Test
    void fifteenOfTwentyFiveJointsAndProportionallyElsewhere() {
        JointCorruption jc = JointCorruption.pcm3();
        assertThat(jc.count(25)).isEqualTo(15);
        assertThat(jc.count(20)).isEqualTo(12);
        assertThat(jc.zeroProbability()).isEqualTo(0.5);
        assertThat(JointCorruption.ofCount(15, 0.5).count(25)).isEqualTo(15);
        assertThatThrownBy(() -> JointCorruption.ofCount(15, 0.5).count(10))
                .hasMessageContaining("cannot corrupt 15 distinct joints of a 10-joint skeleton");
    }

    @Test
    void zeroBranchZeroesExactlyTheChosenJointsEverywhere() {
        Clip clip = Clips.random(16, 16, 25, 2, 21);
        JointCorruption.Draw draw = JointCorruption.pcm3().draw(25, new ScriptedRandom()
                .withDoubles(0.49).withInts(3, 0, 20, 5, 7, 9, 1, 17, 8, 0, 13, 11, 0, 4, 2));
        assertThat(draw.zeroed()).isTrue();
        Set<Integer> chosen = new HashSet<>();
        for (int j : draw.joints()) {
            chosen.add(j);
        }
        assertThat(chosen).hasSize(15);
        Clip out = JointCorruption.apply(clip, draw);
        for (int c = 0; c < 3; c++) {
            for (int t = 0; t < 16; t++) {
                for (int v = 0; v < 25; v++) {
                    for (int m = 0; m < 2; m++) {
                        if (chosen.contains(v)) {
                            assertThat(out.get(c, t, v, m)).isEqualTo(0f);
                        } else {
                            assertThat(Float.floatToIntBits(out.get(c, t, v, m)))
                                    .isEqualTo(Float.floatToIntBits(clip.get(c, t, v, m)));
                        }
                    }
                }
            }
        }
    }

    @Test
    void mapBranchMultipliesRowVectorsByA() {
        // p = (1, 2, 3), A = [[1,2,3],[4,5,6],[7,8,9]]: p·A = (1+8+21, 2+10+24, 3+12+27) = (30, 36, 42)
        float[] d = new float[3 * 2];
        Clip clip = Clip.of(d, 1, 2, 1);
        d[clip.index(0, 0, 1, 0)] = 1;
        d[clip.index(1, 0, 1, 0)] = 2;
        d[clip.index(2, 0, 1, 0)] = 3;
        d[clip.index(0, 0, 0, 0)] = 5;
        Clip out = JointCorruption.mapRows(clip, new int[]{1}, new double[][]{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}});
        assertThat(out.get(0, 0, 1, 0)).isEqualTo(30f);
        assertThat(out.get(1, 0, 1, 0)).isEqualTo(36f);
        assertThat(out.get(2, 0, 1, 0)).isEqualTo(42f);
        assertThat(out.get(0, 0, 0, 0)).isEqualTo(5f);
        // the draw: u ≥ 0.5 → matrix from nine uniforms in (−1, 1), row by row
        ScriptedRandom r = new ScriptedRandom().withDoubles(0.5, 0, 0.25, 0.5, 0.75, 1 - 0x1p-53, 0.5, 0.5, 0.5, 0.625)
                .withInts(0, 0);
        JointCorruption.Draw draw = JointCorruption.ofCount(2, 0.5).draw(2, r);
        assertThat(draw.zeroed()).isFalse();
        assertThat(draw.joints()).containsExactly(0, 1);
        assertThat(draw.matrix()[0]).containsExactly(-1, -0.5, 0);
        assertThat(draw.matrix()[1][0]).isEqualTo(0.5);
        assertThat(draw.matrix()[1][1]).isCloseTo(1, within(1e-15));
        assertThat(draw.matrix()[2][2]).isEqualTo(0.25);
    }

    @Test
    void chosenJointsAreDistinctAndUniform() {
        SplittableRandom r = new SplittableRandom(5);
        int[] hits = new int[25];
        int zeroed = 0;
        int n = 4000;
        for (int i = 0; i < n; i++) {
            JointCorruption.Draw d = JointCorruption.pcm3().draw(25, r);
            assertThat(Arrays.stream(d.joints()).distinct().count()).isEqualTo(15);
            for (int j : d.joints()) {
                hits[j]++;
            }
            zeroed += d.zeroed() ? 1 : 0;
        }
        for (int h : hits) {
            // each joint is chosen with probability 15/25 = 0.6; 4000 draws: sd ≈ 31
            assertThat(h).isBetween(2400 - 160, 2400 + 160);
        }
        assertThat(zeroed).isBetween(2000 - 160, 2000 + 160);
    }

    @Test
    void mapBranchTouchesNothingButTheChosenJoints() {
        Clip clip = Clips.random(8, 8, 25, 2, 2);
        JointCorruption.Draw draw = JointCorruption.pcm3().draw(25, new ScriptedRandom()
                .withDoubles(0.9, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
                .withInts(3, 0, 20, 5, 7, 9, 1, 17, 8, 0, 13, 11, 0, 4, 2));
        Clip out = JointCorruption.apply(clip, draw);
        Set<Integer> chosen = new HashSet<>();
        for (int j : draw.joints()) {
            chosen.add(j);
        }
        double[][] a = draw.matrix();
        for (int t = 0; t < 8; t++) {
            for (int v = 0; v < 25; v++) {
                for (int m = 0; m < 2; m++) {
                    double x = clip.get(0, t, v, m), y = clip.get(1, t, v, m), z = clip.get(2, t, v, m);
                    for (int c = 0; c < 3; c++) {
                        float expected = chosen.contains(v)
                                ? (float) (x * a[0][c] + y * a[1][c] + z * a[2][c])
                                : clip.get(c, t, v, m);
                        assertThat(out.get(c, t, v, m)).isEqualTo(expected);
                    }
                }
            }
        }
    }
}
