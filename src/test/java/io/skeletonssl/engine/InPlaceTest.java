package io.skeletonssl.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InPlaceTest {

    @Test
    void overwritesAParameterKeepingItsGradient() {
        try (NDManager m = Engines.cpu().newManager()) {
            NDArray p = m.zeros(new Shape(2, 3));
            p.setRequiresGradient(true);
            InPlace.overwrite(p, new float[]{1, 2, 3, 4, 5, 6});
            assertThat(p.toFloatArray()).containsExactly(1, 2, 3, 4, 5, 6);
            assertThat(p.getShape()).isEqualTo(new Shape(2, 3));
            assertThat(p.hasGradient()).isTrue();
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(p.mul(p).sum());
            }
            assertThat(p.getGradient().toFloatArray()).containsExactly(2, 4, 6, 8, 10, 12);
        }
    }

    @Test
    void writesScalarsAndRefusesAWrongCount() {
        try (NDManager m = Engines.cpu().newManager()) {
            NDArray s = m.create(0f);
            InPlace.overwrite(s, new float[]{7.5f});
            assertThat(s.getFloat()).isEqualTo(7.5f);
            NDArray a = m.zeros(new Shape(4));
            assertThatThrownBy(() -> InPlace.overwrite(a, new float[]{1, 2, 3}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 values");
            assertThat(a.toFloatArray()).containsExactly(0, 0, 0, 0);
            NDArray ints = m.zeros(new Shape(2), ai.djl.ndarray.types.DataType.INT32);
            assertThatThrownBy(() -> InPlace.overwrite(ints, new float[]{1, 2}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("float32");
        }
    }
}
