package io.skeletonssl.eval;

import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import io.skeletonssl.training.Sgd;
import io.skeletonssl.training.TrainingDivergedException;
import io.skeletonssl.training.WeightDecayGroups;
import io.skeletonssl.util.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The probe head and its training loop on synthetic features whose answer is known. */
class HeadTrainerTest {

    private static final int DIM = 16;
    private static final int CLASSES = 4;

    @BeforeAll
    static void quiet() {
        Progress.setEnabled(false);
    }

    private static ProbeRecipe config(int epochs, long seed) {
        return ProbeRecipe.mamp(new ProbeConfig(epochs, 32, 0.1, 0.0, 0.0, 0.9, 0.0, 1e-6, 0, seed));
    }

    /**
     * Class c adds 1 to feature c, plus noise 0.2; everything is then scaled by 0.01 and shifted by
     * 50, so only a head that standardises its input (BatchNorm) trains well at lr 0.1.
     */
    private static Features clusters(int n, long seed, boolean randomLabels) {
        Random r = new Random(seed);
        float[][] rows = new float[n][DIM];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int c = i % CLASSES;
            for (int d = 0; d < DIM; d++) {
                double v = (d == c ? 1 : 0) + 0.2 * r.nextGaussian();
                rows[i][d] = (float) (50 + 0.01 * v);
            }
            labels[i] = randomLabels ? r.nextInt(CLASSES) : c;
        }
        return new Features(rows, labels, 0);
    }

    private static List<HeadTrainer.Epoch> fit(Features train, Features test, int epochs, long seed) throws Exception {
        HeadTrainer t = new HeadTrainer(config(epochs, seed), DIM, CLASSES);
        return t.fit(e -> train, train.size() / 32, test, e -> { });
    }

    @Test
    void aNonFiniteLossStopsTheProbeNamingItsEpochAndStep() {
        Features train = clusters(256, 1, false);
        int poisoned = 77;
        train.rows()[poisoned][3] = Float.NaN; // one bad training feature: the batch holding it has a NaN loss
        int[] order = HeadTrainer.permutation(train.size(), 5, 1);
        int position = 0;
        while (order[position] != poisoned) {
            position++;
        }
        long step = 8 + position / 32; // epoch 0 has 256 / 32 = 8 clean steps
        List<HeadTrainer.Epoch> recorded = new ArrayList<>();
        Features clean = clusters(256, 1, false);
        // epoch 0 trains on clean features, epoch 1 on the poisoned ones
        assertThatThrownBy(() -> new HeadTrainer(config(3, 5), DIM, CLASSES, "occlusion probe")
                .fit(e -> e == 0 ? clean : train, 8, clusters(64, 2, false), null, recorded::add))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessage("occlusion probe: loss became NaN at epoch 1 step " + step
                        + "; stopped without recording a result (lower linear_probe.lr)");
        assertThat(recorded).extracting(HeadTrainer.Epoch::epoch).containsExactly(0);
    }

    @Test
    void separableFeaturesReachAboutHundredPercent() throws Exception {
        List<HeadTrainer.Epoch> h = fit(clusters(400, 1, false), clusters(200, 2, false), 8, 0);
        HeadTrainer.Epoch last = h.get(h.size() - 1);
        assertThat(last.testTop1()).isGreaterThanOrEqualTo(98.0);
        assertThat(last.trainTop1()).isGreaterThanOrEqualTo(95.0);
        assertThat(last.testTopK()).isEqualTo(100.0); // top-4 of 4 classes
        assertThat(last.loss()).isLessThan(h.get(0).loss());
        assertThat(last.lr()).isLessThan(0.01); // cosine to 0 over the run, per iteration
    }

    @Test
    void randomLabelsStayNearChance() throws Exception {
        List<HeadTrainer.Epoch> h = fit(clusters(400, 3, true), clusters(400, 4, true), 8, 0);
        assertThat(h.get(h.size() - 1).testTop1()).isBetween(15.0, 37.0); // chance 25%, σ ≈ 2.2 points
    }

    @Test
    void sameSeedSameNumbersOtherSeedOtherNumbers() throws Exception {
        Features train = clusters(200, 5, true);
        Features test = clusters(100, 6, true);
        List<HeadTrainer.Epoch> a = fit(train, test, 3, 7);
        List<HeadTrainer.Epoch> b = fit(train, test, 3, 7);
        List<HeadTrainer.Epoch> c = fit(train, test, 3, 8);
        for (int e = 0; e < 3; e++) {
            assertThat(b.get(e).loss()).isEqualTo(a.get(e).loss());
            assertThat(b.get(e).testTop1()).isEqualTo(a.get(e).testTop1());
        }
        assertThat(c.get(2).loss()).isNotEqualTo(a.get(2).loss());
    }

    @Test
    void firstStepLossIsCrossEntropyOfTheTrueClassComputedByHand() {
        Features f = clusters(8, 9, false);
        int[] all = {0, 1, 2, 3, 4, 5, 6, 7};
        float[] x = f.gather(all, 0, 8);
        int[] y = f.gatherLabels(all, 0, 8);
        try (ProbeHead head = new ProbeHead(DIM, CLASSES, 1e-6, 0)) {
            PairList<String, Parameter> p = head.parameters();
            float[] w = p.get("weight").getArray().toFloatArray();
            float[] bias = p.get("bias").getArray().toFloatArray();
            assertThat(bias).containsOnly(0f);
            double sd = 0;
            for (float v : w) {
                sd += v * v;
            }
            assertThat(Math.sqrt(sd / w.length)).isCloseTo(0.01, within(0.003)); // trunc_normal(std 0.01)
            double expected = hostLoss(x, y, w);
            try (Sgd opt = new Sgd(p, WeightDecayGroups.uniform(p, 0.0), 0.9)) {
                ProbeHead.Step s = head.trainStep(x, y, opt, 0.1);
                assertThat(s.loss()).isCloseTo(expected, within(1e-5));
            }
        }
    }

    @Test
    void pcm3PlainLinearHeadHasNoBatchNormAndLearnsUnshiftedClusters() throws Exception {
        try (ProbeHead head = new ProbeHead(2048, 60, Double.NaN, 0)) {
            assertThat(head.batchNorm()).isNull();
            float[] w = head.parameters().get("weight").getArray().toFloatArray();
            assertThat(w).hasSize(2048 * 60);
            assertThat(head.parameters().get("bias").getArray().toFloatArray()).containsOnly(0f);
            double sum = 0;
            double sq = 0;
            for (float v : w) {
                sum += v;
                sq += v * v;
            }
            assertThat(sum / w.length).isCloseTo(0.0, within(2e-4)); // N(0, 0.01²): standard error 2.9e-5
            assertThat(Math.sqrt(sq / w.length - Math.pow(sum / w.length, 2))).isCloseTo(0.01, within(2e-4));
            // logits of the untrained head are x·Wᵀ + 0: no normalisation in between
            float[] x = new float[2048];
            x[5] = 2f;
            float[] z = head.logits(x, 1);
            for (int c = 0; c < 60; c++) {
                assertThat(z[c]).isCloseTo(2f * w[c * 2048 + 5], within(1e-6f));
            }
        }
        // the shifted, scaled clusters above need the BatchNorm; plain class-indicator features do not
        Features train = unshifted(clusters(400, 1, false));
        Features test = unshifted(clusters(200, 2, false));
        ProbeRecipe recipe = new ProbeRecipe(8, 32, new io.skeletonssl.training.StepDecay(0.1, new int[] {4, 6}, 0.1),
                0.9, 0.0, Double.NaN, 0, 0);
        List<HeadTrainer.Epoch> h = new HeadTrainer(recipe, DIM, CLASSES).fit(e -> train, train.size() / 32, test,
                e -> { });
        assertThat(h.get(h.size() - 1).testTop1()).isGreaterThanOrEqualTo(95.0);
        assertThat(h.get(3).lr()).isEqualTo(0.1);
        assertThat(h.get(4).lr()).isCloseTo(0.01, within(1e-15));
        assertThat(h.get(7).lr()).isCloseTo(0.001, within(1e-15));
    }

    /** Undoes the ×0.01 + 50 of {@link #clusters}. */
    private static Features unshifted(Features f) {
        float[][] rows = new float[f.size()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new float[DIM];
            for (int d = 0; d < DIM; d++) {
                rows[i][d] = (f.rows()[i][d] - 50f) * 100f;
            }
        }
        return new Features(rows, f.labels(), 0);
    }

    /** BN with batch statistics (biased variance), logits z = x̂·Wᵀ, mean of −log softmax(z)[y]. */
    private static double hostLoss(float[] x, int[] y, float[] w) {
        int n = y.length;
        double[][] xh = new double[n][DIM];
        for (int d = 0; d < DIM; d++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += x[i * DIM + d];
            }
            mean /= n;
            double var = 0;
            for (int i = 0; i < n; i++) {
                var += Math.pow(x[i * DIM + d] - mean, 2);
            }
            var /= n;
            for (int i = 0; i < n; i++) {
                xh[i][d] = (x[i * DIM + d] - mean) / Math.sqrt(var + 1e-6);
            }
        }
        double loss = 0;
        for (int i = 0; i < n; i++) {
            double[] z = new double[CLASSES];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < CLASSES; c++) {
                for (int d = 0; d < DIM; d++) {
                    z[c] += xh[i][d] * w[c * DIM + d];
                }
                max = Math.max(max, z[c]);
            }
            double sum = 0;
            for (int c = 0; c < CLASSES; c++) {
                sum += Math.exp(z[c] - max);
            }
            loss += -(z[y[i]] - max - Math.log(sum));
        }
        return loss / n;
    }
}
