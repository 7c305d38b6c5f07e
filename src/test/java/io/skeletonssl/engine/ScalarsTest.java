package io.skeletonssl.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;

class ScalarsTest {

    private static final float[] X = {-2f, 0.5f, 3f, 1e-13f};

    @Test
    void theValuesAreThoseOfTheNumberForms() {
        try (NDManager m = Engines.cpu().newManager()) {
            NDArray x = m.create(X, new Shape(2, 2));
            assertThat(Scalars.mul(x, 0.07).toFloatArray()).containsExactly(x.mul(0.07f).toFloatArray());
            assertThat(Scalars.div(x, 0.07).toFloatArray()).containsExactly(x.div(0.07f).toFloatArray());
            assertThat(Scalars.maximum(x, 1e-12).toFloatArray()).containsExactly(x.maximum(1e-12f).toFloatArray());
            assertThat(Scalars.div(x, 40).getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(Scalars.of(x, 3).getShape()).isEqualTo(new Shape());
        }
    }

    /**
     * The backward reads the constant after a collection has freed and overwritten every
     * unreachable direct buffer: with DJL's {@code x.div(0.07f)} it would read freed memory (the
     * temporary 0-d array holding 0.07 is closed when div returns).
     */
    @Test
    void theBackwardFindsTheConstantAfterACollection() throws Exception {
        check((x, c) -> Scalars.mul(x, c), 0.07, new float[]{0.07f, 0.07f, 0.07f, 0.07f});
        check((x, c) -> Scalars.div(x, c), 0.07, new float[]{1 / 0.07f, 1 / 0.07f, 1 / 0.07f, 1 / 0.07f});
        check((x, c) -> Scalars.maximum(x, c), 1e-12, new float[]{0, 1, 1, 0});
    }

    private static void check(BiFunction<NDArray, Double, NDArray> op, double c, float[] expected) throws Exception {
        try (NDManager m = Engines.cpu().newManager()) {
            NDArray x = m.create(X, new Shape(2, 2));
            x.setRequiresGradient(true);
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDArray y = op.apply(x, c).sum();
                try (FreedMemory ignored = FreedMemory.collectAndOverwrite()) {
                    gc.backward(y);
                }
            }
            assertThat(x.getGradient().toFloatArray()).containsExactly(expected);
        }
    }
}
