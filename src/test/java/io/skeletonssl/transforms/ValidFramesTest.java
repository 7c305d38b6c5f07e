package io.skeletonssl.transforms;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValidFramesTest {

    private static final int V = 25;
    private static final int M = 2;

    /** Sets MAMP's flat row value: frame t, person m, joint v, channel c (the npz's 150-value order). */
    private static void put(Clip clip, int t, int m, int v, int c, float value) {
        clip.data()[clip.index(c, t, v, m)] = value;
    }

    @Test
    void countsFramesWithANonZeroSumNotTheLastIndex() {
        Clip clip = Clip.of(new float[3 * 10 * V * M], 10, V, M);
        put(clip, 0, 0, 3, 1, 0.5f);
        put(clip, 4, 1, 24, 2, -2f);   // an isolated frame after empty ones
        put(clip, 9, 0, 0, 0, 1e-30f);
        assertThat(ValidFrames.count(clip)).isEqualTo(3);
    }

    @Test
    void aFrameWhoseValuesCancelCountsAsEmptyAsInTheOfficialCode() {
        Clip clip = Clip.of(new float[3 * 2 * V * M], 2, V, M);
        put(clip, 0, 0, 2, 1, 0.25f);
        put(clip, 0, 0, 5, 2, -0.25f);
        put(clip, 1, 0, 0, 0, 0.25f);
        assertThat(ValidFrames.count(clip)).isEqualTo(1);
    }

    /**
     * A frame on which the summation order decides: joint sums 1e8 (joint 0), −1e8 (joint 1) and 1
     * (joint 8). NumPy's pairwise order adds 1 to 1e8 first (lost in float32), so the frame sums to
     * 0; left-to-right order would give 1. Reference computed with NumPy 2.4.6 and 1.24.2:
     * x = zeros((4, 150), float32); x[0,0] = .5; x[1,0] = 1e8; x[1,3] = -1e8; x[1,24] = 1;
     * x[3,7] = .25; x[3,17] = -.25; d = np.array(x.reshape(4,2,25,3).transpose(3,0,2,1));
     * d.sum(0).sum(-1).sum(-1) → [0.5, 0, 0, 0], count 1.
     */
    @Test
    void followsNumpysPairwiseSummationOrder() {
        Clip clip = Clip.of(new float[3 * 4 * V * M], 4, V, M);
        put(clip, 0, 0, 0, 0, 0.5f);
        put(clip, 1, 0, 0, 0, 1e8f);
        put(clip, 1, 0, 1, 0, -1e8f);
        put(clip, 1, 0, 8, 0, 1f);
        put(clip, 3, 0, 2, 1, 0.25f);
        put(clip, 3, 0, 5, 2, -0.25f);
        assertThat(ValidFrames.frameSum(clip.data(), 1, 4, V, M)).isEqualTo(0f);
        assertThat(ValidFrames.count(clip)).isEqualTo(1);
        float leftToRight = 0f;
        for (float f : new float[]{1e8f, -1e8f, 0, 0, 0, 0, 0, 0, 1f}) {
            leftToRight += f;
        }
        assertThat(leftToRight).as("the other order would count the frame").isEqualTo(1f);
    }

    @Test
    void pairwiseSumSplitsLongRowsLikeNumpy() {
        // 136 values: blocks over 128 are split at 64 (n/2 rounded down to a multiple of 8).
        float[] a = new float[136];
        a[0] = 1e8f;
        a[64] = -1e8f;
        a[8] = 1f;
        // left half (0..63): r0 = 1e8 + 1 = 1e8; right half: −1e8; total 0.
        assertThat(ValidFrames.pairwiseSum(a, 0, 136)).isEqualTo(0f);
        float[] small = {1f, 2f, 3f};
        assertThat(ValidFrames.pairwiseSum(small, 0, 3)).isEqualTo(6f);
    }

    @Test
    void recountStepSetsTheValidFrameCount() {
        Clip clip = Clips.random(20, 13, V, M, 1);
        Clip out = ValidFrames.recount().apply(clip.withValidFrames(20), null);
        assertThat(out.validFrames()).isEqualTo(13);
        assertThat(out.data()).isSameAs(clip.data());
    }

    @Test
    void rejectsAnArrayOfTheWrongSize() {
        assertThatThrownBy(() -> ValidFrames.count(new float[10], 2, 25, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("10 values").hasMessageContaining("(3, 2, 25, 2)");
    }
}
