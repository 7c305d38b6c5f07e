package io.skeletonssl.methods.mamp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import io.skeletonssl.engine.Autocast;
import io.skeletonssl.engine.Engines;
import io.skeletonssl.engine.Precision;
import io.skeletonssl.models.mamp.MampConfig;
import io.skeletonssl.models.mamp.MampModel;
import io.skeletonssl.training.AdamW;
import io.skeletonssl.training.StepBench;
import io.skeletonssl.training.WeightDecayGroups;

import java.util.Random;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Measures MAMP pretraining steps (forward + backward + AdamW) on random batches of a preset's
 * shape through the shared {@link StepBench} loop. The floating-point work per step is counted
 * analytically from the configuration (matrix products only; backward counted as twice the
 * forward), so GFLOP/s is comparable across machines.
 */
public final class MampStepBenchmark {

    private MampStepBenchmark() {
    }

    /**
     * Runs {@code warmup} unmeasured and {@code steps} measured steps at {@code batch} clips;
     * {@code onStep} receives the step index after each measured step (progress).
     */
    public static StepBench.Result run(MampConfig cfg, int batch, int warmup, int steps, long seed,
                                       LongConsumer onStep) {
        return run(cfg, batch, warmup, steps, seed, Precision.FP32, onStep);
    }

    /** As {@link #run(MampConfig, int, int, int, long, LongConsumer)} with the forward in {@code precision}. */
    public static StepBench.Result run(MampConfig cfg, int batch, int warmup, int steps, long seed, Precision precision,
                                       LongConsumer onStep) {
        try (NDManager root = Engines.cpu().newManager()) {
            MampModel model = new MampModel(cfg);
            model.initializeSeeded(root, seed);
            PairList<String, Parameter> params = new PairList<>(model.namedParameters());
            Random rng = new Random(seed);
            float[] data = randomBatch(cfg, batch, rng);
            Shape shape = new Shape(batch, 3, cfg.frames(), cfg.joints(), cfg.persons());
            try (AdamW opt = new AdamW(params, WeightDecayGroups.timm(params, 0.05, Set.of()), 0.9, 0.95, 1e-8)) {
                opt.zeroGradients();
                return StepBench.measure("mamp", batch, gflopPerStep(cfg, batch), root, warmup, steps,
                        nanos -> step(root, model, opt, data, shape, rng, precision, nanos), onStep);
            }
        }
    }

    private static void step(NDManager root, MampModel model, AdamW opt, float[] data, Shape shape, Random rng,
                             Precision precision, long[] nanos) {
        try (NDManager m = root.newSubManager(); NDScope ignored = new NDScope()) {
            NDArray x = m.create(data, shape);
            StepBench.timeForwardBackward(root, opt, () -> {
                try (Autocast ac = Autocast.enter(precision)) {
                    return model.forwardPretrain(x, true, rng).loss();
                }
            }, nanos);
            StepBench.timeOptimizer(opt, 1e-4, nanos);
        }
    }

    /** A plausible batch: smooth random trajectories (motion-aware masking needs motion). */
    static float[] randomBatch(MampConfig cfg, int batch, Random rng) {
        int t = cfg.frames();
        int v = cfg.joints();
        int m = cfg.persons();
        float[] out = new float[batch * 3 * t * v * m];
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < 3; c++) {
                for (int j = 0; j < v; j++) {
                    for (int p = 0; p < m; p++) {
                        double phase = rng.nextDouble() * 6.28;
                        double amp = 0.05 + 0.2 * rng.nextDouble();
                        double base = rng.nextGaussian() * 0.3;
                        for (int f = 0; f < t; f++) {
                            int idx = (((n * 3 + c) * t + f) * v + j) * m + p;
                            out[idx] = (float) (base + amp * Math.sin(phase + f * 0.1));
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Matrix-product GFLOP of one step: forward counted exactly, backward as two forwards. */
    public static double gflopPerStep(MampConfig cfg, int batch) {
        long seqs = (long) batch * cfg.persons();
        double enc = cfg.depth() * blockFlops(seqs, cfg.visibleTokens(), cfg.dim(), cfg.mlpRatio());
        double dec = cfg.decoderDepth() * blockFlops(seqs, cfg.tokens(), cfg.decoderDim(), cfg.mlpRatio());
        double embed = 2.0 * seqs * cfg.tokens() * cfg.patchSize() * cfg.dim();
        double heads = 2.0 * seqs * cfg.visibleTokens() * cfg.dim() * cfg.decoderDim()
                + 2.0 * seqs * cfg.tokens() * cfg.decoderDim() * cfg.patchSize();
        return 3 * (enc + dec + embed + heads) / 1e9;
    }

    /** Forward FLOP of one pre-norm transformer block over {@code seqs} sequences of {@code len} tokens. */
    static double blockFlops(long seqs, long len, long dim, double mlpRatio) {
        double tokens = (double) seqs * len;
        double linear = 2 * tokens * dim * dim * (3 + 1 + 2 * mlpRatio);
        double attention = 2 * 2 * tokens * len * dim; // q·kᵀ and attn·v
        return linear + attention;
    }
}
