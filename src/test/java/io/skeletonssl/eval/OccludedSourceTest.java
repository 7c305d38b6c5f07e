package io.skeletonssl.eval;

import io.skeletonssl.dataset.Sample;
import io.skeletonssl.layout.Layouts;
import io.skeletonssl.layout.SkeletonLayout;
import io.skeletonssl.loader.ClipSource;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OccludedSourceTest {

    static final SkeletonLayout NTU = Layouts.ntu25();
    static final int T = 30;
    static final int V = 25;
    static final int M = 2;

    /** Clip i: value 1 + i + position/1000 everywhere (never 0), {@code valid[i]} valid frames, label i mod 3. */
    static ClipSource clips(int[] valid) {
        return new ClipSource() {
            public int size() {
                return valid.length;
            }

            public int frames() {
                return T;
            }

            public int joints() {
                return V;
            }

            public int persons() {
                return M;
            }

            public void read(int i, float[] dst, int off) {
                for (int k = 0; k < sampleSize(); k++) {
                    dst[off + k] = 1 + i + k / 1000f;
                }
            }

            public int validFrames(int i) {
                return valid[i];
            }

            public int label(int i) {
                return i % 3;
            }
        };
    }

    static float[] read(ClipSource s, int i) {
        float[] out = new float[s.sampleSize() + 5];
        Arrays.fill(out, -7f);
        s.read(i, out, 5);
        assertThat(Arrays.copyOfRange(out, 0, 5)).containsOnly(-7f); // nothing written before the offset
        return Arrays.copyOfRange(out, 5, out.length);
    }

    @Test
    void spatialZeroesExactlyTheMaskedPartsInEveryFrame() {
        ClipSource raw = clips(new int[] {30, 12, 25, 7});
        OccludedSource occ = OccludedSource.fixed(raw, Occlusion.Kind.SPATIAL, NTU, 3);
        for (int i = 0; i < raw.size(); i++) {
            Set<Integer> hidden = new HashSet<>();
            for (int p : occ.mask(i).parts()) {
                for (int j : NTU.bodyParts().get(p).joints()) {
                    hidden.add(j);
                }
            }
            assertThat(hidden).isNotEmpty().hasSizeLessThan(V);
            float[] before = read(raw, i);
            float[] after = read(occ, i);
            for (int c = 0; c < 3; c++) {
                for (int t = 0; t < T; t++) {
                    for (int v = 0; v < V; v++) {
                        for (int m = 0; m < M; m++) {
                            int k = Sample.index(c, t, v, m, T, V, M);
                            assertThat(after[k]).isEqualTo(hidden.contains(v) ? 0f : before[k]);
                        }
                    }
                }
            }
        }
    }

    @Test
    void temporalZeroesExactlyOneBlockOfTheValidFrames() {
        int[] valid = {30, 12, 25, 7};
        ClipSource raw = clips(valid);
        OccludedSource occ = OccludedSource.fixed(raw, Occlusion.Kind.TEMPORAL, NTU, 3);
        for (int i = 0; i < raw.size(); i++) {
            Occlusion.Mask m = occ.mask(i);
            assertThat(m.length()).isEqualTo(Math.max(1, (int) Math.round(m.severity() * valid[i])));
            assertThat(m.start() + m.length()).isLessThanOrEqualTo(valid[i]);
            float[] before = read(raw, i);
            float[] after = read(occ, i);
            for (int k = 0; k < after.length; k++) {
                int t = (k / (V * M)) % T;
                boolean hidden = t >= m.start() && t < m.start() + m.length();
                assertThat(after[k]).isEqualTo(hidden ? 0f : before[k]);
            }
        }
        assertThat(occ.label(2)).isEqualTo(2);
        assertThat(occ.validFrames(1)).isEqualTo(12);
        assertThat(occ.name(3)).isEqualTo("#3");
    }

    @Test
    void testMasksAreFixedAcrossRunsTrainingMasksChangePerView() {
        int[] valid = new int[40];
        Arrays.fill(valid, T);
        ClipSource raw = clips(valid);
        for (Occlusion.Kind kind : Occlusion.Kind.values()) {
            OccludedSource a = OccludedSource.fixed(raw, kind, NTU, 11);
            OccludedSource b = OccludedSource.fixed(clips(valid), kind, NTU, 11);
            assertThat(read(a, 5)).containsExactly(read(b, 5));
            assertThat(masks(a)).isEqualTo(masks(b));
            assertThat(masks(OccludedSource.fixed(raw, kind, NTU, 12))).isNotEqualTo(masks(a));
            List<String> view0 = masks(OccludedSource.view(raw, kind, NTU, 11, 0));
            assertThat(masks(OccludedSource.view(raw, kind, NTU, 11, 0))).isEqualTo(view0);
            assertThat(masks(OccludedSource.view(raw, kind, NTU, 11, 1))).isNotEqualTo(view0);
            assertThat(view0).isNotEqualTo(masks(a));
        }
    }

    private static List<String> masks(OccludedSource s) {
        return java.util.stream.IntStream.range(0, s.size()).mapToObj(i -> {
            Occlusion.Mask m = s.mask(i);
            return Arrays.toString(m.parts()) + m.start() + "+" + m.length();
        }).toList();
    }

    @Test
    void layoutWithoutBodyPartsIsAClearErrorForSpatialOnly() {
        var bare = new SkeletonLayout("bare", java.util.Collections.nCopies(V, "j"), null, null, 0, null);
        ClipSource raw = clips(new int[] {30});
        assertThatThrownBy(() -> OccludedSource.fixed(raw, Occlusion.Kind.SPATIAL, bare, 0))
                .hasMessageContaining("layout 'bare' has no body parts").hasMessageContaining("--kind temporal");
        assertThatThrownBy(() -> OcclusionEval.requireApplicable(Occlusion.Kind.SPATIAL, bare))
                .hasMessageContaining("'bare' defines no body parts");
        assertThat(read(OccludedSource.fixed(raw, Occlusion.Kind.TEMPORAL, bare, 0), 0)).contains(0f);
        assertThatThrownBy(() -> OccludedSource.fixed(raw, Occlusion.Kind.TEMPORAL, Layouts.kinectV1(), 0))
                .hasMessageContaining("has 20 joints but the clips have 25");
    }

    @Test
    void validationHoldoutIsDisjointStratifiedAndSeeded() {
        int[] valid = new int[60];
        Arrays.fill(valid, T);
        ClipSource raw = clips(valid); // labels i mod 3: 20 per class
        ProbeSession.Holdout h = ProbeSession.holdOut(raw, 0.25, 4);
        assertThat(h.val()).hasSize(15);
        assertThat(h.train()).hasSize(45);
        Set<Integer> all = new HashSet<>();
        for (int i : h.train()) {
            all.add(i);
        }
        for (int i : h.val()) {
            assertThat(all.add(i)).as("index %d in both parts", i).isTrue();
        }
        assertThat(all).hasSize(60);
        int[] perClass = new int[3];
        for (int i : h.val()) {
            perClass[raw.label(i)]++;
        }
        assertThat(perClass).containsExactly(5, 5, 5);
        assertThat(ProbeSession.holdOut(raw, 0.25, 4).val()).containsExactly(h.val());
        assertThat(ProbeSession.holdOut(raw, 0.25, 5).val()).isNotEqualTo(h.val());
        assertThatThrownBy(() -> ProbeSession.holdOut(raw, 1.0, 0)).hasMessageContaining("(0, 1)");
    }
}
