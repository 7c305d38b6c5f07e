package io.skeletonssl.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ScaledDotProductTest {

    private static final TensorEngine ENGINE = Engines.cpu();

    @Test
    void fusedKernelLoadsFromTheBundledModuleOnPytorch() {
        try (NDManager m = ENGINE.newManager()) {
            assertThat(ScaledDotProduct.fusedAvailable(m.zeros(new Shape(1)))).isTrue();
            assertThat(ScaledDotProduct.kernel()).isEqualTo(ScaledDotProduct.Kernel.FUSED);
        }
    }

    @Test
    void explicitMatchesAHandComputedCase() {
        try (NDManager m = ENGINE.newManager()) {
            // d = 4 so the scale is 1/2; one query, two keys: scores (1, 0) -> softmax (e/(e+1), 1/(e+1)).
            NDArray q = m.create(new float[]{2, 0, 0, 0}, new Shape(1, 4));
            NDArray k = m.create(new float[]{1, 0, 0, 0, 0, 1, 0, 0}, new Shape(2, 4));
            NDArray v = m.create(new float[]{1, 10, 3, 30}, new Shape(2, 2));
            double a = Math.E / (Math.E + 1);
            float[] explicit = ScaledDotProduct.explicit(q, k, v).toFloatArray();
            float[] fused = ScaledDotProduct.attend(q, k, v).toFloatArray();
            assertThat(explicit[0]).isCloseTo((float) (a * 1 + (1 - a) * 3), within(1e-6f));
            assertThat(explicit[1]).isCloseTo((float) (a * 10 + (1 - a) * 30), within(1e-5f));
            assertThat(fused).containsExactly(explicit, within(1e-5f));
        }
    }

    @Test
    void fusedAndExplicitAgreeInValueAndGradient() {
        try (NDManager m = ENGINE.newManager()) {
            m.getEngine().setRandomSeed(3);
            Shape qs = new Shape(2, 3, 7, 8);
            Shape kvs = new Shape(2, 3, 11, 8);
            NDArray[][] inputs = new NDArray[2][];
            float[][] out = new float[2][];
            for (int kind = 0; kind < 2; kind++) {
                m.getEngine().setRandomSeed(3);
                NDArray q = m.randomNormal(qs);
                NDArray k = m.randomNormal(kvs);
                NDArray v = m.randomNormal(kvs);
                inputs[kind] = new NDArray[]{q, k, v};
                for (NDArray x : inputs[kind]) {
                    x.setRequiresGradient(true);
                }
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray y = kind == 0 ? ScaledDotProduct.attend(q, k, v) : ScaledDotProduct.explicit(q, k, v);
                    assertThat(y.getShape()).isEqualTo(qs);
                    out[kind] = y.toFloatArray();
                    // A loss that weighs every output differently, so every gradient entry is exercised.
                    gc.backward(y.mul(m.arange((float) qs.size()).reshape(qs).div(qs.size())).sum());
                }
            }
            assertThat(out[0]).containsExactly(out[1], within(1e-5f));
            for (int i = 0; i < 3; i++) {
                float[] fused = inputs[0][i].getGradient().toFloatArray();
                float[] explicit = inputs[1][i].getGradient().toFloatArray();
                assertThat(fused).containsExactly(explicit, within(1e-5f));
                float largest = 0;
                for (float g : explicit) {
                    largest = Math.max(largest, Math.abs(g));
                }
                assertThat(largest).as("gradient of input %d", i).isGreaterThan(1e-3f);
            }
        }
    }

    @Test
    void underNoGradientTheFusedKernelBuildsNoGraph() {
        try (NDManager m = ENGINE.newManager(); NoGradient ignored = NoGradient.enter()) {
            NDArray q = m.randomNormal(new Shape(1, 2, 5, 4));
            q.setRequiresGradient(true);
            NDArray y = ScaledDotProduct.attend(q, q, q);
            assertThat(y.hasGradient()).isFalse();
        }
    }

    @Test
    void anUnknownKernelNameIsAClearError() {
        String before = System.getProperty(ScaledDotProduct.PROPERTY);
        try {
            System.setProperty(ScaledDotProduct.PROPERTY, "flash");
            assertThatThrownBy(ScaledDotProduct::kernel).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("skeletonssl.attention").hasMessageContaining("flash");
            System.setProperty(ScaledDotProduct.PROPERTY, "explicit");
            assertThat(ScaledDotProduct.kernel()).isEqualTo(ScaledDotProduct.Kernel.EXPLICIT);
        } finally {
            if (before == null) {
                System.clearProperty(ScaledDotProduct.PROPERTY);
            } else {
                System.setProperty(ScaledDotProduct.PROPERTY, before);
            }
        }
    }
}
