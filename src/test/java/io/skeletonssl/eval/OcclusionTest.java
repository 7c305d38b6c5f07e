package io.skeletonssl.eval;

import io.skeletonssl.dataset.Sample;
import io.skeletonssl.layout.Layouts;
import io.skeletonssl.layout.SkeletonLayout;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OcclusionTest {

    static final SkeletonLayout NTU = Layouts.ntu25();
    static final int T = 20;
    static final int V = 25;
    static final int M = 2;

    static float[] ones() {
        float[] d = new float[3 * T * V * M];
        Arrays.fill(d, 1f);
        return d;
    }

    @Property(tries = 200)
    void spatialHidesRoundOfFiveTimesSeverityPartsInEveryFrame(@ForAll @IntRange(min = 0, max = 100_000) int seed) {
        Occlusion.Mask m = Occlusion.draw(Occlusion.Kind.SPATIAL, NTU, T, new SplittableRandom(seed));
        assertThat(m.severity()).isBetween(0.3, 0.7);
        // r in [0.3, 0.7]: round(5r) is 2, 3 or 4 parts
        assertThat(m.parts()).hasSize((int) Math.round(5 * m.severity())).doesNotHaveDuplicates().isSorted();
        Set<Integer> hidden = new HashSet<>();
        for (int p : m.parts()) {
            for (int j : NTU.bodyParts().get(p).joints()) {
                hidden.add(j);
            }
        }
        float[] out = Occlusion.apply(ones(), T, V, M, m, NTU);
        for (int c = 0; c < 3; c++) {
            for (int t = 0; t < T; t++) {
                for (int v = 0; v < V; v++) {
                    for (int p = 0; p < M; p++) {
                        float x = out[Sample.index(c, t, v, p, T, V, M)];
                        assertThat(x).isEqualTo(hidden.contains(v) ? 0f : 1f);
                    }
                }
            }
        }
    }

    @Property(tries = 200)
    void temporalHidesOneBlockOfRoundOfSeverityTimesT(@ForAll @IntRange(min = 0, max = 100_000) int seed) {
        Occlusion.Mask m = Occlusion.draw(Occlusion.Kind.TEMPORAL, NTU, T, new SplittableRandom(seed));
        assertThat(m.length()).isEqualTo((int) Math.round(m.severity() * T)).isBetween(6, 14);
        assertThat(m.start()).isBetween(0, T - m.length());
        float[] out = Occlusion.apply(ones(), T, V, M, m, NTU);
        for (int t = 0; t < T; t++) {
            boolean inBlock = t >= m.start() && t < m.start() + m.length();
            assertThat(out[Sample.index(2, t, 7, 1, T, V, M)]).isEqualTo(inBlock ? 0f : 1f);
        }
    }

    @Test
    void testMasksAreFixedBySeedAndIndex() {
        Occlusion.Mask a = Occlusion.forSample(Occlusion.Kind.SPATIAL, NTU, T, 5, 17);
        Occlusion.Mask b = Occlusion.forSample(Occlusion.Kind.SPATIAL, NTU, T, 5, 17);
        assertThat(a.parts()).isEqualTo(b.parts());
        assertThat(a.severity()).isEqualTo(b.severity());
        Set<String> distinct = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            distinct.add(Arrays.toString(Occlusion.forSample(Occlusion.Kind.SPATIAL, NTU, T, 5, i).parts()));
        }
        assertThat(distinct.size()).as("samples get different masks").isGreaterThan(5);
    }

    @Test
    void layoutsWithoutPartsAndMismatchedClipsAreClearErrors() {
        var bare = new SkeletonLayout("bare", java.util.List.of("a", "b"), null, null, 0, null);
        assertThatThrownBy(() -> Occlusion.draw(Occlusion.Kind.SPATIAL, bare, T, new SplittableRandom(1)))
                .hasMessageContaining("no body parts");
        Occlusion.Mask m = Occlusion.draw(Occlusion.Kind.SPATIAL, NTU, T, new SplittableRandom(1));
        assertThatThrownBy(() -> Occlusion.apply(new float[10], T, V, M, m, NTU)).hasMessageContaining("expected 3·");
    }
}
