package io.skeletonssl.methods.pcm3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.skeletonssl.engine.Engines;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class CollapseTest {

    private static NDArray unitRows(NDManager m, int n, int d, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n * d];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Pcm3Losses.normalize(m.create(v, new Shape(n, d)));
    }

    @Test
    void identicalEmbeddingsHaveNoSpreadAndRandomOnesAboutOneOverRootD() {
        try (NDManager m = Engines.cpu().newManager()) {
            int d = 16;
            NDArray one = unitRows(m, 1, d, 1);
            NDArray collapsed = one.repeat(0, 64); // 64 copies of one unit vector
            assertThat(Collapse.featureStd(collapsed).getFloat()).isCloseTo(0f, within(1e-6f));
            double random = Collapse.featureStd(unitRows(m, 4000, d, 2)).getFloat();
            assertThat(random).isCloseTo(Collapse.spreadReference(d), within(0.02 * Collapse.spreadReference(d)));
            // half the batch on one vector, half on another: in between
            NDArray two = one.repeat(0, 32).concat(unitRows(m, 1, d, 3).repeat(0, 32), 0);
            double half = Collapse.featureStd(two).getFloat();
            assertThat(half).isGreaterThan(0.01).isLessThan(random);
            assertThatThrownBy(() -> Collapse.featureStd(m.zeros(new Shape(4)))).hasMessageContaining("(N, D)");
        }
    }

    @Test
    void warnsBelowTheFractionOfTheEvenSpreadOnly() {
        double ref = Collapse.spreadReference(64); // 0.125
        assertThat(Collapse.warning(5, 0.2 * ref - 1e-4, 64, 0.2)).hasValueSatisfying(w -> assertThat(w)
                .startsWith("COLLAPSE? epoch 5").contains("feature_std 0.0249").contains("0.20 / sqrt(64)"));
        assertThat(Collapse.warning(5, 0.2 * ref + 1e-4, 64, 0.2)).isEmpty();
        assertThat(Collapse.warning(5, 0.0, 64, 0.0)).as("fraction 0 = off").isEmpty();
        assertThat(Collapse.warning(5, Double.NaN, 64, 0.2)).isEmpty();
    }
}
