package io.skeletonssl.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.skeletonssl.engine.Engines;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** BatchNorm1d(affine=False) against hand-computed numbers (torch semantics). */
class BatchNorm1dTest {

    private static final double EPS = 1e-6;

    @Test
    void trainingNormalisesWithBatchStatisticsAndUpdatesRunningStatsUnbiased() {
        BatchNorm1d bn = new BatchNorm1d(2, EPS, 0.1);
        assertThat(bn.runningMean()).containsExactly(0f, 0f);
        assertThat(bn.runningVar()).containsExactly(1f, 1f);
        try (NDManager m = Engines.cpu().newManager()) {
            // columns: mean 2 and 4, biased variance 1 and 4, unbiased 2 and 8
            float[] y = bn.forward(m.create(new float[] {1, 2, 3, 6}, new Shape(2, 2)), true).toFloatArray();
            double a = 1 / Math.sqrt(1 + EPS);
            double b = 2 / Math.sqrt(4 + EPS);
            assertThat(y[0]).isCloseTo((float) -a, within(1e-6f));
            assertThat(y[1]).isCloseTo((float) -b, within(1e-6f));
            assertThat(y[2]).isCloseTo((float) a, within(1e-6f));
            assertThat(y[3]).isCloseTo((float) b, within(1e-6f));
            assertThat(bn.runningMean()).containsExactly(new float[] {0.2f, 0.4f}, within(1e-6f));
            assertThat(bn.runningVar()).containsExactly(new float[] {1.1f, 1.7f}, within(1e-6f));

            // second batch (3 rows): mean 1, biased var 2, unbiased 3 in both columns
            bn.forward(m.create(new float[] {0, 0, 0, 0, 3, 3}, new Shape(3, 2)), true);
            assertThat(bn.runningMean()).containsExactly(new float[] {0.28f, 0.46f}, within(1e-6f));
            assertThat(bn.runningVar()).containsExactly(new float[] {1.29f, 1.83f}, within(1e-6f));
            assertThat(bn.batchesTracked()).isEqualTo(2);
        }
    }

    @Test
    void evaluationUsesRunningStatisticsSoOneRowDoesNotDependOnItsBatch() {
        BatchNorm1d bn = new BatchNorm1d(2, EPS, 0.1);
        try (NDManager m = Engines.cpu().newManager()) {
            bn.forward(m.create(new float[] {1, 2, 3, 6}, new Shape(2, 2)), true);
            float[] before = bn.runningVar();
            NDArray one = m.create(new float[] {1, 2}, new Shape(1, 2));
            float[] alone = bn.forward(one, false).toFloatArray();
            assertThat(alone[0]).isCloseTo((float) ((1 - 0.2) / Math.sqrt(1.1 + EPS)), within(1e-5f));
            assertThat(alone[1]).isCloseTo((float) ((2 - 0.4) / Math.sqrt(1.7 + EPS)), within(1e-5f));
            float[] inBatch = bn.forward(m.create(new float[] {1, 2, 100, -50, 7, 7}, new Shape(3, 2)), false)
                    .toFloatArray();
            assertThat(inBatch[0]).isEqualTo(alone[0]);
            assertThat(inBatch[1]).isEqualTo(alone[1]);
            assertThat(bn.runningVar()).containsExactly(before); // eval mode leaves the statistics alone
            assertThat(bn.batchesTracked()).isEqualTo(1);
        }
    }

    @Test
    void trainingOnOneRowIsAnErrorAsInTorch() {
        BatchNorm1d bn = new BatchNorm1d(2, EPS, 0.1);
        try (NDManager m = Engines.cpu().newManager()) {
            assertThatThrownBy(() -> bn.forward(m.create(new float[] {1, 2}, new Shape(1, 2)), true))
                    .hasMessageContaining("more than 1 value per channel");
            assertThatThrownBy(() -> bn.forward(m.create(new float[] {1, 2, 3}, new Shape(1, 3)), false))
                    .hasMessageContaining("expects (N, 2)");
        }
    }
}
