package io.skeletonssl.methods.pcm3;

import ai.djl.ndarray.NDManager;
import io.skeletonssl.engine.Engines;
import io.skeletonssl.layout.Layouts;
import io.skeletonssl.layout.SkeletonLayout;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopologyMaskTest {

    private static final SkeletonLayout NTU = Layouts.ntu25();

    @Property(tries = 200)
    void everyClipHidesThreeWholePartsOfPersonOneOnly(@ForAll long seed) {
        TopologyMask.Mask mask = TopologyMask.pcm3(NTU, 64, 2).draw(new SplittableRandom(seed));
        for (int clip = 0; clip < 8; clip++) {
            int[] parts = mask.clipParts(clip);
            assertThat(parts).hasSize(3).doesNotHaveDuplicates();
            Set<Integer> hidden = new HashSet<>();
            for (int p : parts) {
                for (int j : NTU.bodyParts().get(p).joints()) {
                    hidden.add(j);
                }
            }
            assertThat(hidden.size()).isBetween(13, 17);
            for (int t = 8 * clip; t < 8 * clip + 8; t++) {
                for (int v = 0; v < 25; v++) {
                    assertThat(mask.visible(t, v, 0)).isEqualTo(!hidden.contains(v));
                    assertThat(mask.visible(t, v, 1)).isTrue();
                }
            }
        }
    }

    @Test
    void layoutsAgreeAndAppliedMaskZeroesTheSameEntriesOfEverySample() {
        TopologyMask.Mask mask = TopologyMask.pcm3(NTU, 64, 2).draw(new SplittableRandom(3));
        float[] cf = mask.channelsFirst();
        float[] pf = mask.perFrame();
        for (int c = 0; c < 3; c++) {
            for (int t = 0; t < 64; t++) {
                for (int v = 0; v < 25; v++) {
                    for (int m = 0; m < 2; m++) {
                        float expected = mask.visible(t, v, m) ? 1f : 0f;
                        assertThat(cf[((c * 64 + t) * 25 + v) * 2 + m]).isEqualTo(expected);
                        assertThat(pf[t * 150 + v * 6 + c * 2 + m]).isEqualTo(expected);
                    }
                }
            }
        }
        int clip = cf.length;
        float[] batch = new float[3 * clip];
        java.util.Arrays.fill(batch, 2f);
        float[] masked = mask.applyTo(batch);
        for (int i = 0; i < 3; i++) {
            for (int e = 0; e < clip; e++) {
                assertThat(masked[i * clip + e]).isEqualTo(2f * cf[e]);
            }
        }
        try (NDManager m = Engines.cpu().newManager()) {
            assertThat(mask.toNDArray(m).toFloatArray()).containsExactly(cf);
            assertThat(mask.perFrameNDArray(m).getShape().toString()).isEqualTo("(1, 64, 150)");
        }
    }

    @Test
    void singlePersonClipsAreMaskedToo() {
        TopologyMask.Mask mask = TopologyMask.pcm3(NTU, 16, 1).draw(new SplittableRandom(1));
        int hidden = 0;
        for (float f : mask.channelsFirst()) {
            hidden += f == 0 ? 1 : 0;
        }
        assertThat(hidden).isBetween(3 * 16 * 13, 3 * 16 * 17);
    }

    @Test
    void badInputIsRefusedClearly() {
        SkeletonLayout bare = new SkeletonLayout("bare", List.of("a", "b", "c"), null, null, 0, null);
        assertThatThrownBy(() -> TopologyMask.pcm3(bare, 64, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("topology masking needs body parts");
        assertThatThrownBy(() -> TopologyMask.pcm3(NTU, 60, 2)).hasMessageContaining("multiple of 8");
    }
}
