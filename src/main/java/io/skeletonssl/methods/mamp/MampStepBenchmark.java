package io.skeletonssl.methods.mamp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.PairList;
import io.skeletonssl.engine.Engines;
import io.skeletonssl.models.mamp.MampConfig;
import io.skeletonssl.models.mamp.MampModel;
import io.skeletonssl.training.AdamW;
import io.skeletonssl.training.WeightDecayGroups;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Measures MAMP pretraining steps (forward + backward + AdamW) on random batches of a preset's
 * shape, timing each phase, and the machine's float32 matrix-multiply rate for comparison. The
 * floating-point work per step is counted analytically from the configuration (matrix products
 * only; backward counted as twice the forward), so GFLOP/s is comparable across machines.
 */
public final class MampStepBenchmark {

    /** Timings of one measured configuration. */
    public record Result(int batch, int steps, double forwardSeconds, double backwardSeconds, double optimizerSeconds,
                         double gflopPerStep, long rssStartBytes, long rssEndBytes, List<Double> rssTraceMb,
                         List<Double> heapTraceMb, List<Integer> rootArraysTrace, double lastTenthSecondsPerStep) {
        public double secondsPerStep() {
            return (forwardSeconds + backwardSeconds + optimizerSeconds) / steps;
        }

        public double gflops() {
            return gflopPerStep / secondsPerStep();
        }

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("batch", batch);
            m.put("steps", steps);
            m.put("seconds_per_step", secondsPerStep());
            m.put("steps_per_s", 1 / secondsPerStep());
            m.put("samples_per_s", batch / secondsPerStep());
            m.put("forward_s", forwardSeconds / steps);
            m.put("backward_s", backwardSeconds / steps);
            m.put("optimizer_s", optimizerSeconds / steps);
            m.put("gflop_per_step", gflopPerStep);
            m.put("gflops", gflops());
            m.put("rss_start_mb", rssStartBytes / 1e6);
            m.put("rss_end_mb", rssEndBytes / 1e6);
            m.put("rss_trace_mb", rssTraceMb);
            m.put("heap_live_trace_mb", heapTraceMb);
            m.put("root_arrays_trace", rootArraysTrace);
            m.put("last_tenth_seconds_per_step", lastTenthSecondsPerStep);
            return m;
        }
    }

    private MampStepBenchmark() {
    }

    /**
     * Runs {@code warmup} unmeasured and {@code steps} measured steps at {@code batch} clips;
     * {@code onStep} receives the step index after each measured step (progress).
     */
    public static Result run(MampConfig cfg, int batch, int warmup, int steps, long seed, LongConsumer onStep) {
        try (NDManager root = Engines.cpu().newManager()) {
            MampModel model = new MampModel(cfg);
            model.initializeSeeded(root, seed);
            PairList<String, Parameter> params = new PairList<>(model.namedParameters());
            Random rng = new Random(seed);
            float[] data = randomBatch(cfg, batch, rng);
            Shape shape = new Shape(batch, 3, cfg.frames(), cfg.joints(), cfg.persons());
            try (AdamW opt = new AdamW(params, WeightDecayGroups.timm(params, 0.05, Set.of()), 0.9, 0.95, 1e-8)) {
                opt.zeroGradients();
                for (int i = 0; i < warmup; i++) {
                    step(root, model, opt, data, shape, rng, new long[3]);
                }
                long rss0 = residentBytes();
                long[] nanos = new long[3];
                List<Double> trace = new ArrayList<>();
                List<Double> heapTrace = new ArrayList<>();
                List<Integer> arraysTrace = new ArrayList<>();
                int every = Math.max(1, steps / 10);
                int tailFrom = steps - Math.max(1, steps / 10);
                long tail0 = 0;
                for (int i = 0; i < steps; i++) {
                    if (i == tailFrom) {
                        tail0 = nanos[0] + nanos[1] + nanos[2];
                    }
                    step(root, model, opt, data, shape, rng, nanos);
                    if ((i + 1) % every == 0 || i == steps - 1) {
                        // Resident memory, the JVM heap still live after a collection and the arrays the
                        // root manager holds: a leak shows in one of the three (outside the timed phases).
                        trace.add(Math.round(residentBytes() / 1e5) / 10.0);
                        heapTrace.add(Math.round(liveHeapBytes() / 1e5) / 10.0);
                        arraysTrace.add(root.getManagedArrays().size());
                    }
                    if (onStep != null) {
                        onStep.accept(i);
                    }
                }
                double tail = (nanos[0] + nanos[1] + nanos[2] - tail0) / 1e9 / (steps - tailFrom);
                return new Result(batch, steps, nanos[0] / 1e9, nanos[1] / 1e9, nanos[2] / 1e9,
                        gflopPerStep(cfg, batch), rss0, residentBytes(), trace, heapTrace, arraysTrace, tail);
            }
        }
    }

    private static long liveHeapBytes() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static void step(NDManager root, MampModel model, AdamW opt, float[] data, Shape shape, Random rng,
                             long[] nanos) {
        try (NDManager m = root.newSubManager(); NDScope ignored = new NDScope()) {
            NDArray x = m.create(data, shape);
            long t0 = System.nanoTime();
            try (GradientCollector gc = root.getEngine().newGradientCollector()) {
                NDArray loss = model.forwardPretrain(x, true, rng).loss();
                loss.getFloat(); // forces the forward to finish before timing the backward
                long t1 = System.nanoTime();
                gc.backward(loss);
                opt.gradientsFinite(); // reads every gradient: the backward is complete
                long t2 = System.nanoTime();
                nanos[0] += t1 - t0;
                nanos[1] += t2 - t1;
            }
            long t3 = System.nanoTime();
            opt.step(1e-4);
            opt.zeroGradients();
            nanos[2] += System.nanoTime() - t3;
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

    /** The machine's float32 matrix-multiply rate through the same engine: best of a few n×n products. */
    public static double matmulGflops(int n, int repeats) {
        try (NDManager m = Engines.cpu().newManager()) {
            NDArray a = m.randomNormal(new Shape(n, n));
            NDArray b = m.randomNormal(new Shape(n, n));
            a.matMul(b).close();
            double best = 0;
            for (int i = 0; i < repeats; i++) {
                long t0 = System.nanoTime();
                NDArray c = a.matMul(b);
                c.getFloat(0, 0);
                double s = (System.nanoTime() - t0) / 1e9;
                c.close();
                best = Math.max(best, 2.0 * n * n * n / s / 1e9);
            }
            return best;
        }
    }

    /** Resident set size of this process (Linux), or -1. */
    public static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
