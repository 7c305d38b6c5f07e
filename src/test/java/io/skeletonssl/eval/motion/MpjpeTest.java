package io.skeletonssl.eval.motion;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MpjpeTest {

    private static final int FRAMES = 10;
    private static final int JOINTS = 2;

    /** Window 0: every joint of predicted frame f (1-based) is off by f mm along x. */
    private static float[] offsetByFrame(float[] truth, int window) {
        float[] pred = truth.clone();
        for (int f = 0; f < FRAMES; f++) {
            for (int v = 0; v < JOINTS; v++) {
                pred[((window * FRAMES + f) * JOINTS + v) * 3] += (f + 1) / 1000f;
            }
        }
        return pred;
    }

    @Test
    void perFrameErrorsAreMillimetresAtOneBasedFrames() {
        float[] truth = new float[FRAMES * JOINTS * 3];
        for (int i = 0; i < truth.length; i++) {
            truth[i] = 0.1f * (i % 7);
        }
        Mpjpe m = new Mpjpe(FRAMES, JOINTS);
        m.add(offsetByFrame(truth, 0), truth, 1);
        assertThat(m.atFrameMm(2)).isCloseTo(2.0, within(1e-3));
        assertThat(m.atFrameMm(4)).isCloseTo(4.0, within(1e-3));
        assertThat(m.atFrameMm(8)).isCloseTo(8.0, within(1e-3));
        assertThat(m.atFrameMm(10)).isCloseTo(10.0, within(1e-3));
        assertThat(m.meanMm()).isCloseTo(5.5, within(1e-3)); // (1 + ... + 10) / 10
    }

    @Test
    void averagesTheEuclideanErrorOverJointsAndWindows() {
        // two windows; in window 0 joint 0 is off by (0.03, 0.04, 0) m = 50 mm in every frame, joint 1 exact;
        // in window 1 both joints are off by (0, 0, 0.012) m = 12 mm
        float[] truth = new float[2 * FRAMES * JOINTS * 3];
        float[] pred = truth.clone();
        for (int f = 0; f < FRAMES; f++) {
            int j0 = ((0 * FRAMES + f) * JOINTS) * 3;
            pred[j0] = 0.03f;
            pred[j0 + 1] = 0.04f;
            for (int v = 0; v < JOINTS; v++) {
                pred[((FRAMES + f) * JOINTS + v) * 3 + 2] = 0.012f;
            }
        }
        Mpjpe m = new Mpjpe(FRAMES, JOINTS);
        m.add(pred, truth, 2);
        // per frame: (50 + 0 + 12 + 12) / 4 = 18.5 mm
        assertThat(m.meanMm()).isCloseTo(18.5, within(1e-3));
        double[] all = new double[FRAMES];
        java.util.Arrays.fill(all, 18.5);
        assertThat(m.perFrameMm()).containsExactly(all, within(1e-3));
        assertThat(m.windows()).isEqualTo(2);
    }

    @Test
    void accumulatesAcrossBatchesLikeOneBatch() {
        float[] truth = new float[2 * FRAMES * JOINTS * 3];
        float[] pred = offsetByFrame(truth, 1);
        Mpjpe whole = new Mpjpe(FRAMES, JOINTS);
        whole.add(pred, truth, 2);
        int half = FRAMES * JOINTS * 3;
        Mpjpe parts = new Mpjpe(FRAMES, JOINTS);
        parts.add(java.util.Arrays.copyOfRange(pred, 0, half), java.util.Arrays.copyOfRange(truth, 0, half), 1);
        parts.add(java.util.Arrays.copyOfRange(pred, half, 2 * half), java.util.Arrays.copyOfRange(truth, half, 2 * half), 1);
        assertThat(parts.perFrameMm()).containsExactly(whole.perFrameMm(), within(1e-9));
        assertThat(whole.atFrameMm(4)).isCloseTo(2.0, within(1e-3)); // window 0 exact, window 1 off by 4 mm
    }

    @Test
    void rejectsBadShapesAndFrames() {
        Mpjpe m = new Mpjpe(FRAMES, JOINTS);
        assertThatThrownBy(() -> m.meanMm()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> m.add(new float[5], new float[5], 1)).hasMessageContaining("expected 60 values");
        m.add(new float[60], new float[60], 1);
        assertThatThrownBy(() -> m.atFrameMm(0)).hasMessageContaining("outside 1..10");
        assertThatThrownBy(() -> m.atFrameMm(11)).hasMessageContaining("outside 1..10");
    }
}
