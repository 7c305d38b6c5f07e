package io.skeletonssl.models.pcm3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.skeletonssl.engine.Engines;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Pcm3DecoderTest {

    static final Pcm3Config TINY = Pcm3EncoderTest.TINY;
    static final int N = 2;
    static final int T = 5;

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
    void evalForwardMatchesAPlainJavaReference() {
        Pcm3Decoder dec = new Pcm3Decoder(TINY);
        dec.initializeSeeded(root, 17);
        Map<String, Parameter> p = dec.namedParameters();
        int f = TINY.featureDim();
        int d = TINY.decoderHidden();
        int c = TINY.channels();
        try (NDManager m = root.newSubManager()) {
            NDArray feats = Pcm3EncoderTest.randomArray(m, new Shape(N, T, f), 3);
            float[] out = dec.forward(feats, false).toFloatArray();
            double[][][] x = GruReference.nested(feats.toFloatArray(), N, T, f);
            double[][][] y = new double[N][T][];
            double bnScale = 1 / Math.sqrt(1 + 1e-5); // eval BN with fresh running statistics, weight 1, bias 0
            for (int n = 0; n < N; n++) {
                for (int t = 0; t < T; t++) {
                    double[] h = GruReference.affine(w(p, "linear.0.weight"), w(p, "linear.0.bias"), x[n][t], d, f);
                    for (int j = 0; j < d; j++) {
                        h[j] = Math.max(0, h[j] * bnScale);
                    }
                    y[n][t] = GruReference.affine(w(p, "linear.3.weight"), w(p, "linear.3.bias"), h, d, d);
                }
            }
            double[][][] seq = GruReference.stack(y, GruReference.under(p, "dec.0."), TINY.decoderLayers(), 1, d, false);
            double[][][] ref = new double[N][T][];
            for (int n = 0; n < N; n++) {
                for (int t = 0; t < T; t++) {
                    ref[n][t] = GruReference.affine(w(p, "dec.1.weight"), w(p, "dec.1.bias"), seq[n][t], c, d);
                }
            }
            assertThat(GruReference.maxAbsDiff(ref, out)).isLessThan(1e-5);
        }
    }

    private static float[] w(Map<String, Parameter> p, String name) {
        return p.get(name).getArray().toFloatArray();
    }

    @Test
    void decoderUsesPyTorchDefaultInitAndItsNames() {
        Pcm3Decoder dec = new Pcm3Decoder(TINY.withSizes(4, 3, 8, 5, 64, 2));
        dec.initializeSeeded(root, 1);
        Map<String, Parameter> p = dec.namedParameters();
        assertThat(p.keySet()).contains("linear.0.weight", "linear.1.weight", "linear.1.running_mean",
                "linear.3.bias", "dec.0.weight_ih_l0", "dec.0.bias_hh_l1", "dec.1.weight").doesNotContain(
                "dec.0.weight_ih_l0_reverse");
        assertThat((double) p.get("dec.0.weight_hh_l1").getArray().abs().max().getFloat())
                .isLessThanOrEqualTo(1 / Math.sqrt(64)).isGreaterThan(0.9 / Math.sqrt(64));
        assertThat((double) p.get("linear.0.weight").getArray().abs().max().getFloat())
                .isLessThanOrEqualTo(1 / Math.sqrt(8)).isGreaterThan(0.9 / Math.sqrt(8));
    }

    @Test
    void reconstructionUnflattensToTheClipShape() {
        Pcm3Decoder dec = new Pcm3Decoder(TINY);
        dec.initializeSeeded(root, 2);
        try (NDManager m = root.newSubManager()) {
            NDArray rec = dec.forward(Pcm3EncoderTest.randomArray(m, new Shape(N, T, 8), 1), true);
            assertThat(rec.getShape()).isEqualTo(new Shape(N, T, 6));
            assertThat(new FrameLayout(2, 1).unflatten(rec).getShape()).isEqualTo(new Shape(N, 3, T, 2, 1));
            assertThatThrownBy(() -> dec.forward(m.zeros(new Shape(N, T, 7)), true))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(N, T, 8)");
        }
    }
}
