package io.skeletonssl.models.pcm3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import io.skeletonssl.engine.Autocast;
import io.skeletonssl.engine.Engines;
import io.skeletonssl.engine.Precision;
import io.skeletonssl.models.pcm3.Pcm3Config.GruMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class Pcm3EncoderTest {

    /** V 2, M 1 (6 values per frame), H 4, 3 layers, projector 8 → 5, decoder 6 with 2 layers. */
    static final Pcm3Config TINY = new Pcm3Config(2, 1, 4, 3, GruMode.OFFICIAL, 8, 5, 6, 2);
    static final int N = 3;
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

    static Pcm3Encoder encoder(Pcm3Config cfg, long seed) {
        Pcm3Encoder e = new Pcm3Encoder(cfg);
        e.initializeSeeded(root, seed);
        return e;
    }

    static NDArray randomArray(NDManager m, Shape shape, long seed) {
        Random r = new Random(seed);
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return m.create(v, shape);
    }

    private static double gruVersusReference(GruMode mode, boolean reverseBackward) {
        return gruVersusReference(mode, reverseBackward, Precision.FP32);
    }

    private static double gruVersusReference(GruMode mode, boolean reverseBackward, Precision precision) {
        Pcm3Encoder enc = encoder(TINY.withGruMode(mode), 3);
        try (NDManager m = root.newSubManager()) {
            NDArray x = randomArray(m, new Shape(N, T, TINY.channels()), 11);
            float[] out;
            try (Autocast ignored = Autocast.enter(precision)) {
                out = enc.recurrent(x, true).toFloatArray();
            }
            double[][][] ref = GruReference.stack(GruReference.nested(x.toFloatArray(), N, T, TINY.channels()),
                    GruReference.under(enc.namedParameters(), "gru."), TINY.layers(), 2, TINY.hidden(),
                    reverseBackward);
            return GruReference.maxAbsDiff(ref, out);
        }
    }

    @Test
    void officialModeEqualsTwoForwardCellsPerLayerSteppedFrameByFrame() {
        assertThat(gruVersusReference(GruMode.OFFICIAL, false)).isLessThan(1e-5);
    }

    @Test
    void officialModeEqualsTheReleasedLoopOfOneFrameBidirectionalCallsCarryingTheState() {
        Pcm3Encoder enc = encoder(TINY, 4);
        try (NDManager m = root.newSubManager()) {
            NDArray x = randomArray(m, new Shape(N, T, TINY.channels()), 12);
            NDArray h = m.zeros(new Shape(2L * TINY.layers(), N, TINY.hidden()));
            NDList steps = new NDList();
            for (int t = 0; t < T; t++) {
                NDList out = enc.gru().forwardFrom(x.get(":, " + t + ":" + (t + 1) + ", :"), h, false);
                steps.add(out.get(0));
                h = out.get(1);
            }
            NDArray looped = NDArrays.concat(steps, 1);
            NDArray fused = enc.recurrent(x, false);
            assertThat(fused.sub(looped).abs().max().getFloat()).isLessThan(1e-5f);
        }
    }

    @Test
    void bidirectionalModeRunsTheReverseDirectionFromTheLastFrame() {
        assertThat(gruVersusReference(GruMode.BIDIRECTIONAL, true)).isLessThan(1e-5);
        // and it is not the step-wise semantics
        assertThat(gruVersusReference(GruMode.BIDIRECTIONAL, false)).isGreaterThan(1e-3);
    }

    /**
     * Under bf16 the GRU runs layer by layer in bfloat16 (reverse directions on the time-reversed
     * input): both modes still match the plain-Java float64 reference to bfloat16's precision (and
     * differ from it, so bf16 really ran), the stepped state-carrying form agrees with the fused one,
     * and the gradients of the float32 weights agree with float32's.
     */
    @Test
    void bf16GruMatchesTheReferenceToBf16PrecisionInBothModes() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Autocast.bf16Supported(), "this CPU has no native bf16");
        assertThat(gruVersusReference(GruMode.OFFICIAL, false, Precision.BF16)).isBetween(1e-5, 5e-2);
        assertThat(gruVersusReference(GruMode.BIDIRECTIONAL, true, Precision.BF16)).isBetween(1e-5, 5e-2);
        Pcm3Encoder enc = encoder(TINY, 4);
        try (NDManager m = root.newSubManager(); Autocast ignored = Autocast.enter(Precision.BF16)) {
            NDArray x = randomArray(m, new Shape(N, T, TINY.channels()), 12);
            NDArray h = m.zeros(new Shape(2L * TINY.layers(), N, TINY.hidden()));
            NDList steps = new NDList();
            for (int t = 0; t < T; t++) {
                NDList out = enc.gru().forwardFrom(x.get(":, " + t + ":" + (t + 1) + ", :"), h, false);
                assertThat(out.get(1).getShape()).isEqualTo(h.getShape());
                steps.add(out.get(0));
                h = out.get(1);
            }
            assertThat(enc.recurrent(x, false).sub(NDArrays.concat(steps, 1)).abs().max().getFloat()).isLessThan(5e-2f);
        }
        for (GruMode mode : GruMode.values()) {
            float[][] grads = new float[2][];
            for (Precision p : Precision.values()) {
                Pcm3Encoder e = encoder(TINY.withGruMode(mode), 6);
                try (NDManager m = root.newSubManager(); GradientCollector gc = m.getEngine().newGradientCollector()) {
                    NDArray x = randomArray(m, new Shape(N, T, TINY.channels()), 13);
                    NDArray y;
                    try (Autocast ignored = Autocast.enter(p)) {
                        y = e.recurrent(x, true);
                    }
                    assertThat(y.getDataType()).isEqualTo(ai.djl.ndarray.types.DataType.FLOAT32);
                    gc.backward(y.mul(y).sum());
                    Parameter w = e.namedParameters().get("gru.weight_hh_l0_reverse");
                    assertThat(w.getArray().getGradient().getDataType()).isEqualTo(ai.djl.ndarray.types.DataType.FLOAT32);
                    grads[p.ordinal()] = w.getArray().getGradient().toFloatArray();
                }
            }
            double num = 0;
            double den = 0;
            for (int i = 0; i < grads[0].length; i++) {
                num += Math.pow(grads[1][i] - grads[0][i], 2);
                den += Math.pow(grads[0][i], 2);
            }
            assertThat(Math.sqrt(num / den)).as("%s: relative gradient error", mode).isBetween(1e-5, 8e-2);
        }
    }

    @Test
    void theTwoModesGiveDifferentFeaturesFromTheSameWeights() {
        float[][] out = new float[2][];
        for (GruMode mode : GruMode.values()) {
            try (NDManager m = root.newSubManager()) {
                out[mode.ordinal()] = encoder(TINY.withGruMode(mode), 5)
                        .allSteps(randomArray(m, new Shape(N, 3, T, 2, 1), 2), false).toFloatArray();
            }
        }
        assertThat(maxDiff(out[0], out[1], 0, 8)).isGreaterThan(1e-3);
    }

    @Test
    void withOneLayerOnlyTheSecondDirectionDiffersBetweenModes() {
        Pcm3Config one = TINY.withSizes(4, 1, 8, 5, 6, 2);
        float[][] out = new float[2][];
        for (GruMode mode : GruMode.values()) {
            try (NDManager m = root.newSubManager()) {
                out[mode.ordinal()] = encoder(one.withGruMode(mode), 5)
                        .allSteps(randomArray(m, new Shape(N, 3, T, 2, 1), 2), false).toFloatArray();
            }
        }
        assertThat(maxDiff(out[0], out[1], 0, 4)).isLessThan(1e-6);
        assertThat(maxDiff(out[0], out[1], 4, 8)).isGreaterThan(1e-3);
    }

    /** Largest |a − b| over channels [from, to) of rows of width 8. */
    private static double maxDiff(float[] a, float[] b, int from, int to) {
        assertThat(a).hasSameSizeAs(b);
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            if (i % 8 >= from && i % 8 < to) {
                d = Math.max(d, Math.abs(a[i] - b[i]));
            }
        }
        return d;
    }

    @Test
    void lastStepFeatureIsTheLastRowOfAllSteps() {
        for (GruMode mode : GruMode.values()) {
            Pcm3Encoder enc = encoder(TINY.withGruMode(mode), 8);
            try (NDManager m = root.newSubManager()) {
                NDArray clip = randomArray(m, new Shape(N, 3, T, 2, 1), 4);
                NDArray all = enc.allSteps(clip, false);
                NDArray last = enc.feature(clip, false);
                assertThat(all.getShape()).isEqualTo(new Shape(N, T, 8));
                assertThat(last.getShape()).isEqualTo(new Shape(N, 8));
                assertThat(last.toFloatArray()).containsExactly(all.get(":, " + (T - 1) + ", :").toFloatArray());
                assertThat(enc.project(last).getShape()).isEqualTo(new Shape(N, 5));
            }
        }
    }

    @Test
    void inputNormUsesBatchTimeStatisticsInTrainingAndRunningStatisticsInEval() {
        Pcm3Encoder enc = encoder(TINY, 1);
        AffineBatchNorm bn = enc.inputNorm();
        try (NDManager m = root.newSubManager()) {
            NDArray frames = randomArray(m, new Shape(N, T, 6), 9).mul(3).add(2);
            float[] x = frames.toFloatArray();
            // eval before any update: running mean 0, var 1 → x / sqrt(1 + eps)
            float[] eval0 = enc.normalize(frames, false).toFloatArray();
            for (int i = 0; i < x.length; i++) {
                assertThat(eval0[i]).isCloseTo((float) (x[i] / Math.sqrt(1 + 1e-5)), within(1e-5f));
            }
            float[] train = enc.normalize(frames, true).toFloatArray();
            int rows = N * T;
            float[] rm = bn.runningMean().getArray().toFloatArray();
            float[] rv = bn.runningVar().getArray().toFloatArray();
            for (int c = 0; c < 6; c++) {
                double mean = 0;
                for (int r = 0; r < rows; r++) {
                    mean += x[r * 6 + c];
                }
                mean /= rows;
                double var = 0;
                for (int r = 0; r < rows; r++) {
                    var += (x[r * 6 + c] - mean) * (x[r * 6 + c] - mean);
                }
                double biased = var / rows;
                for (int r = 0; r < rows; r++) {
                    double want = (x[r * 6 + c] - mean) / Math.sqrt(biased + 1e-5);
                    assertThat((double) train[r * 6 + c]).isCloseTo(want, within(1e-4));
                }
                assertThat((double) rm[c]).isCloseTo(0.1 * mean, within(1e-5));
                assertThat((double) rv[c]).isCloseTo(0.9 + 0.1 * var / (rows - 1), within(1e-4));
            }
            // eval now uses the updated running statistics
            float[] eval1 = enc.normalize(frames, false).toFloatArray();
            assertThat((double) eval1[0]).isCloseTo((x[0] - rm[0]) / Math.sqrt(rv[0] + 1e-5), within(1e-4));
            assertThat(bn.runningMean().requiresGradient()).isFalse();
        }
    }

    @Test
    void gradientsReachEveryTrainedParameter() {
        for (GruMode mode : GruMode.values()) {
            Pcm3Encoder enc = encoder(TINY.withGruMode(mode), 12);
            Pcm3Decoder dec = new Pcm3Decoder(TINY);
            dec.initializeSeeded(root, 13);
            try (NDManager m = root.newSubManager()) {
                NDArray clip = randomArray(m, new Shape(N, 3, T, 2, 1), 6);
                try (GradientCollector gc = root.getEngine().newGradientCollector()) {
                    NDArray all = enc.allSteps(clip, true);
                    NDArray loss = enc.project(Pcm3Encoder.lastStep(all)).square().sum()
                            .add(dec.forward(all, true).square().sum());
                    gc.backward(loss);
                }
                for (Map<String, Parameter> params : java.util.List.of(enc.namedParameters(), dec.namedParameters())) {
                    params.forEach((name, p) -> {
                        if (p.requiresGradient()) {
                            NDArray g = p.getArray().getGradient();
                            assertThat(g.abs().sum().getFloat()).as(mode + " " + name).isGreaterThan(0f);
                            g.subi(g);
                        }
                    });
                }
            }
        }
    }

    @Test
    void forwardLeavesNoArraysInTheParametersManager() {
        Pcm3Encoder enc = encoder(TINY, 2);
        int before = root.getManagedArrays().size();
        try (NDManager m = root.newSubManager()) {
            NDArray clip = randomArray(m, new Shape(N, 3, T, 2, 1), 6);
            enc.project(enc.feature(clip, true));
        }
        assertThat(root.getManagedArrays().size()).isEqualTo(before);
    }

    @Test
    void seededInitIsReproducibleAndFollowsTheReleasedRules() {
        Pcm3Config cfg = TINY.withSizes(16, 2, 24, 32, 6, 2);
        Pcm3Encoder a = encoder(cfg, 42);
        Pcm3Encoder b = encoder(cfg, 42);
        Pcm3Encoder c = encoder(cfg, 43);
        Map<String, Parameter> pa = a.namedParameters();
        Map<String, Parameter> pb = b.namedParameters();
        Map<String, Parameter> pc = c.namedParameters();
        for (String name : pa.keySet()) {
            assertThat(pa.get(name).getArray().toFloatArray()).as(name)
                    .containsExactly(pb.get(name).getArray().toFloatArray());
        }
        assertThat(pa.get("gru.weight_ih_l0").getArray().toFloatArray())
                .isNotEqualTo(pc.get("gru.weight_ih_l0").getArray().toFloatArray());
        // xavier over the whole (3H, in) matrix: bound sqrt(6 / (48 + 6)) for layer 0, sqrt(6 / (48 + 32)) above
        assertBound(pa.get("gru.weight_ih_l0"), Math.sqrt(6.0 / 54));
        assertBound(pa.get("gru.weight_hh_l1_reverse"), Math.sqrt(6.0 / 64));
        assertBound(pa.get("gru.weight_ih_l1"), Math.sqrt(6.0 / 80));
        assertBound(pa.get("gru.bias_ih_l0"), 1 / Math.sqrt(16));
        assertBound(pa.get("fc.0.weight"), 1 / Math.sqrt(32));
        assertBound(pa.get("fc.2.weight"), Math.sqrt(6.0 / (24 + 32)));
        assertBound(pa.get("fc.2.bias"), 1 / Math.sqrt(24));
        assertThat(pa.get("input_norm.weight").getArray().toFloatArray()).containsOnly(1f);
        assertThat(pa.get("input_norm.running_var").getArray().toFloatArray()).containsOnly(1f);
    }

    /** All values within ±bound and spread over most of it (a uniform draw of that width). */
    private static void assertBound(Parameter p, double bound) {
        NDArray a = p.getArray();
        float max = a.abs().max().getFloat();
        assertThat((double) max).as(p.getName()).isLessThanOrEqualTo(bound).isGreaterThan(0.7 * bound);
    }

    @Test
    void wrongInputShapesAreRejectedWithTheExpectedShape() {
        Pcm3Encoder enc = encoder(TINY, 1);
        try (NDManager m = root.newSubManager()) {
            assertThatThrownBy(() -> enc.feature(m.zeros(new Shape(N, 3, T, 3, 1)), false))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("(N, 3, T, 2, 1)").hasMessageContaining("(3, 3, 5, 3, 1)");
            assertThatThrownBy(() -> enc.feature(m.zeros(new Shape(N, T, 6)), false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(N, 3, T, 2, 1)");
            assertThatThrownBy(() -> enc.normalize(m.zeros(new Shape(N, T, 7)), false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(N, T, 6)");
            assertThatThrownBy(() -> enc.normalize(m.zeros(new Shape(1, 1, 6)), true))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than 1 value");
        }
    }
}
