package io.skeletonssl.methods.pcm3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.skeletonssl.engine.Engines;
import io.skeletonssl.layout.Layouts;
import io.skeletonssl.layout.SkeletonLayout;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SkeletonMixTest {

    private static final SkeletonLayout NTU = Layouts.ntu25();
    private static final int T = 64;
    private static final int V = 25;
    private static final int M = 2;

    @Property(tries = 300)
    void drawsStayInTheOfficialRanges(@ForAll long seed, @ForAll @IntRange(min = 3, max = 130) int batch) {
        SkeletonMix.Config c = SkeletonMix.pcm3(NTU, T).draw(batch, new SplittableRandom(seed));
        assertThat(c.offset()).isBetween(1, batch - 2);
        for (int i = 0; i < batch; i++) {
            assertThat(c.partner(i)).isNotEqualTo(i).isBetween(0, batch - 1);
        }
        assertThat(c.units()).isBetween(7, 11);
        assertThat(c.startUnit()).isBetween(0, 16 - c.units());
        assertThat(c.startFrame() + c.blockFrames()).isLessThanOrEqualTo(T);
        int[] parts = c.parts();
        assertThat(parts.length).isBetween(2, 3);
        assertThat(parts).doesNotHaveDuplicates();
        assertThat(java.util.Arrays.stream(parts).allMatch(p -> p >= 0 && p < 5)).isTrue();
        TreeSet<Integer> union = new TreeSet<>();
        for (int p : parts) {
            for (int j : NTU.bodyParts().get(p).joints()) {
                union.add(j);
            }
        }
        assertThat(c.joints()).containsExactly(union.stream().mapToInt(Integer::intValue).toArray());
        if (c.kind() == SkeletonMix.Kind.MIXUP) {
            assertThat(c.lambda()).isGreaterThanOrEqualTo(0).isLessThan(1);
        } else {
            assertThat(c.lambda()).isEqualTo(c.units() * c.joints().length / (16.0 * 25));
        }
    }

    @Test
    void kindsFollowTheHalfQuarterQuarterSplit() {
        SkeletonMix mix = SkeletonMix.pcm3(NTU, T);
        SplittableRandom rng = new SplittableRandom(5);
        int[] counts = new int[3];
        int n = 4000;
        for (int i = 0; i < n; i++) {
            counts[mix.draw(16, rng).kind().ordinal()]++;
        }
        assertThat(counts[0] / (double) n).isCloseTo(0.5, within(0.04));
        assertThat(counts[1] / (double) n).isCloseTo(0.25, within(0.04));
        assertThat(counts[2] / (double) n).isCloseTo(0.25, within(0.04));
    }

    @Test
    void cutMixPastesExactlyThePartnersBlockAndLeavesTheRest() {
        SkeletonMix mix = SkeletonMix.pcm3(NTU, T);
        int n = 5;
        float[] batch = random(n, 1);
        SkeletonMix.Config c = new SkeletonMix.Config(SkeletonMix.Kind.CUTMIX, n, 2, new int[]{1, 3},
                new int[]{8, 9, 10, 11, 16, 17, 18, 19, 23, 24}, T, 3, 9, 9 * 10 / 400.0);
        float[] out = mix.apply(batch, M, c);
        int pasted = 0;
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < 3; ch++) {
                for (int t = 0; t < T; t++) {
                    for (int v = 0; v < V; v++) {
                        for (int m = 0; m < M; m++) {
                            boolean in = t >= 12 && t < 48 && contains(c.joints(), v);
                            float expected = in ? batch[idx((i + 2) % n, ch, t, v, m)] : batch[idx(i, ch, t, v, m)];
                            assertThat(out[idx(i, ch, t, v, m)]).isEqualTo(expected);
                            pasted += in ? 1 : 0;
                        }
                    }
                }
            }
        }
        assertThat(pasted).isEqualTo(n * 3 * 36 * 10 * M);
        assertEngineAgrees(mix, batch, c, out);
    }

    @Test
    void resizeMixUsesNearestSourceFramesOfThePartnersStart() {
        int n = 4;
        // Ct = 11: 44 block frames take the partner's first min(88, 64) = 64 frames, floor(i·64/44).
        SkeletonMix.Config c = new SkeletonMix.Config(SkeletonMix.Kind.RESIZEMIX, n, 1, new int[]{0, 4},
                new int[]{0, 1, 2, 3, 12, 13, 14, 15, 20}, T, 2, 11, 11 * 9 / 400.0);
        assertThat(c.resizeSourceFrames()).isEqualTo(64);
        int[] first = new int[7];
        for (int i = 0; i < 7; i++) {
            first[i] = c.resizeSource(i);
        }
        assertThat(first).containsExactly(0, 1, 2, 4, 5, 7, 8);
        assertThat(c.resizeSource(43)).isEqualTo(62);
        // Ct = 7: 28 block frames take the first 56, every second one.
        SkeletonMix.Config short7 = new SkeletonMix.Config(SkeletonMix.Kind.RESIZEMIX, n, 1, new int[]{0, 4},
                c.joints(), T, 0, 7, 7 * 9 / 400.0);
        assertThat(short7.resizeSourceFrames()).isEqualTo(56);
        assertThat(short7.resizeSource(27)).isEqualTo(54);

        SkeletonMix mix = SkeletonMix.pcm3(NTU, T);
        float[] batch = random(n, 2);
        float[] out = mix.apply(batch, M, c);
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < T; t++) {
                for (int v = 0; v < V; v++) {
                    boolean in = t >= 8 && t < 52 && contains(c.joints(), v);
                    int srcSample = in ? (i + 1) % n : i;
                    int srcFrame = in ? c.resizeSource(t - 8) : t;
                    for (int m = 0; m < M; m++) {
                        assertThat(out[idx(i, 1, t, v, m)]).isEqualTo(batch[idx(srcSample, 1, srcFrame, v, m)]);
                    }
                }
            }
        }
        assertEngineAgrees(mix, batch, c, out);
    }

    @Test
    void mixupIsTheConvexCombinationWithThePartner() {
        SkeletonMix mix = SkeletonMix.pcm3(NTU, T);
        int n = 3;
        float[] batch = random(n, 3);
        SkeletonMix.Config c = new SkeletonMix.Config(SkeletonMix.Kind.MIXUP, n, 1, new int[]{0, 1},
                new int[]{0}, T, 0, 7, 0.3);
        float[] out = mix.apply(batch, M, c);
        int clip = 3 * T * V * M;
        for (int i = 0; i < n; i++) {
            for (int e = 0; e < clip; e++) {
                double expected = 0.7 * batch[i * clip + e] + 0.3 * batch[((i + 1) % n) * clip + e];
                assertThat((double) out[i * clip + e]).isCloseTo(expected, within(1e-6));
            }
        }
        assertEngineAgrees(mix, batch, c, out);
    }

    @Test
    void mixedKeyIsTheNormalisedLambdaBlendWithoutGradient() {
        SkeletonMix.Config c = new SkeletonMix.Config(SkeletonMix.Kind.CUTMIX, 3, 1, new int[]{0, 1},
                new int[]{0}, T, 0, 7, 0.25);
        float[] k = {3, 0, 0, 4, 1, 1};
        try (NDManager m = Engines.cpu().newManager()) {
            NDArray keys = m.create(k, new Shape(3, 2));
            keys.setRequiresGradient(true);
            float[] got = SkeletonMix.mixedKey(keys, c).toFloatArray();
            for (int i = 0; i < 3; i++) {
                int p = (i + 1) % 3;
                double x = 0.75 * k[2 * i] + 0.25 * k[2 * p];
                double y = 0.75 * k[2 * i + 1] + 0.25 * k[2 * p + 1];
                double norm = Math.hypot(x, y);
                assertThat((double) got[2 * i]).isCloseTo(x / norm, within(1e-6));
                assertThat((double) got[2 * i + 1]).isCloseTo(y / norm, within(1e-6));
            }
            assertThat(SkeletonMix.mixedKey(keys, c).hasGradient()).isFalse();
        }
    }

    @Test
    void otherLengthsScaleTheUnits() {
        SkeletonMix mix = SkeletonMix.pcm3(NTU, 32);
        assertThat(mix.minUnits()).isEqualTo(4);
        assertThat(mix.maxUnits()).isEqualTo(6);
        SplittableRandom rng = new SplittableRandom(9);
        for (int i = 0; i < 200; i++) {
            SkeletonMix.Config c = mix.draw(8, rng);
            assertThat(c.startUnit() + c.units()).isLessThanOrEqualTo(8);
            if (c.kind() != SkeletonMix.Kind.MIXUP) {
                assertThat(c.lambda()).isEqualTo(c.units() * c.joints().length / (8.0 * 25));
            }
        }
    }

    @Test
    void badInputIsRefusedClearly() {
        assertThatThrownBy(() -> SkeletonMix.pcm3(NTU, 62))
                .hasMessageContaining("multiple of 4").hasMessageContaining("62");
        SkeletonLayout bare = new SkeletonLayout("bare", List.of("a", "b", "c"), null, null, 0, null);
        assertThatThrownBy(() -> SkeletonMix.pcm3(bare, T)).hasMessageContaining("needs body parts");
        assertThatThrownBy(() -> SkeletonMix.pcm3(NTU, T).draw(2, new SplittableRandom(1)))
                .hasMessageContaining("at least 3 clips");
        SkeletonMix.Config c = SkeletonMix.pcm3(NTU, T).draw(4, new SplittableRandom(1));
        assertThatThrownBy(() -> SkeletonMix.pcm3(NTU, T).apply(new float[10], M, c))
                .hasMessageContaining("expected N·3·T·V·M");
    }

    private static void assertEngineAgrees(SkeletonMix mix, float[] batch, SkeletonMix.Config c, float[] host) {
        try (NDManager m = Engines.cpu().newManager()) {
            NDArray x = m.create(batch, new Shape(c.batch(), 3, T, V, M));
            float[] engine = mix.apply(x, c).toFloatArray();
            assertThat(engine).containsExactly(host, within(1e-6f));
        }
    }

    private static boolean contains(int[] a, int x) {
        for (int y : a) {
            if (y == x) {
                return true;
            }
        }
        return false;
    }

    private static int idx(int i, int c, int t, int v, int m) {
        return (((i * 3 + c) * T + t) * V + v) * M + m;
    }

    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = new float[n * 3 * T * V * M];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return d;
    }
}
