package io.skeletonssl.eval.detection;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Segment extraction from per-frame probabilities: smoothing, threshold, class, confidence. */
class FrameSegmentsTest {

    private static float[][] rows(float[]... r) {
        return r;
    }

    @Test
    void meanFilterAveragesTheWindowAndCutsItAtTheEnds() {
        float[][] p = new float[6][];
        for (int t = 0; t < 6; t++) {
            p[t] = new float[] {t, 10 * t};
        }
        float[][] s = FrameSegments.smooth(p, 3); // frame t averages [t-1, t+2)
        assertThat(s[0][0]).isEqualTo(0.5f);        // frames 0, 1
        assertThat(s[2][0]).isEqualTo(2f);          // frames 1, 2, 3
        assertThat(s[5][1]).isEqualTo(45f);         // frames 4, 5
        float[][] even = FrameSegments.smooth(p, 4); // frame t averages [t-2, t+2)
        assertThat(even[2][0]).isEqualTo(1.5f);     // frames 0..3
        assertThat(FrameSegments.smooth(p, 1)[3]).containsExactly(3f, 30f);
    }

    @Test
    void runsAboveTheThresholdBecomeSegmentsWithClassAndConfidence() {
        float[][] p = rows(
                new float[] {0.75f, 0.125f, 0.125f},
                new float[] {0.5f, 0.125f, 0.375f},  // 1 - 0.5 = threshold exactly: action
                new float[] {0.25f, 0.5f, 0.25f},
                new float[] {0.75f, 0.125f, 0.125f}, // 0.25 < 0.5: background
                new float[] {0.25f, 0.5f, 0.25f},
                new float[] {0.25f, 0.25f, 0.5f});
        List<FrameSegments.Found> f = FrameSegments.segments(p, 0.5);
        assertThat(f).hasSize(2);
        // frames 1-2: class means (0.3125, 0.3125) tie -> the first, class 0; confidence 0.3125
        assertThat(f.get(0)).extracting(FrameSegments.Found::label, FrameSegments.Found::start,
                FrameSegments.Found::end).containsExactly(0, 1, 3);
        assertThat(f.get(0).confidence()).isCloseTo(0.3125, within(1e-9));
        // frames 4-5, up to the end of the stream: means (0.375, 0.375) tie again; make class 1 win
        p[5][2] = 0.625f;
        p[5][0] = 0f;
        f = FrameSegments.segments(p, 0.5);
        assertThat(f.get(1)).extracting(FrameSegments.Found::label, FrameSegments.Found::start,
                FrameSegments.Found::end).containsExactly(1, 4, 6);
        assertThat(f.get(1).confidence()).isCloseTo(0.4375, within(1e-9));
    }

    @Test
    void smoothingRemovesAOneFrameBlipAndBridgesAOneFrameGap() {
        float[][] blip = new float[30][];
        for (int t = 0; t < 30; t++) {
            blip[t] = t == 15 ? new float[] {0f, 1f} : new float[] {1f, 0f};
        }
        assertThat(FrameSegments.detect(blip, 1, 0.4)).hasSize(1);
        assertThat(FrameSegments.detect(blip, 10, 0.4)).isEmpty(); // the blip is diluted to 0.1
        float[][] gap = new float[30][];
        for (int t = 0; t < 30; t++) {
            gap[t] = t >= 5 && t < 25 && t != 15 ? new float[] {0f, 1f} : new float[] {1f, 0f};
        }
        assertThat(FrameSegments.detect(gap, 1, 0.4)).hasSize(2);
        assertThat(FrameSegments.detect(gap, 10, 0.4)).hasSize(1);
    }
}
