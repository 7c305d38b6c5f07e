package io.skeletonssl.eval.detection;

import io.skeletonssl.dataset.SampleMeta;
import io.skeletonssl.dataset.StreamSample;
import io.skeletonssl.transforms.Clip;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Window sampling around stream frames, at the edges too, and the test-stride interpolation. */
class StreamWindowsTest {

    @Test
    void windowIsCentredAndRepeatsTheBoundaryFrames() {
        assertThat(StreamWindows.frameIndices(10, 100, 5, 2)).containsExactly(6, 8, 10, 12, 14);
        assertThat(StreamWindows.frameIndices(0, 100, 5, 2)).containsExactly(0, 0, 0, 2, 4);
        assertThat(StreamWindows.frameIndices(99, 100, 5, 2)).containsExactly(95, 97, 99, 99, 99);
        // even window: the frame at position window/2, one more sample before it than after
        assertThat(StreamWindows.frameIndices(10, 100, 4, 1)).containsExactly(8, 9, 10, 11);
        assertThat(StreamWindows.span(32, 2)).isEqualTo(63);
    }

    @Test
    void clipHoldsTheSampledFramesForEveryJointAndPerson() {
        int frames = 20;
        float[] data = new float[3 * frames * 2 * 1];
        for (int c = 0; c < 3; c++) {
            for (int t = 0; t < frames; t++) {
                for (int v = 0; v < 2; v++) {
                    data[(c * frames + t) * 2 + v] = 1000 * c + 10 * t + v;
                }
            }
        }
        StreamSample s = new StreamSample(data, frames, 2, 1, new int[frames], List.of(),
                SampleMeta.named("s", "test"), null);
        Clip clip = StreamWindows.clip(s, 1, 4, 3, 4); // frames -5, -2, 1, 4 -> 0, 0, 1, 4
        assertThat(clip.frames()).isEqualTo(4);
        assertThat(clip.get(2, 0, 1, 0)).isEqualTo(2001f);
        assertThat(clip.get(0, 2, 0, 0)).isEqualTo(10f);
        assertThat(clip.get(1, 3, 1, 0)).isEqualTo(1041f);
        Clip resized = StreamWindows.clip(s, 10, 4, 1, 8); // frames 8..11 resized to 8: ends stay at 8, 11
        assertThat(resized.frames()).isEqualTo(8);
        assertThat(resized.get(0, 0, 0, 0)).isEqualTo(80f);
        assertThat(resized.get(0, 7, 0, 0)).isEqualTo(110f);
    }

    @Test
    void testStrideEncodesEveryKthAndTheLastFrameAndInterpolates() {
        assertThat(StreamWindows.testFrames(10, 4)).containsExactly(0, 4, 8, 9);
        assertThat(StreamWindows.testFrames(9, 4)).containsExactly(0, 4, 8);
        assertThat(StreamWindows.testFrames(3, 1)).containsExactly(0, 1, 2);
        assertThat(StreamWindows.testFrames(1, 4)).containsExactly(0);
        float[][] p = StreamWindows.interpolate(10, new int[] {0, 4, 8, 9},
                new float[][] {{1f, 0f}, {0f, 1f}, {0f, 1f}, {1f, 0f}});
        assertThat(p[2]).containsExactly(0.5f, 0.5f);
        assertThat(p[4]).containsExactly(0f, 1f);
        assertThat(p[6]).containsExactly(0f, 1f);
        assertThat(p[9]).containsExactly(1f, 0f);
        assertThat(StreamWindows.interpolate(1, new int[] {0}, new float[][] {{0.3f, 0.7f}})[0])
                .containsExactly(0.3f, 0.7f);
    }
}
