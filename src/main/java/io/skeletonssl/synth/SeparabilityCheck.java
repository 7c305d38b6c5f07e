package io.skeletonssl.synth;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.skeletonssl.dataset.Sample;
import io.skeletonssl.engine.Scalars;
import io.skeletonssl.formats.Protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Measures how hard the synthetic dataset is on the NTU-60 cross-subject split: a linear softmax
 * classifier (L2-regularised, regularisation chosen on held-out training subjects) on the raw
 * flattened coordinates resampled to 32 frames, against a small temporal convolution network on
 * positions and velocities. A good dataset leaves the linear model far below the network.
 *
 * <p>Run it as {@code skeleton-ssl bench separability}; it prints both accuracies and writes
 * them, with the dataset size and timings, as JSON.
 */
public final class SeparabilityCheck {

    static final int RAW_FRAMES = 32;
    static final int NET_FRAMES = 64;
    private static final int V = 25;
    private static final int M = 2;

    private SeparabilityCheck() {
    }

    /** Generates the data, trains both models and returns the measurements. */
    public static Map<String, Object> run(SynthConfig config, int epochs, int linearEpochs, int threads)
            throws Exception {
        String engine = Engine.getEngine("PyTorch").getEngineName() + " " + Engine.getEngine("PyTorch").getVersion();
        SyntheticGenerator gen = new SyntheticGenerator(config);
        int k = config.classes();

        // speed: one core, a fresh generator
        long t0 = System.nanoTime();
        int speedN = Math.min(gen.size(), 2000);
        long frames = 0;
        for (int i = 0; i < speedN; i++) {
            frames += gen.generate(i).validFrames();
        }
        double speedSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("generation: %d clips (%d frames) in %.2f s on one thread = %.0f clips/s%n", speedN,
                frames, speedSeconds, speedN / speedSeconds);

        int n = gen.size();
        float[][] raw = new float[n][];
        float[][] net = new float[n][];
        int[] labels = new int[n];
        boolean[] train = new boolean[n];
        int[] subject = new int[n];
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int i0 = 0; i0 < n; i0 += 64) {
                int from = i0;
                fs.add(pool.submit(() -> {
                    for (int i = from; i < Math.min(n, from + 64); i++) {
                        Sample s = gen.generate(i);
                        raw[i] = resample(s, RAW_FRAMES);
                        net[i] = netFeatures(s, NET_FRAMES);
                        labels[i] = s.label();
                        train[i] = "train".equals(Protocol.NTU60_XSUB.assign(s));
                        subject[i] = s.meta().subject();
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        int[] trainIdx = select(train, true);
        int[] testIdx = select(train, false);
        System.out.printf("dataset: %d clips, %d classes, xsub train %d / test %d%n", n, k, trainIdx.length,
                testIdx.length);

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("engine", engine);
        result.put("config", config.toOptions());
        result.put("clips", n);
        result.put("classes", k);
        result.put("chance", 1.0 / k);
        result.put("train", trainIdx.length);
        result.put("test", testIdx.length);
        result.put("generationClipsPerSecondOneThread", speedN / speedSeconds);

        // linear softmax on raw coordinates; L2 strength chosen on held-out training subjects
        long t1 = System.nanoTime();
        standardise(raw, trainIdx);
        double[] grid = {1e-4, 1e-3, 1e-2, 1e-1};
        List<Integer> fitSubjects = new ArrayList<>();
        for (int i : trainIdx) {
            if (!fitSubjects.contains(subject[i])) {
                fitSubjects.add(subject[i]);
            }
        }
        fitSubjects.sort(null);
        List<Integer> valSubjects = fitSubjects.subList(fitSubjects.size() * 3 / 4, fitSubjects.size());
        int[] fitIdx = java.util.Arrays.stream(trainIdx).filter(i -> !valSubjects.contains(subject[i])).toArray();
        int[] valIdx = java.util.Arrays.stream(trainIdx).filter(i -> valSubjects.contains(subject[i])).toArray();
        double bestL2 = grid[0];
        double bestVal = -1;
        Map<String, Double> valByL2 = new LinkedHashMap<>();
        for (double l2 : grid) {
            double[] acc = train(linear(k), raw, labels, fitIdx, valIdx, linearEpochs, 128, 1e-3f, (float) l2, null,
                    null);
            valByL2.put(Double.toString(l2), acc[1]);
            System.out.printf("linear l2=%g: fit %.3f, validation %.3f%n", l2, acc[0], acc[1]);
            if (acc[1] > bestVal) {
                bestVal = acc[1];
                bestL2 = l2;
            }
        }
        int[] linPred = new int[testIdx.length];
        double[] lin = train(linear(k), raw, labels, trainIdx, testIdx, linearEpochs, 128, 1e-3f, (float) bestL2, null,
                linPred);
        double linSeconds = (System.nanoTime() - t1) / 1e9;
        perClass(gen.classNames(), labels, testIdx, linPred);
        System.out.printf("LINEAR on raw coordinates (%d frames, l2=%g): train %.3f, TEST %.3f  (%.0f s)%n",
                RAW_FRAMES, bestL2, lin[0], lin[1], linSeconds);
        Map<String, Object> linear = new LinkedHashMap<>();
        linear.put("features", "raw x,y,z of 25 joints x 2 persons, resampled to " + RAW_FRAMES
                + " frames, standardised per feature");
        linear.put("l2", bestL2);
        linear.put("validationAccuracyByL2", valByL2);
        linear.put("epochs", linearEpochs);
        linear.put("trainAccuracy", lin[0]);
        linear.put("testAccuracy", lin[1]);
        linear.put("testAccuracyByClass", perClass(gen.classNames(), labels, testIdx, linPred));
        linear.put("seconds", linSeconds);
        result.put("linearRaw", linear);

        long t2 = System.nanoTime();
        int[] tcnPred = new int[testIdx.length];
        double[] tcn = train(temporalConv(k), net, labels, trainIdx, testIdx, epochs, 32, 1e-3f, 1e-4f,
                new Shape(1, 2 * 3 * V * M, NET_FRAMES), tcnPred);
        double tcnSeconds = (System.nanoTime() - t2) / 1e9;
        System.out.printf("TEMPORAL CONV on positions + velocities (%d frames): train %.3f, TEST %.3f  (%.0f s)%n",
                NET_FRAMES, tcn[0], tcn[1], tcnSeconds);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("features", "positions relative to person 1's first-frame SpineBase and frame-to-frame "
                + "velocities, 25 joints x 2 persons, resampled to " + NET_FRAMES + " frames");
        model.put("architecture", "3 x (Conv1d k=5, BatchNorm, ReLU), stride 2 in layers 2-3, 128 channels, "
                + "global average pool, dropout 0.3, linear");
        model.put("epochs", epochs);
        model.put("trainAccuracy", tcn[0]);
        model.put("testAccuracy", tcn[1]);
        model.put("testAccuracyByClass", perClass(gen.classNames(), labels, testIdx, tcnPred));
        model.put("seconds", tcnSeconds);
        result.put("temporalConv", model);
        return result;
    }

    private static Map<String, Double> perClass(List<String> names, int[] labels, int[] idx, int[] pred) {
        int[] hit = new int[names.size()];
        int[] all = new int[names.size()];
        for (int i = 0; i < idx.length; i++) {
            all[labels[idx[i]]]++;
            if (pred[i] == labels[idx[i]]) {
                hit[labels[idx[i]]]++;
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (int c = 0; c < names.size(); c++) {
            out.put(names.get(c), all[c] == 0 ? Double.NaN : Math.round(1000.0 * hit[c] / all[c]) / 1000.0);
        }
        System.out.println("  per class: " + out);
        return out;
    }

    private static int[] select(boolean[] train, boolean want) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < train.length; i++) {
            if (train[i] == want) {
                out.add(i);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Coordinates (C, T, V, M) linearly resampled over the valid frames to {@code frames} frames. */
    static float[] resample(Sample s, int frames) {
        int t0 = s.frames();
        int plane = s.joints() * s.persons();
        float[] out = new float[3 * frames * plane];
        int valid = Math.max(1, s.validFrames());
        for (int k = 0; k < frames; k++) {
            double pos = frames == 1 ? 0 : (double) k * (valid - 1) / (frames - 1);
            int a = (int) Math.floor(pos);
            int b = Math.min(a + 1, valid - 1);
            double w = pos - a;
            for (int c = 0; c < 3; c++) {
                for (int j = 0; j < plane; j++) {
                    float xa = s.data()[(c * t0 + a) * plane + j];
                    float xb = s.data()[(c * t0 + b) * plane + j];
                    out[(c * frames + k) * plane + j] = (float) (xa + w * (xb - xa));
                }
            }
        }
        return out;
    }

    /**
     * Per-frame input of the network, channels-first (2·3·V·M, frames): positions relative to the
     * first person's SpineBase in the first frame, then velocities (scaled, as they are small).
     */
    static float[] netFeatures(Sample s, int frames) {
        float[] r = resample(s, frames);
        int plane = V * M;
        int ch = 3 * plane;
        float[] out = new float[2 * ch * frames];
        for (int c = 0; c < 3; c++) {
            float origin = r[(c * frames) * plane]; // joint 0, person 0, frame 0
            for (int k = 0; k < frames; k++) {
                for (int j = 0; j < plane; j++) {
                    float x = r[(c * frames + k) * plane + j];
                    int channel = c * plane + j;
                    out[channel * frames + k] = x == 0f ? 0f : x - origin;
                    float next = r[(c * frames + Math.min(k + 1, frames - 1)) * plane + j];
                    float vel = (x == 0f || next == 0f) ? 0f : next - x;
                    out[(ch + channel) * frames + k] = 10f * vel;
                }
            }
        }
        return out;
    }

    /** Z-scores every feature with the training clips' mean and standard deviation. */
    private static void standardise(float[][] x, int[] trainIdx) {
        int d = x[trainIdx[0]].length;
        double[] mean = new double[d];
        double[] sq = new double[d];
        for (int i : trainIdx) {
            for (int j = 0; j < d; j++) {
                mean[j] += x[i][j];
                sq[j] += (double) x[i][j] * x[i][j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= trainIdx.length;
            sq[j] = Math.sqrt(Math.max(sq[j] / trainIdx.length - mean[j] * mean[j], 1e-12));
        }
        for (float[] row : x) {
            for (int j = 0; j < d; j++) {
                row[j] = (float) ((row[j] - mean[j]) / sq[j]);
            }
        }
    }

    private static Block linear(int classes) {
        return Linear.builder().setUnits(classes).build();
    }

    private static Block temporalConv(int classes) {
        SequentialBlock b = new SequentialBlock();
        int[] strides = {1, 2, 2};
        for (int stride : strides) {
            b.add(Conv1d.builder().setKernelShape(new Shape(5)).setFilters(128).optStride(new Shape(stride))
                    .optPadding(new Shape(2)).build());
            b.add(BatchNorm.builder().build());
            b.add(Activation::relu);
        }
        b.add(Pool.globalAvgPool1dBlock());
        b.add(Blocks.batchFlattenBlock());
        b.add(Dropout.builder().optRate(0.3f).build());
        b.add(Linear.builder().setUnits(classes).build());
        return b;
    }

    /**
     * Trains {@code block} with Adam on the given rows and returns {train accuracy, test accuracy}.
     * The L2 penalty l2 · Σw² over weight tensors is part of the loss (flat rows) or Adam's weight
     * decay (networks). {@code inputShape} null means flat rows.
     */
    private static double[] train(Block block, float[][] x, int[] y, int[] trainIdx, int[] testIdx, int epochs,
                                  int batch, float lr, float l2, Shape inputShape, int[] testPred) {
        boolean l2InLoss = inputShape == null;
        int d = x[trainIdx[0]].length;
        Shape one = inputShape == null ? new Shape(1, d) : inputShape;
        try (Model model = Model.newInstance("separability")) {
            model.setBlock(block);
            DefaultTrainingConfig cfg = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optInitializer(new XavierInitializer(), ai.djl.nn.Parameter.Type.WEIGHT)
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(lr))
                            .optWeightDecays(l2InLoss ? 0f : l2).build());
            try (Trainer trainer = model.newTrainer(cfg)) {
                trainer.initialize(one);
                SplittableRandom rnd = new SplittableRandom(7);
                int[] order = trainIdx.clone();
                for (int e = 0; e < epochs; e++) {
                    for (int i = order.length - 1; i > 0; i--) {
                        int j = rnd.nextInt(i + 1);
                        int tmp = order[i];
                        order[i] = order[j];
                        order[j] = tmp;
                    }
                    for (int b0 = 0; b0 < order.length; b0 += batch) {
                        int bs = Math.min(batch, order.length - b0);
                        try (NDManager sub = trainer.getManager().newSubManager()) {
                            NDArray xb = batchArray(sub, x, order, b0, bs, one);
                            NDArray yb = labelArray(sub, y, order, b0, bs);
                            try (GradientCollector gc = trainer.newGradientCollector()) {
                                NDArray pred = trainer.forward(new NDList(xb)).singletonOrThrow();
                                NDArray loss = trainer.getLoss().evaluate(new NDList(yb), new NDList(pred));
                                if (l2InLoss) {
                                    // an explicit penalty (its gradient also keeps DJL's first-step
                                    // check happy: softmax gradients of a linear layer sum to zero)
                                    for (var p : block.getParameters().values()) {
                                        if (p.getType() == ai.djl.nn.Parameter.Type.WEIGHT) {
                                            loss = loss.add(Scalars.mul(p.getArray().square().sum(), l2));
                                        }
                                    }
                                }
                                gc.backward(loss);
                            }
                            trainer.step();
                        }
                    }
                    if ((e + 1) % Math.max(1, epochs / 5) == 0) {
                        System.out.printf("  epoch %d/%d%n", e + 1, epochs);
                    }
                }
                return new double[]{accuracy(trainer, x, y, trainIdx, one, null),
                        accuracy(trainer, x, y, testIdx, one, testPred)};
            }
        }
    }

    private static double accuracy(Trainer trainer, float[][] x, int[] y, int[] idx, Shape one, int[] predOut) {
        int correct = 0;
        for (int b0 = 0; b0 < idx.length; b0 += 256) {
            int bs = Math.min(256, idx.length - b0);
            try (NDManager sub = trainer.getManager().newSubManager()) {
                NDArray xb = batchArray(sub, x, idx, b0, bs, one);
                NDArray pred = trainer.evaluate(new NDList(xb)).singletonOrThrow().argMax(1);
                long[] p = pred.toLongArray();
                for (int i = 0; i < bs; i++) {
                    if (predOut != null) {
                        predOut[b0 + i] = (int) p[i];
                    }
                    if (p[i] == y[idx[b0 + i]]) {
                        correct++;
                    }
                }
            }
        }
        return (double) correct / idx.length;
    }

    private static NDArray batchArray(NDManager m, float[][] x, int[] idx, int from, int bs, Shape one) {
        int d = x[idx[from]].length;
        float[] flat = new float[bs * d];
        for (int i = 0; i < bs; i++) {
            System.arraycopy(x[idx[from + i]], 0, flat, i * d, d);
        }
        long[] dims = one.getShape().clone();
        dims[0] = bs;
        return m.create(flat, new Shape(dims));
    }

    private static NDArray labelArray(NDManager m, int[] y, int[] idx, int from, int bs) {
        float[] out = new float[bs];
        for (int i = 0; i < bs; i++) {
            out[i] = y[idx[from + i]];
        }
        return m.create(out);
    }
}
