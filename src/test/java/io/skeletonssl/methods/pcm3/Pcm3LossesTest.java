package io.skeletonssl.methods.pcm3;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.skeletonssl.engine.Engines;
import io.skeletonssl.engine.FreedMemory;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class Pcm3LossesTest {

    // Two queries, three queue entries, D = 2.
    private static final double[][] Q = {{0.6, 0.8}, {1, 0}};
    private static final double[][] K = {{0.8, 0.6}, {0, 1}};
    private static final double[][] QUEUE = {{1, 0}, {0, 1}, {-0.6, 0.8}};

    @Test
    void infoNceMatchesTheFormula() {
        double expected = 0;
        for (int i = 0; i < 2; i++) {
            double[] logits = new double[4];
            logits[0] = dot(Q[i], K[i]) / 0.07;
            for (int j = 0; j < 3; j++) {
                logits[j + 1] = dot(Q[i], QUEUE[j]) / 0.07;
            }
            expected += logSumExp(logits) - logits[0];
        }
        expected /= 2;
        try (NDManager m = Engines.cpu().newManager()) {
            double got = Pcm3Losses.infoNce(rows(m, Q), rows(m, K), rows(m, QUEUE)).getFloat();
            assertThat(got).isCloseTo(expected, within(1e-4 * expected));
        }
    }

    @Test
    void relationalKlMatchesTheFormula() {
        double[][] s = {{0.2, 0.9}, {-0.5, 0.4}};
        double expected = 0;
        for (int i = 0; i < 2; i++) {
            double[] tl = new double[3];
            double[] sl = new double[3];
            for (int j = 0; j < 3; j++) {
                tl[j] = dot(K[i], QUEUE[j]) / 0.05;
                sl[j] = dot(s[i], QUEUE[j]) / 0.1;
            }
            double tz = logSumExp(tl);
            double sz = logSumExp(sl);
            for (int j = 0; j < 3; j++) {
                double logP = tl[j] - tz;
                expected += Math.exp(logP) * (logP - (sl[j] - sz));
            }
        }
        expected /= 2;
        assertThat(expected).isGreaterThan(0.1);
        try (NDManager m = Engines.cpu().newManager()) {
            double got = Pcm3Losses.relationalKl(rows(m, s), rows(m, K), rows(m, QUEUE)).getFloat();
            assertThat(got).isCloseTo(expected, within(1e-4 * expected));
        }
    }

    @Test
    void klVanishesWhenTeacherAndStudentLogitsAgree() {
        try (NDManager m = Engines.cpu().newManager()) {
            NDArray t = rows(m, K);
            NDArray queue = rows(m, QUEUE);
            assertThat(Pcm3Losses.relationalKl(t, t, queue, 0.1, 0.1).getFloat()).isCloseTo(0f, within(1e-6f));
            // ⟨2t, q⟩/0.1 = ⟨t, q⟩/0.05: equal logits at the official temperatures.
            assertThat(Pcm3Losses.relationalKl(t.mul(2), t, queue).getFloat()).isCloseTo(0f, within(1e-6f));
            assertThat(Pcm3Losses.relationalKl(t, t, queue).getFloat()).isGreaterThan(1e-3f);
        }
    }

    @Test
    void gradientsReachQueriesAndStudentsButNotKeysOrTeachers() {
        try (NDManager m = Engines.cpu().newManager()) {
            NDArray student = rows(m, Q);
            NDArray teacher = rows(m, K);
            NDArray key = rows(m, K);
            NDArray queue = rows(m, QUEUE);
            for (NDArray a : new NDArray[]{student, teacher, key, queue}) {
                a.setRequiresGradient(true);
            }
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(Pcm3Losses.relationalKl(student, teacher, queue)
                        .add(Pcm3Losses.infoNce(student, key, queue)));
            }
            assertThat(student.getGradient().abs().sum().getFloat()).isGreaterThan(1e-3f);
            assertThat(teacher.getGradient().toFloatArray()).containsOnly(0f);
            assertThat(key.getGradient().toFloatArray()).containsOnly(0f);
            assertThat(queue.getGradient().toFloatArray()).containsOnly(0f);
        }
    }

    /**
     * The temperatures, the batch size, the loss weights and normalize's floor are constants of the
     * recorded graph that every backward reads: a garbage collection between the forward and the
     * backward (what a busy machine's loader threads cause at random steps) must not change a
     * gradient. With DJL's {@code div(Number)} and the like, the backward read freed memory here.
     */
    @Test
    void gradientsDoNotDependOnACollectionBeforeTheBackward() throws Exception {
        float[] calm = lossGradients(false);
        float[] collected = lossGradients(true);
        assertThat(calm).doesNotContain(Float.NaN);
        assertThat(collected).containsExactly(calm);
    }

    /**
     * d/d(student, query) of a weighted total of InfoNCE and distillation terms on normalised rows (a
     * distillation term in the reconstruction slot, so that its weight 40 is on a differentiated path).
     */
    private static float[] lossGradients(boolean collect) throws Exception {
        try (NDManager m = Engines.cpu().newManager()) {
            NDArray student = rows(m, new double[][]{{0.2, 0.9}, {-0.5, 0.4}});
            NDArray query = rows(m, Q);
            student.setRequiresGradient(true);
            query.setRequiresGradient(true);
            NDArray key = rows(m, K);
            NDArray queue = rows(m, QUEUE);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray s = Pcm3Losses.normalize(student);
                NDArray q = Pcm3Losses.normalize(query);
                NDArray zero = m.zeros(new Shape());
                Pcm3Losses.Terms terms = new Pcm3Losses.Terms(Pcm3Losses.infoNce(q, key, queue),
                        Pcm3Losses.infoNce(s, key, queue), zero, zero, Pcm3Losses.relationalKl(s, key, queue),
                        Pcm3Losses.relationalKl(q, key, queue));
                NDArray total = Pcm3Losses.total(terms, new Pcm3Losses.Weights(40, 0.5, true)).total();
                if (collect) {
                    try (FreedMemory ignored = FreedMemory.collectAndOverwrite()) {
                        gc.backward(total);
                    }
                } else {
                    gc.backward(total);
                }
            }
            float[] a = student.getGradient().toFloatArray();
            float[] b = query.getGradient().toFloatArray();
            float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, out, a.length, b.length);
            return out;
        }
    }

    @Test
    void reconstructionCountsOnlyMaskedEntries() {
        // Batch of 2 samples of 4 values; mask (1 = visible) shared: entries 1 and 3 hidden.
        float[] recon = {1, 2, 3, 4, 5, 6, 7, 8};
        float[] target = {0, 0, 0, 1, 9, 9, 9, 9};
        float[] mask = {1, 0, 1, 0};
        double expected = (4.0 + 9 + 9 + 1) / 4;
        try (NDManager m = Engines.cpu().newManager()) {
            NDArray r = m.create(recon, new Shape(2, 4));
            NDArray t = m.create(target, new Shape(2, 4));
            NDArray k = m.create(mask, new Shape(1, 4));
            assertThat((double) Pcm3Losses.maskedReconstruction(r, t, k).getFloat()).isCloseTo(expected, within(1e-6));
            float[] changed = recon.clone();
            changed[0] = 100;
            changed[6] = -50;
            NDArray r2 = m.create(changed, new Shape(2, 4));
            assertThat((double) Pcm3Losses.maskedReconstruction(r2, t, k).getFloat()).isCloseTo(expected, within(1e-6));
            r.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(Pcm3Losses.maskedReconstruction(r, t, k));
            }
            // d/dr of Σ hidden·(r − t)² / 4 = hidden·(r − t)/2.
            assertThat(r.getGradient().toFloatArray())
                    .containsExactly(new float[]{0, 1, 0, 1.5f, 0, -1.5f, 0, -0.5f}, within(1e-6f));
        }
    }

    @Test
    void totalsAddTheRightTerms() {
        try (NDManager m = Engines.cpu().newManager()) {
            Pcm3Losses.Terms terms = new Pcm3Losses.Terms(m.create(1f), m.create(2f), m.create(3f), m.create(4f),
                    m.create(5f), m.create(0.5f));
            Pcm3Losses.Total with = Pcm3Losses.total(terms, Pcm3Losses.Weights.withPrompts());
            assertThat(with.total().getFloat()).isEqualTo(1 + 2 + 3 + 4 + 5 + 40 * 0.5f);
            Pcm3Losses.Total without = Pcm3Losses.total(terms, Pcm3Losses.Weights.withoutPrompts());
            assertThat(without.total().getFloat()).isEqualTo(1 + 2 + 3 + 4 + 40 * 0.5f);
            Pcm3Losses.Total custom = Pcm3Losses.total(terms, new Pcm3Losses.Weights(10, 0.5, true));
            assertThat(custom.total().getFloat()).isEqualTo(1 + 2 + 3 + 4 + 2.5f + 5f);
            Map<String, Double> values = without.values();
            assertThat(values).containsKeys("ce_query", "ce_mix", "ce_masked", "ce_reconstructed", "kd",
                    "reconstruction", "total");
            assertThat(values.get("kd")).isEqualTo(5.0);
            assertThat(values.get("total")).isEqualTo(30.0);
        }
    }

    @Test
    void normalizeGivesUnitRows() {
        try (NDManager m = Engines.cpu().newManager()) {
            float[] n = Pcm3Losses.normalize(m.create(new float[]{3, 4, 0, 0}, new Shape(2, 2))).toFloatArray();
            assertThat(n).containsExactly(new float[]{0.6f, 0.8f, 0, 0}, within(1e-6f));
        }
    }

    private static NDArray rows(NDManager m, double[][] a) {
        float[] f = new float[a.length * a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                f[i * a[0].length + j] = (float) a[i][j];
            }
        }
        return m.create(f, new Shape(a.length, a[0].length));
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double logSumExp(double[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v);
        }
        double s = 0;
        for (double v : x) {
            s += Math.exp(v - max);
        }
        return max + Math.log(s);
    }
}
