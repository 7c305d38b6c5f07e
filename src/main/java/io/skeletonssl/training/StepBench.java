package io.skeletonssl.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.skeletonssl.engine.Engines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * The measuring loop shared by the methods' training-step benchmarks ({@code bench train}):
 * warm-up steps, then measured steps timed phase by phase (forward, backward, optimizer), with
 * memory traces that show a leak (resident size, the live JVM heap after a collection and the
 * arrays the model's root manager holds), and the machine's matrix-multiply rate for comparison.
 */
public final class StepBench {

    /** Phase indices into the nanosecond counters a {@link Step} adds to. */
    public static final int FORWARD = 0;
    public static final int BACKWARD = 1;
    public static final int OPTIMIZER = 2;

    /** One full training step; adds the time of each phase to {@code phaseNanos[FORWARD..OPTIMIZER]}. */
    @FunctionalInterface
    public interface Step {
        void run(long[] phaseNanos);
    }

    /**
     * The timings and memory traces of one measured configuration. {@code gflopPerStep} is an
     * analytic estimate of the step's matrix-product work (see each method's benchmark).
     */
    public record Result(String method, int batch, int steps, double forwardSeconds, double backwardSeconds,
                         double optimizerSeconds, double minStepSeconds, double maxStepSeconds, double gflopPerStep,
                         long rssStartBytes, long rssEndBytes, List<Double> rssTraceMb, List<Double> heapTraceMb,
                         List<Integer> rootArraysTrace, double lastTenthSecondsPerStep) {

        public Result {
            rssTraceMb = List.copyOf(rssTraceMb);
            heapTraceMb = List.copyOf(heapTraceMb);
            rootArraysTrace = List.copyOf(rootArraysTrace);
        }

        public double secondsPerStep() {
            return (forwardSeconds + backwardSeconds + optimizerSeconds) / steps;
        }

        public double gflops() {
            return gflopPerStep / secondsPerStep();
        }

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("method", method);
            m.put("batch", batch);
            m.put("steps", steps);
            m.put("seconds_per_step", secondsPerStep());
            m.put("min_seconds_per_step", minStepSeconds);
            m.put("max_seconds_per_step", maxStepSeconds);
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

    private StepBench() {
    }

    private static final ThreadLocal<Path> PROFILE = new ThreadLocal<>();

    /**
     * Profiles the measured steps of the next {@link #measure} on this thread with the engine's
     * operator profiler and writes its Chrome trace to {@code trace} (the profiler's overhead is in
     * those steps' timings); closing disarms it.
     */
    public static AutoCloseable profileInto(Path trace) {
        PROFILE.set(trace);
        return PROFILE::remove;
    }

    /**
     * Runs {@code warmup} unmeasured and {@code steps} measured steps. Every {@code max(1, steps/10)}
     * steps (and after the last) it records the resident size, the live heap and the arrays
     * {@code root} holds, outside the timed phases; {@code onStep} receives each measured step's index.
     */
    public static Result measure(String method, int batch, double gflopPerStep, NDManager root, int warmup,
                                 int steps, Step step, LongConsumer onStep) {
        if (steps < 1 || warmup < 0) {
            throw new IllegalArgumentException("steps must be >= 1 and warmup >= 0, got " + steps + ", " + warmup);
        }
        for (int i = 0; i < warmup; i++) {
            step.run(new long[3]);
        }
        Path trace = PROFILE.get();
        PROFILE.remove();
        if (trace != null) {
            io.skeletonssl.engine.OpProfile.start();
        }
        long rss0 = residentBytes();
        long[] nanos = new long[3];
        List<Double> rss = new ArrayList<>();
        List<Double> heap = new ArrayList<>();
        List<Integer> arrays = new ArrayList<>();
        int every = Math.max(1, steps / 10);
        int tailFrom = steps - Math.max(1, steps / 10);
        long tail0 = 0;
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < steps; i++) {
            long before = nanos[FORWARD] + nanos[BACKWARD] + nanos[OPTIMIZER];
            if (i == tailFrom) {
                tail0 = before;
            }
            step.run(nanos);
            long took = nanos[FORWARD] + nanos[BACKWARD] + nanos[OPTIMIZER] - before;
            min = Math.min(min, took);
            max = Math.max(max, took);
            if ((i + 1) % every == 0 || i == steps - 1) {
                rss.add(Math.round(residentBytes() / 1e5) / 10.0);
                heap.add(Math.round(liveHeapBytes() / 1e5) / 10.0);
                arrays.add(root.getManagedArrays().size());
            }
            if (onStep != null) {
                onStep.accept(i);
            }
        }
        if (trace != null) {
            try {
                io.skeletonssl.engine.OpProfile.stop(trace);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        double tail = (nanos[FORWARD] + nanos[BACKWARD] + nanos[OPTIMIZER] - tail0) / 1e9 / (steps - tailFrom);
        return new Result(method, batch, steps, nanos[FORWARD] / 1e9, nanos[BACKWARD] / 1e9, nanos[OPTIMIZER] / 1e9,
                min / 1e9, max / 1e9, gflopPerStep, rss0, residentBytes(), rss, heap, arrays, tail);
    }

    /**
     * Times one forward (until the loss value is available) and its backward (until every gradient
     * has been read by {@code opt}'s finiteness check), adding to the FORWARD and BACKWARD counters.
     */
    public static void timeForwardBackward(NDManager root, ParamOptimizer opt, Supplier<NDArray> forwardLoss,
                                           long[] nanos) {
        long t0 = System.nanoTime();
        try (GradientCollector gc = root.getEngine().newGradientCollector()) {
            NDArray loss = forwardLoss.get();
            loss.getFloat(); // forces the forward to finish before timing the backward
            long t1 = System.nanoTime();
            gc.backward(loss);
            opt.gradientsFinite(); // reads every gradient: the backward is complete
            long t2 = System.nanoTime();
            nanos[FORWARD] += t1 - t0;
            nanos[BACKWARD] += t2 - t1;
        }
    }

    /** Times the optimizer's update at {@code lr} and the zeroing of the gradients (OPTIMIZER counter). */
    public static void timeOptimizer(ParamOptimizer opt, double lr, long[] nanos) {
        long t0 = System.nanoTime();
        opt.step(lr);
        opt.zeroGradients();
        nanos[OPTIMIZER] += System.nanoTime() - t0;
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

    /** PyTorch's intra-op thread count (the engine's own default unless -Dai.djl.pytorch.num_threads set it). */
    public static int engineThreads() {
        Engines.cpu(); // loads the native library first
        return ai.djl.pytorch.jni.JniUtils.getNumThreads();
    }

    /** The one-minute load average (Linux), or -1: on a shared machine it says how much CPU others used. */
    public static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
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

    /** The JVM heap still in use after a requested collection. */
    static long liveHeapBytes() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
