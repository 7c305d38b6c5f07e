package io.skeletonssl.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.PairList;
import io.skeletonssl.engine.Engines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static io.skeletonssl.training.OptimizerTest.param;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pieces together: a tiny least-squares model trained with AdamW on the MAMP schedule,
 * interrupted after a checkpoint and resumed into fresh parameters and a fresh optimizer, ends
 * bit-identical to the uninterrupted run.
 */
class ResumeTest {

    private static final int EPOCHS = 6;
    private static final int ITERS = 4;

    @TempDir
    Path tmp;

    private static PairList<String, Parameter> model(NDManager m) {
        PairList<String, Parameter> p = new PairList<>();
        p.add("fc_weight", param(m, "w", m.create(new float[] {0.1f, -0.2f, 0.3f, 0.05f, 0.0f, -0.1f}, new Shape(2, 3))));
        p.add("fc_bias", param(m, "b", m.create(new float[] {0f, 0f}, new Shape(2))));
        return p;
    }

    private static float loss(NDManager m, PairList<String, Parameter> p, int epoch, int it) {
        // deterministic "batch": depends only on (epoch, it), like a seeded loader
        float s = epoch * ITERS + it;
        NDArray x = m.create(new float[] {1 + s * 0.1f, -0.5f, 0.25f * (it + 1)}, new Shape(3, 1));
        NDArray y = m.create(new float[] {1f, -1f}, new Shape(2, 1));
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.zeroGradients();
            NDArray out = p.get("fc_weight").getArray().matMul(x).add(p.get("fc_bias").getArray().reshape(2, 1));
            NDArray l = out.sub(y).square().mean();
            gc.backward(l);
            return l.getFloat();
        }
    }

    /** Trains epochs [from, to) and returns the last loss; saves a checkpoint after each epoch. */
    private static float train(NDManager m, PairList<String, Parameter> p, AdamW opt, RunDirectory run,
                               int from, int to) throws IOException {
        LrSchedule lr = new WarmupCosine(0.05, 0.01, 2, EPOCHS);
        float last = Float.NaN;
        for (int e = from; e < to; e++) {
            for (int it = 0; it < ITERS; it++) {
                last = loss(m, p, e, it);
                opt.step(lr.at(e, it, ITERS));
            }
            run.appendMetrics(Map.of("epoch", e, "loss", last));
            run.saveCheckpoint(e, opt.steps(), 7, p, opt, null, null, 2, EPOCHS);
        }
        return last;
    }

    @Test
    void resumedRunEqualsUninterruptedRun() throws IOException {
        try (NDManager m = Engines.cpu().newManager()) {
            PairList<String, Parameter> a = model(m);
            float lossA;
            try (AdamW opt = AdamW.mamp(a, WeightDecayGroups.timm(a, 0.05, Set.of()))) {
                lossA = train(m, a, opt, RunDirectory.open(tmp.resolve("a")), 0, EPOCHS);
            }
            RunDirectory runB = RunDirectory.open(tmp.resolve("b"));
            PairList<String, Parameter> b1 = model(m);
            try (AdamW opt = AdamW.mamp(b1, WeightDecayGroups.timm(b1, 0.05, Set.of()))) {
                train(m, b1, opt, runB, 0, 3);
            }
            // "killed" after epoch 2; epoch 3's metrics row was written but not its checkpoint
            runB.appendMetrics(Map.of("epoch", 3, "loss", 123.0));
            Checkpoint c = runB.requireLatest();
            assertThat(c.epoch()).isEqualTo(2);
            runB.truncateMetricsAfter(c.epoch());
            PairList<String, Parameter> b2 = model(m);
            float lossB;
            try (AdamW opt = AdamW.mamp(b2, WeightDecayGroups.timm(b2, 0.05, Set.of()))) {
                c.loadInto(b2, false);
                c.restoreOptimizer(opt);
                assertThat(opt.steps()).isEqualTo(c.globalStep()).isEqualTo(3L * ITERS);
                lossB = train(m, b2, opt, runB, c.epoch() + 1, EPOCHS);
            }
            assertThat(lossB).isEqualTo(lossA);
            for (int i = 0; i < a.size(); i++) {
                assertThat(b2.get(i).getValue().getArray().toFloatArray()).containsExactly(a.get(i).getValue().getArray().toFloatArray());
            }
            assertThat(runB.readMetrics()).extracting(r -> r.get("epoch")).containsExactly("0", "1", "2", "3", "4", "5");
            assertThat(runB.readMetrics()).isEqualTo(RunDirectory.open(tmp.resolve("a")).readMetrics());
            assertThat(runB.checkpointEpochs()).containsExactly(0, 2, 4, 5);
            assertThat(lossA).isLessThan(loss(m, model(m), 5, ITERS - 1)); // it did learn something
        }
    }
}
