package io.skeletonssl.models.mamp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.skeletonssl.engine.Engines;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MampModelTest {

    /** dim 32, 2+2 blocks, T 16, V 5, M 2: L = 20 tokens, 5 visible. */
    static final MampConfig TINY = new MampConfig(32, 2, 4, 4.0, 32, 2, 4, 4, 16, 5, 2,
            0.75, 0.8, 0.0, MampConfig.Target.MOTION, MampConfig.Input.POSITION, MampConfig.Masking.MOTION_AWARE);
    static final int N = 2;

    private static NDManager root;

    @BeforeAll
    static void open() {
        root = Engines.cpu().newManager();
    }

    @AfterAll
    static void close() {
        root.close();
    }

    static MampModel model(MampConfig cfg, long seed) {
        MampModel m = new MampModel(cfg);
        m.initializeSeeded(root, seed);
        return m;
    }

    /** Deterministic smooth motion (N, 3, T, V, M). */
    static NDArray batch(NDManager m, MampConfig cfg, long seed) {
        Random r = new Random(seed);
        int t = cfg.frames();
        int v = cfg.joints();
        int p = cfg.persons();
        float[] x = new float[N * 3 * t * v * p];
        for (int n = 0; n < N; n++) {
            for (int c = 0; c < 3; c++) {
                for (int j = 0; j < v; j++) {
                    for (int q = 0; q < p; q++) {
                        double phase = r.nextDouble() * 6;
                        double amp = r.nextDouble();
                        for (int f = 0; f < t; f++) {
                            x[(((n * 3 + c) * t + f) * v + j) * p + q] = (float) (amp * Math.sin(phase + 0.3 * f) + j);
                        }
                    }
                }
            }
        }
        return m.create(x, new Shape(N, 3, t, v, p));
    }

    @Test
    void personsBecomeSequencesInNMOrder() {
        MampModel model = new MampModel(TINY);
        try (NDManager m = root.newSubManager()) {
            NDArray b = batch(m, TINY, 1);
            NDArray s = model.toSequences(b);
            assertThat(s.getShape()).isEqualTo(new Shape(N * 2, 16, 5, 3));
            // seqs[n·M + q, t, v, c] = batch[n, c, t, v, q]
            assertThat(s.getFloat(1 * 2 + 1, 7, 3, 2)).isEqualTo(b.getFloat(1, 2, 7, 3, 1));
            assertThat(s.getFloat(0, 15, 4, 0)).isEqualTo(b.getFloat(0, 0, 15, 4, 0));
            assertThatThrownBy(() -> model.toSequences(m.zeros(new Shape(1, 3, 16, 6, 2))))
                    .hasMessageContaining("expected a batch (N, 3, 16, 5, 2), got (1, 3, 16, 6, 2)");
        }
    }

    @Test
    void patchifyIsTimeMajorXyzMinor() {
        MampModel model = new MampModel(TINY);
        try (NDManager m = root.newSubManager()) {
            NDArray s = m.arange(16f * 5 * 3).reshape(1, 16, 5, 3);
            NDArray p = model.patchify(s);
            assertThat(p.getShape()).isEqualTo(new Shape(1, 20, 12));
            // token (t=2, v=3) = index 13; value k = f·3 + c is frame 2·4 + f
            for (int f = 0; f < 4; f++) {
                for (int c = 0; c < 3; c++) {
                    assertThat(p.getFloat(0, 13, f * 3 + c)).isEqualTo(s.getFloat(0, 8 + f, 3, c));
                }
            }
        }
    }

    @Test
    void motionIsNextFrameDifferenceWithZeroLastFrame() {
        try (NDManager m = root.newSubManager()) {
            NDArray s = m.randomNormal(new Shape(2, 16, 5, 3));
            NDArray d = MampModel.motion(s);
            assertThat(d.getShape()).isEqualTo(s.getShape());
            assertThat(d.getFloat(1, 4, 2, 1)).isCloseTo(s.getFloat(1, 5, 2, 1) - s.getFloat(1, 4, 2, 1),
                    within(1e-6f));
            assertThat(d.get(":, 15").toFloatArray()).containsOnly(0f);
        }
    }

    @Test
    void perTokenNormalisationUsesUnbiasedVariance() {
        try (NDManager m = root.newSubManager()) {
            float[] v = new float[24];
            for (int i = 0; i < 12; i++) {
                v[i] = i + 1;   // μ 6.5, Σ(x − μ)² = 143, unbiased σ² = 143/11 = 13
                v[12 + i] = 4;  // constant token → 0/sqrt(1e−6) = 0
            }
            float[] out = MampModel.normalizePerToken(m.create(v, new Shape(2, 12))).toFloatArray();
            assertThat((double) out[0]).isCloseTo(-5.5 / Math.sqrt(13 + 1e-6), within(1e-6));
            assertThat((double) out[11]).isCloseTo(5.5 / Math.sqrt(13 + 1e-6), within(1e-6));
            for (int i = 12; i < 24; i++) {
                assertThat(out[i]).isZero();
            }
        }
    }

    @Test
    void forwardShapesAndMaskCount() {
        MampModel model = model(TINY, 1);
        try (NDManager m = root.newSubManager()) {
            MampModel.PretrainOutput out = model.forwardPretrain(batch(m, TINY, 2), true, new Random(3));
            assertThat(out.loss().getShape()).isEqualTo(new Shape());
            assertThat(out.prediction().getShape()).isEqualTo(new Shape(N * 2, 20, 12));
            assertThat(out.mask().getShape()).isEqualTo(new Shape(N * 2, 20));
            assertThat(out.mask().sum().getFloat()).isEqualTo(N * 2 * 15f);
            assertThat(out.loss().getFloat()).isPositive().isFinite();

            NDArray f = model.forwardFeatures(batch(m, TINY, 2));
            assertThat(f.getShape()).isEqualTo(new Shape(N, 2, 4, 5, 32));
            NDArray pooled = model.pooledFeature(batch(m, TINY, 2));
            assertThat(pooled.getShape()).isEqualTo(new Shape(N, 32));
            assertThat(pooled.getFloat(1, 7)).isCloseTo(f.get(1).get(":, :, :, 7").mean().getFloat(), within(1e-5f));
            // time pooling: time token t's mean over persons and joints, at columns t*dim .. t*dim + dim - 1
            NDArray timed = model.timePooledFeature(batch(m, TINY, 2));
            assertThat(timed.getShape()).isEqualTo(new Shape(N, 4 * 32));
            for (int t = 0; t < 4; t++) {
                assertThat(timed.getFloat(1, t * 32 + 7))
                        .isCloseTo(f.get(1).get(":, " + t + ", :, 7").mean().getFloat(), within(1e-5f));
            }
            // the time-token means average back to the plain pooled feature
            assertThat(timed.reshape(N, 4, 32).mean(new int[] {1}).toFloatArray())
                    .containsExactly(pooled.toFloatArray(), within(1e-5f));
        }
    }

    /**
     * Under a bf16 autocast the same step (same weights, same masking draws) gives the float32 loss
     * to bfloat16's precision, and every parameter's gradient stays float32 and close to float32's.
     */
    @Test
    void bf16StepMatchesFloat32ToBf16Precision() {
        org.junit.jupiter.api.Assumptions.assumeTrue(io.skeletonssl.engine.Autocast.bf16Supported(),
                "this CPU has no native bf16");
        double[] loss = new double[2];
        float[][] grad = new float[2][];
        for (io.skeletonssl.engine.Precision p : io.skeletonssl.engine.Precision.values()) {
            MampModel model = model(TINY, 7);
            try (NDManager m = root.newSubManager();
                 ai.djl.training.GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDArray l;
                try (io.skeletonssl.engine.Autocast ignored = io.skeletonssl.engine.Autocast.enter(p)) {
                    l = model.forwardPretrain(batch(m, TINY, 2), true, new Random(3)).loss();
                }
                gc.backward(l);
                loss[p.ordinal()] = l.getFloat();
                NDArray g = model.namedParameters().get("blocks.0.attn.qkv.weight").getArray().getGradient();
                assertThat(g.getDataType()).isEqualTo(ai.djl.ndarray.types.DataType.FLOAT32);
                grad[p.ordinal()] = g.toFloatArray();
            }
        }
        assertThat(loss[1]).isNotEqualTo(loss[0]).isCloseTo(loss[0], within(0.02 * loss[0]));
        double num = 0;
        double den = 0;
        for (int i = 0; i < grad[0].length; i++) {
            num += Math.pow(grad[1][i] - grad[0][i], 2);
            den += Math.pow(grad[0][i], 2);
        }
        assertThat(Math.sqrt(num / den)).isLessThan(0.1);
    }

    @Test
    void lossEqualsHandComputationAndIgnoresVisibleTokens() {
        MampModel model = model(TINY, 1);
        try (NDManager m = root.newSubManager()) {
            NDArray seqs = model.toSequences(batch(m, TINY, 4));
            MaskPlan plan = model.planMask(seqs, new Random(5));
            NDArray pred = m.randomNormal(new Shape(4, 20, 12));
            NDArray mask = plan.maskArray(m);
            float loss = model.forwardLoss(seqs, pred, mask).getFloat();

            float[] p = pred.toFloatArray();
            float[] tgt = model.target(seqs).toFloatArray();
            double sum = 0;
            int count = 0;
            for (int b = 0; b < 4; b++) {
                for (int i = 0; i < 20; i++) {
                    if (!plan.masked(b, i)) {
                        continue;
                    }
                    double se = 0;
                    for (int k = 0; k < 12; k++) {
                        int j = (b * 20 + i) * 12 + k;
                        se += (p[j] - tgt[j]) * (p[j] - tgt[j]);
                    }
                    sum += se / 12;
                    count++;
                }
            }
            assertThat(count).isEqualTo(4 * 15);
            assertThat((double) loss).isCloseTo(sum / count, within(1e-5));

            NDArray visible = mask.expandDims(-1).neg().add(1);
            NDArray changedVisible = pred.add(visible.mul(100));
            assertThat(model.forwardLoss(seqs, changedVisible, mask).getFloat()).isCloseTo(loss, within(1e-5f));
            NDArray changedMasked = pred.add(mask.expandDims(-1).mul(0.5));
            assertThat(model.forwardLoss(seqs, changedMasked, mask).getFloat()).isNotCloseTo(loss, within(1e-3f));
        }
    }

    @Test
    void decoderOutputDoesNotDependOnTheOrderOfVisibleTokens() {
        MampModel model = model(TINY, 2);
        try (NDManager m = root.newSubManager()) {
            NDArray seqs = model.toSequences(batch(m, TINY, 6));
            MaskPlan a = model.planMask(seqs, new Random(8));
            // Same visible set in reversed order: attention is permutation-equivariant and the
            // un-shuffle puts every token back, so predictions must agree.
            long[] order = a.order().clone();
            long[] restore = new long[order.length];
            for (int b = 0; b < a.sequences(); b++) {
                for (int k = 0; k < a.visible() / 2; k++) {
                    int i = b * 20 + k;
                    int j = b * 20 + a.visible() - 1 - k;
                    long tmp = order[i];
                    order[i] = order[j];
                    order[j] = tmp;
                }
                for (int r = 0; r < 20; r++) {
                    restore[(int) (b * 20 + order[b * 20 + r])] = r;
                }
            }
            MaskPlan reversed = new MaskPlan(a.sequences(), a.tokens(), a.visible(), order, restore, a.mask());
            assertThat(order).isNotEqualTo(a.order());
            float[] pa = model.forwardDecoder(model.forwardEncoder(seqs, a, false, null), a, false, null)
                    .toFloatArray();
            float[] pb = model.forwardDecoder(model.forwardEncoder(seqs, reversed, false, null), reversed, false,
                    null).toFloatArray();
            for (int i = 0; i < pa.length; i++) {
                assertThat(pb[i]).isCloseTo(pa[i], within(1e-4f));
            }
        }
    }

    @Test
    void convWeightImportIsAReshapeOfCMajorTMinorOrder() {
        MampModel model = model(TINY, 3);
        try (NDManager m = root.newSubManager()) {
            NDArray conv = m.randomNormal(new Shape(32, 3, 4, 1));
            NDArray bias = m.randomNormal(new Shape(32));
            Map<String, Parameter> p = model.namedParameters();
            p.get("joints_embed.proj.weight").getArray().set(MampModel.fromConvWeight(conv).toFloatArray());
            p.get("joints_embed.proj.bias").getArray().set(bias.toFloatArray());
            p.get("temp_embed").getArray().set(new float[4 * 32]);
            p.get("pos_embed").getArray().set(new float[5 * 32]);
            NDArray seqs = m.randomNormal(new Shape(1, 16, 5, 3));
            NDArray tokens = model.embed(seqs);
            // Conv2d by hand at token (t=3, v=2), channel d = 9: Σ_c Σ_f W[d, c, f, 0]·X[4·3 + f, 2, c] + b[d]
            double want = bias.getFloat(9);
            for (int c = 0; c < 3; c++) {
                for (int f = 0; f < 4; f++) {
                    want += conv.getFloat(9, c, f, 0) * seqs.getFloat(0, 12 + f, 2, c);
                }
            }
            assertThat((double) tokens.getFloat(0, 3 * 5 + 2, 9)).isCloseTo(want, within(1e-4));
        }
    }

    @Test
    void embeddingAndDecoderInitsFollowTheOfficialRules() {
        MampModel model = model(MampConfig.ntu60(), 0);
        Map<String, Parameter> p = model.namedParameters();
        float[] w = p.get("joints_embed.proj.weight").getArray().toFloatArray();
        float[] b = p.get("joints_embed.proj.bias").getArray().toFloatArray();
        double bound = 1 / Math.sqrt(12);
        double mx = 0;
        for (float x : w) {
            assertThat((double) Math.abs(x)).isLessThanOrEqualTo(bound);
            mx = Math.max(mx, Math.abs(x));
        }
        assertThat(mx).isGreaterThan(0.98 * bound);
        double bmax = 0;
        for (float x : b) {
            assertThat((double) Math.abs(x)).isLessThanOrEqualTo(bound);
            bmax = Math.max(bmax, Math.abs(x));
        }
        assertThat(bmax).isGreaterThan(0.8 * bound);
        assertThat(p.get("decoder_pred.bias").getArray().toFloatArray()).containsOnly(0f);
        assertThat(p.get("blocks.3.norm2.weight").getArray().toFloatArray()).containsOnly(1f);
        float[] token = p.get("mask_token").getArray().toFloatArray();
        double sq = 0;
        for (float x : token) {
            sq += x * x;
        }
        assertThat(Math.sqrt(sq / token.length)).isCloseTo(0.02, within(0.004));
        for (Parameter q : p.values()) {
            q.close();
        }
    }

    @Test
    void sameSeedSameModelAndSameLoss() {
        MampModel a = model(TINY, 11);
        MampModel b = model(TINY, 11);
        MampModel c = model(TINY, 12);
        try (NDManager m = root.newSubManager()) {
            float la = a.forwardPretrain(batch(m, TINY, 1), true, new Random(4)).loss().getFloat();
            float lb = b.forwardPretrain(batch(m, TINY, 1), true, new Random(4)).loss().getFloat();
            float lc = c.forwardPretrain(batch(m, TINY, 1), true, new Random(4)).loss().getFloat();
            assertThat(lb).isEqualTo(la);
            assertThat(lc).isNotEqualTo(la);
        }
    }

    @Test
    void ablationVariantsChangeTargetAndInput() {
        MampConfig joint = TINY.withVariant(MampConfig.Target.JOINT, MampConfig.Input.POSITION);
        MampConfig motionIn = TINY.withVariant(MampConfig.Target.MOTION, MampConfig.Input.MOTION);
        try (NDManager m = root.newSubManager()) {
            MampModel jm = new MampModel(joint);
            NDArray seqs = jm.toSequences(batch(m, joint, 3));
            assertThat(jm.target(seqs).toFloatArray())
                    .containsExactly(MampModel.normalizePerToken(jm.patchify(seqs)).toFloatArray());
            MampModel pos = model(TINY, 5);
            MampModel mot = model(motionIn, 5);
            float[] ep = pos.embed(seqs).toFloatArray();
            float[] em = mot.embed(seqs).toFloatArray();
            assertThat(em).isNotEqualTo(ep);
            // Motion input embeds D = motion(X) with the same weights.
            assertThat(mot.embed(MampModel.motion(seqs)).toFloatArray()).isNotEqualTo(em);
            assertThat(pos.embed(MampModel.motion(seqs)).toFloatArray()).containsExactly(em);
        }
    }

    @Test
    void adamStepsReduceTheLossOnAFixedBatch() {
        MampModel model = model(TINY, 21);
        Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(3e-3f)).build();
        Map<String, Parameter> params = model.namedParameters();
        float first = 0;
        float last = 0;
        try (NDManager data = root.newSubManager()) {
            NDArray x = batch(data, TINY, 9);
            for (int step = 0; step < 20; step++) {
                try (NDManager m = root.newSubManager()) {
                    NDArray xb = x.duplicate();
                    xb.attach(m);
                    float loss;
                    try (GradientCollector gc = root.getEngine().newGradientCollector()) {
                        NDArray l = model.forwardPretrain(xb, true, new Random(77)).loss();
                        gc.backward(l);
                        loss = l.getFloat();
                    }
                    for (Map.Entry<String, Parameter> e : params.entrySet()) {
                        NDArray w = e.getValue().getArray();
                        NDArray g = w.getGradient();
                        adam.update(e.getKey(), w, g);
                        g.subi(g); // gradients accumulate in PyTorch until zeroed
                        g.close();
                    }
                    if (step == 0) {
                        first = loss;
                    }
                    last = loss;
                }
            }
        }
        assertThat(last).isLessThan(first * 0.7f);
    }

    @Test
    void stepsInChildManagersLeaveNoArraysInTheParameterManager() {
        try (NDManager params = root.newSubManager()) {
            MampModel model = new MampModel(TINY);
            model.initializeSeeded(params, 31);
            Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build();
            int[] sizes = new int[4];
            for (int step = 0; step < 4; step++) {
                try (NDManager m = params.newSubManager()) {
                    NDArray x = batch(m, TINY, step);
                    try (GradientCollector gc = root.getEngine().newGradientCollector()) {
                        gc.backward(model.forwardPretrain(x, true, new Random(step)).loss());
                    }
                    for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
                        NDArray w = e.getValue().getArray();
                        NDArray g = w.getGradient();
                        adam.update(e.getKey(), w, g);
                        g.subi(g);
                        g.close();
                    }
                    model.pooledFeature(x);
                }
                sizes[step] = ((ai.djl.ndarray.BaseNDManager) params).getManagedArrays().size();
            }
            // step 0 creates the optimiser state; afterwards the count stays flat
            assertThat(sizes[3]).isEqualTo(sizes[1]);
            assertThat(sizes[2]).isEqualTo(sizes[1]);
        }
    }

    @Test
    void zeroSecondPersonHasAZeroTargetAndStillCounts() {
        MampModel model = model(TINY, 8);
        try (NDManager m = root.newSubManager()) {
            NDArray b = batch(m, TINY, 3);
            b.set(new ai.djl.ndarray.index.NDIndex("..., 1"), 0f);
            NDArray seqs = model.toSequences(b);
            NDArray target = model.target(seqs);
            // sequences 1 and 3 are the zero persons: 0/sqrt(1e-6) = 0
            assertThat(target.get(1).toFloatArray()).containsOnly(0f);
            assertThat(target.get(3).toFloatArray()).containsOnly(0f);
            MampModel.PretrainOutput out = model.forwardPretrain(b, true, new Random(1));
            assertThat(out.mask().get(1).sum().getFloat()).isEqualTo(15f);
            assertThat(out.loss().getFloat()).isFinite();
        }
    }
}
