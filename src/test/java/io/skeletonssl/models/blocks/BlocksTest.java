package io.skeletonssl.models.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.skeletonssl.engine.Engines;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BlocksTest {

    private static NDManager root;

    @BeforeAll
    static void open() {
        root = Engines.cpu().newManager();
    }

    @AfterAll
    static void close() {
        root.close();
    }

    @Test
    void geluIsTheExactErfForm() {
        try (NDManager m = root.newSubManager()) {
            float[] xs = {-3f, -1f, -0.5f, 0f, 0.3f, 1f, 2.5f};
            float[] got = Gelu.exact(m.create(xs)).toFloatArray();
            float[] ref = Gelu.erfForm(m.create(xs)).toFloatArray();
            for (int i = 0; i < xs.length; i++) {
                double exact = 0.5 * xs[i] * (1 + erf(xs[i] / Math.sqrt(2)));
                assertThat((double) got[i]).as("gelu(%s)", xs[i]).isCloseTo(exact, within(1e-6));
                assertThat((double) ref[i]).isCloseTo(exact, within(1e-6));
            }
            // The tanh approximation differs at x = 1 by ~1.5e-4; exactness is distinguishable.
            double tanhApprox = 0.5 * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (1 + 0.044715)));
            assertThat(Math.abs(got[5] - tanhApprox)).isGreaterThan(1e-5);
            assertThat((double) got[5]).isCloseTo(0.8413447460685429, within(1e-6));
        }
    }

    /** erf by Abramowitz–Stegun 7.1.26 is too coarse; use a series good to 1e-12 for |x| ≤ 3. */
    private static double erf(double x) {
        double sum = 0;
        double term = x;
        for (int n = 0; n < 200; n++) {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    @Test
    void denseInitIsXavierUniformWithZeroBias() {
        try (NDManager m = root.newSubManager()) {
            Dense d = Dense.xavier(256, 768);
            d.initializeSeeded(m, 7);
            float[] w = d.weight().getArray().toFloatArray();
            double bound = Math.sqrt(6.0 / (256 + 768));
            assertWithinAndSpread(w, bound);
            assertThat(d.bias().getArray().toFloatArray()).containsOnly(0f);
            assertThat(d.weight().getArray().getShape()).isEqualTo(new Shape(768, 256));
        }
    }

    @Test
    void torchDefaultInitUsesOneOverSqrtFanIn() {
        try (NDManager m = root.newSubManager()) {
            Dense d = Dense.torchDefault(12, 256, 12);
            d.initializeSeeded(m, 3);
            double bound = 1 / Math.sqrt(12);
            assertWithinAndSpread(d.weight().getArray().toFloatArray(), bound);
            float[] b = d.bias().getArray().toFloatArray();
            for (float x : b) {
                assertThat((double) Math.abs(x)).isLessThanOrEqualTo(bound);
            }
            assertThat(max(b)).isGreaterThan(bound * 0.8);
        }
    }

    /** Uniform on ±bound: all inside, extremes near the bound, variance bound²/3. */
    private static void assertWithinAndSpread(float[] w, double bound) {
        double sq = 0;
        for (float x : w) {
            assertThat((double) Math.abs(x)).isLessThanOrEqualTo(bound);
            sq += x * x;
        }
        assertThat(max(w)).isGreaterThan(bound * 0.99);
        assertThat(sq / w.length).isCloseTo(bound * bound / 3, within(bound * bound / 3 * 0.05));
    }

    private static double max(float[] w) {
        double mx = 0;
        for (float x : w) {
            mx = Math.max(mx, Math.abs(x));
        }
        return mx;
    }

    @Test
    void truncNormalHasStd002() {
        float[] v = InitRule.of(InitRule.Kind.TRUNC_NORMAL_002).withSeed(11).sample(new Shape(100_000));
        double s = 0;
        double sq = 0;
        for (float x : v) {
            s += x;
            sq += x * x;
        }
        double mean = s / v.length;
        assertThat(mean).isCloseTo(0, within(3e-4));
        assertThat(Math.sqrt(sq / v.length - mean * mean)).isCloseTo(0.02, within(3e-4));
    }

    @Test
    void layerNormStartsAtOnesAndZerosWithTorchEps() {
        try (NDManager m = root.newSubManager()) {
            Norm n = new Norm(8);
            n.initializeSeeded(m, 1);
            assertThat(n.namedParameters().get("weight").getArray().toFloatArray()).containsOnly(1f);
            assertThat(n.namedParameters().get("bias").getArray().toFloatArray()).containsOnly(0f);
            assertThat(n.eps()).isEqualTo(1e-5f);
            // A constant-variance row: (x − μ)/sqrt(σ²_biased + eps).
            float[] out = n.forward(m.create(new float[] {1, 3, 1, 3, 1, 3, 1, 3}, new Shape(1, 8))).toFloatArray();
            assertThat((double) out[1]).isCloseTo(1 / Math.sqrt(1 + 1e-5), within(1e-6));
        }
    }

    @Test
    void seededInitIsDeterministicAndSeedDependent() {
        try (NDManager m = root.newSubManager()) {
            TransformerBlock a = new TransformerBlock(16, 4, 4, 0);
            TransformerBlock b = new TransformerBlock(16, 4, 4, 0);
            TransformerBlock c = new TransformerBlock(16, 4, 4, 0);
            a.initializeSeeded(m, 42);
            b.initializeSeeded(m, 42);
            c.initializeSeeded(m, 43);
            String k = "attn.qkv.weight";
            assertThat(a.namedParameters().get(k).getArray().toFloatArray())
                    .containsExactly(b.namedParameters().get(k).getArray().toFloatArray())
                    .isNotEqualTo(c.namedParameters().get(k).getArray().toFloatArray());
            // Different parameters of one model do not share values.
            assertThat(a.namedParameters().get("attn.proj.weight").getArray().toFloatArray())
                    .isNotEqualTo(a.namedParameters().get("mlp.fc2.weight").getArray().get(":16, :16")
                            .toFloatArray());
        }
    }

    @Test
    void attentionMatchesAHandWrittenSingleHeadComputation() {
        try (NDManager m = root.newSubManager()) {
            Attention att = new Attention(4, 1);
            att.initializeSeeded(m, 5);
            NDArray x = m.randomNormal(new Shape(1, 3, 4));
            var p = att.namedParameters();
            NDArray qkv = x.matMul(p.get("qkv.weight").getArray().transpose()).add(p.get("qkv.bias").getArray());
            NDArray q = qkv.get(":, :, 0:4");
            NDArray k = qkv.get(":, :, 4:8");
            NDArray v = qkv.get(":, :, 8:12");
            NDArray a = q.matMul(k.transpose(0, 2, 1)).div(2).softmax(-1);
            NDArray ref = a.matMul(v).matMul(p.get("proj.weight").getArray().transpose())
                    .add(p.get("proj.bias").getArray());
            float[] got = att.forward(x).toFloatArray();
            float[] want = ref.toFloatArray();
            for (int i = 0; i < want.length; i++) {
                assertThat(got[i]).isCloseTo(want[i], within(1e-5f));
            }
        }
    }

    @Test
    void dropPathIsIdentityAtRateZeroOrEvalAndScalesKeptSamples() {
        try (NDManager m = root.newSubManager()) {
            NDArray x = m.ones(new Shape(2000, 3));
            assertThat(DropPath.apply(x, 0, true, new Random(1))).isSameAs(x);
            assertThat(DropPath.apply(x, 0.3, false, new Random(1))).isSameAs(x);
            float[] y = DropPath.apply(x, 0.25, true, new Random(1)).toFloatArray();
            int kept = 0;
            for (int s = 0; s < 2000; s++) {
                float v = y[s * 3];
                assertThat(v).isIn(0f, 1f / 0.75f);
                assertThat(y[s * 3 + 1]).isEqualTo(v).as("one decision per sample");
                kept += v > 0 ? 1 : 0;
            }
            assertThat(kept / 2000.0).isCloseTo(0.75, within(0.04));
        }
    }
}
