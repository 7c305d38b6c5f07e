package io.skeletonssl.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EnginesTest {

    @Test
    void pytorchEngineLoadsOfflineAndComputes() {
        TensorEngine engine = Engines.cpu();
        assertThat(engine.name()).isEqualTo("PyTorch");
        assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
        try (NDManager m = engine.newManager()) {
            NDArray a = m.create(new float[]{1, 2, 3, 4}, new ai.djl.ndarray.types.Shape(2, 2));
            float[] product = a.matMul(a).toFloatArray();
            assertThat(product).containsExactly(7f, 10f, 15f, 22f);
        }
    }
}
