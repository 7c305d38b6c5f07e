package io.skeletonssl.eval.motion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.skeletonssl.engine.Engines;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The residual rollout: velocity out, positions accumulated from the last observed pose. */
class MotionDecoderTest {

    private static final int N = 3;
    private static final int JOINTS = 4;
    private static final int DIM = 6;
    private static final int STEPS = 10;

    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextDouble(-1, 1);
        }
        return v;
    }

    private static float[] rollout(MotionDecoder d, NDManager m, float[] last, PoseStats stats) {
        NDArray out = d.rollout(m.create(random(N * DIM, 1), new Shape(N, DIM)), m.create(last, new Shape(N, 3 * JOINTS)),
                m.create(stats.mean()), m.create(stats.std()), STEPS, false);
        assertThat(out.getShape()).isEqualTo(new Shape(N, STEPS, 3 * JOINTS));
        return out.toFloatArray();
    }

    @Test
    void zeroVelocityOutputReproducesTheZeroVelocityBaselineExactly() {
        try (NDManager m = Engines.cpu().newManager()) {
            MotionDecoder d = new MotionDecoder(DIM, JOINTS, 8);
            d.initializeSeeded(m, 3); // the output layer starts at zero: velocity 0 whatever the state
            float[] last = random(N * 3 * JOINTS, 2);
            PoseStats stats = new PoseStats(random(3 * JOINTS, 4), new float[3 * JOINTS]);
            java.util.Arrays.fill(stats.std(), 0.3f);
            assertThat(rollout(d, m, last, stats)).containsExactly(WindowBatches.repeatLast(last, N, STEPS));
        }
    }

    @Test
    void constantVelocityAccumulatesFromTheLastPoseInStandardDeviations() {
        try (NDManager m = Engines.cpu().newManager()) {
            MotionDecoder d = new MotionDecoder(DIM, JOINTS, 8);
            d.initializeSeeded(m, 3);
            // weights 0, bias b: every step adds b·std to the previous pose
            float[] bias = random(3 * JOINTS, 5);
            d.namedParameters().get("out.bias").getArray().set(bias);
            float[] last = random(N * 3 * JOINTS, 2);
            PoseStats stats = new PoseStats(new float[3 * JOINTS], random(3 * JOINTS, 6));
            float[] out = rollout(d, m, last, stats);
            for (int i = 0; i < N; i++) {
                for (int s = 0; s < STEPS; s++) {
                    for (int j = 0; j < 3 * JOINTS; j++) {
                        float expected = last[i * 3 * JOINTS + j] + (s + 1) * bias[j] * stats.std()[j];
                        assertThat(out[(i * STEPS + s) * 3 * JOINTS + j]).isCloseTo(expected, within(1e-5f));
                    }
                }
            }
        }
    }

    @Test
    void aTrainedOutputLayerMovesAwayFromTheBaseline() {
        try (NDManager m = Engines.cpu().newManager()) {
            MotionDecoder d = new MotionDecoder(DIM, JOINTS, 8);
            d.initializeSeeded(m, 3);
            d.namedParameters().get("out.weight").getArray().set(random(3 * JOINTS * 8, 7));
            float[] last = random(N * 3 * JOINTS, 2);
            float[] out = rollout(d, m, last, PoseStats.identity(JOINTS));
            assertThat(out).isNotEqualTo(WindowBatches.repeatLast(last, N, STEPS));
        }
    }
}
