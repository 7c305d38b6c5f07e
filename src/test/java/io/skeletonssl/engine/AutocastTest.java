package io.skeletonssl.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** bf16 autocast: scopes, the CPU check, and products that match float32 to bfloat16's precision. */
class AutocastTest {

    private static final TensorEngine ENGINE = Engines.cpu();

    @Test
    void scopesNestAndRestoreThePreviousPrecision() {
        assumeTrue(Autocast.bf16Supported(), "this CPU has no native bf16");
        assertThat(Autocast.bf16()).isFalse();
        try (Autocast outer = Autocast.enter(Precision.BF16)) {
            assertThat(Autocast.bf16()).isTrue();
            try (Autocast inner = Autocast.enter(Precision.FP32)) {
                assertThat(Autocast.bf16()).isFalse();
            }
            assertThat(Autocast.bf16()).isTrue();
        }
        assertThat(Autocast.bf16()).isFalse();
    }

    @Test
    void bf16NeedsAvx512Bf16OrAmx() {
        assertThat(Autocast.supportsBf16(Set.of("avx2", "avx512f"))).isFalse();
        assertThat(Autocast.supportsBf16(Set.of("avx512f", "avx512_bf16"))).isTrue();
        assertThat(Autocast.supportsBf16(Set.of("amx_tile", "amx_bf16"))).isTrue();
        if (!Autocast.bf16Supported()) {
            assertThatThrownBy(() -> Autocast.enter(Precision.BF16))
                    .hasMessageContaining("AVX512-BF16 or AMX-BF16").hasMessageContaining("--precision fp32");
        }
        assertThat(Precision.parse("BF16 ", "pretrain.precision")).isEqualTo(Precision.BF16);
        assertThatThrownBy(() -> Precision.parse("fp16", "pretrain.precision"))
                .hasMessageContaining("pretrain.precision").hasMessageContaining("fp32, bf16");
    }

    /**
     * The bf16 product agrees with float32 to bfloat16's 8-bit mantissa (relative error of a dot
     * product of rounded inputs ~2^-8), its gradients too, and the gradient of a float32 weight is
     * float32 (master weights stay float32).
     */
    @Test
    void bf16LinearAndAttentionMatchFloat32ToBf16Precision() {
        assumeTrue(Autocast.bf16Supported(), "this CPU has no native bf16");
        try (NDManager m = ENGINE.newManager()) {
            m.getEngine().setRandomSeed(5);
            NDArray x = m.randomNormal(new Shape(4, 10, 64));
            NDArray w = m.randomNormal(new Shape(32, 64)).mul(0.125);
            NDArray b = m.randomNormal(new Shape(32));
            float[][] out = new float[2][];
            float[][] grad = new float[2][];
            for (Precision p : Precision.values()) {
                NDArray wp = w.duplicate(); // a fresh gradient for each pass (DJL accumulates)
                wp.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray y;
                    try (Autocast ignored = Autocast.enter(p)) {
                        y = LinearOp.apply(x, wp, b);
                        NDArray q = y.reshape(4, 10, 2, 16).transpose(0, 2, 1, 3);
                        y = ScaledDotProduct.attend(q, q, q);
                    }
                    assertThat(y.getDataType()).isEqualTo(ai.djl.ndarray.types.DataType.FLOAT32);
                    out[p.ordinal()] = y.toFloatArray();
                    gc.backward(y.mul(y).sum());
                }
                assertThat(wp.getGradient().getDataType()).isEqualTo(ai.djl.ndarray.types.DataType.FLOAT32);
                grad[p.ordinal()] = wp.getGradient().toFloatArray();
            }
            assertThat(relativeError(out[1], out[0])).isBetween(1e-5, 3e-2);
            assertThat(relativeError(grad[1], grad[0])).isBetween(1e-5, 5e-2);
        }
    }

    /**
     * The fused bf16 MLP (both products and the GELU in bfloat16) computes fc2(GELU(fc1(x))) of the
     * float32 composition to bfloat16's precision, with float32 gradients for all four parameters.
     */
    @Test
    void bf16MlpMatchesTheFloat32CompositionToBf16Precision() {
        assumeTrue(Autocast.bf16Supported(), "this CPU has no native bf16");
        try (NDManager m = ENGINE.newManager()) {
            m.getEngine().setRandomSeed(6);
            NDArray x = m.randomNormal(new Shape(3, 7, 32));
            NDArray[] start = {m.randomNormal(new Shape(128, 32)).mul(0.18), m.randomNormal(new Shape(128)).mul(0.1),
                    m.randomNormal(new Shape(32, 128)).mul(0.09), m.randomNormal(new Shape(32)).mul(0.1)};
            float[][] out = new float[2][];
            float[][][] grads = new float[2][4][];
            for (Precision p : Precision.values()) {
                NDArray[] w = new NDArray[4];
                for (int i = 0; i < 4; i++) {
                    w[i] = start[i].duplicate();
                    w[i].setRequiresGradient(true);
                }
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray y;
                    try (Autocast ignored = Autocast.enter(p)) {
                        assertThat(MlpOp.available(x)).isEqualTo(p == Precision.BF16);
                        y = p == Precision.BF16 ? MlpOp.bf16(x, w[0], w[1], w[2], w[3])
                                : LinearOp.apply(io.skeletonssl.models.blocks.Gelu.exact(LinearOp.apply(x, w[0], w[1])), w[2], w[3]);
                    }
                    assertThat(y.getDataType()).isEqualTo(ai.djl.ndarray.types.DataType.FLOAT32);
                    assertThat(y.getShape()).isEqualTo(new Shape(3, 7, 32));
                    out[p.ordinal()] = y.toFloatArray();
                    gc.backward(y.mul(y).sum());
                }
                for (int i = 0; i < 4; i++) {
                    assertThat(w[i].getGradient().getDataType()).isEqualTo(ai.djl.ndarray.types.DataType.FLOAT32);
                    grads[p.ordinal()][i] = w[i].getGradient().toFloatArray();
                }
            }
            assertThat(relativeError(out[1], out[0])).isBetween(1e-5, 3e-2);
            for (int i = 0; i < 4; i++) {
                assertThat(relativeError(grads[1][i], grads[0][i])).as("gradient %d", i).isBetween(1e-5, 6e-2);
            }
        }
    }

    /** ‖a − b‖ / ‖b‖; above 0 proves the bf16 path ran, below the bound that it computes the same thing. */
    private static double relativeError(float[] a, float[] b) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            num += (a[i] - b[i]) * (double) (a[i] - b[i]);
            den += b[i] * (double) b[i];
        }
        return Math.sqrt(num / den);
    }
}
