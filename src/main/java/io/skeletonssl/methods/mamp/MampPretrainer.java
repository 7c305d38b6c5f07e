package io.skeletonssl.methods.mamp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.PairList;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.dataset.SkeletonDataset;
import io.skeletonssl.engine.Engines;
import io.skeletonssl.loader.Batch;
import io.skeletonssl.loader.BatchLoader;
import io.skeletonssl.loader.SampleTransform;
import io.skeletonssl.models.mamp.MampConfig;
import io.skeletonssl.models.mamp.MampModel;
import io.skeletonssl.models.mamp.MampPresets;
import io.skeletonssl.training.AdamW;
import io.skeletonssl.training.Checkpoint;
import io.skeletonssl.training.ConfigTree;
import io.skeletonssl.training.NanGuard;
import io.skeletonssl.training.RunDirectory;
import io.skeletonssl.training.TrainingProgress;
import io.skeletonssl.training.WarmupCosine;
import io.skeletonssl.training.WeightDecayGroups;
import io.skeletonssl.transforms.CropResize;
import io.skeletonssl.transforms.FiniteCheck;
import io.skeletonssl.transforms.Pipeline;
import io.skeletonssl.transforms.RandomRotation;
import io.skeletonssl.transforms.ValidFrames;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * MAMP pretraining (spec §2.7): AdamW with timm weight-decay groups, per-iteration warm-up + cosine
 * learning rate, the crop-resize + rotation augmentation, GradScaler-like skipping of steps whose
 * gradients are not finite, checkpoints every {@code pretrain.checkpoint_every} epochs and at the end,
 * and exact resumption (loader order and masking randomness are functions of (seed, epoch)).
 * Epochs are numbered from 0, as the official {@code checkpoint-399} of a 400-epoch run.
 */
public final class MampPretrainer {

    /**
     * What to run. {@code preset} and {@code data} may be null when {@code resume}: the run folder's
     * config.yaml (with the dataset path) is used. {@code stopAfterEpoch} (or -1) ends the run after that
     * epoch as if it had been killed there (tests of --resume).
     */
    public record Options(String preset, Path configFile, List<String> sets, Path data, Path out, boolean resume,
                          Integer epochs, int threads, int stopAfterEpoch) {
        public Options {
            Objects.requireNonNull(out, "out");
            sets = sets == null ? List.of() : List.copyOf(sets);
        }
    }

    /** Outcome of a run (or of its resumed part). */
    public record Result(Path runDir, int startEpoch, int lastEpoch, int epochs, double finalLoss,
                         long skippedSteps, double seconds) {
    }

    private final PrintStream log;

    public MampPretrainer(PrintStream log) {
        this.log = log;
    }

    /** Resolves the configuration: preset + file + sets (or the run's saved config on resume), epochs, data V/M. */
    static ObjectNode resolveConfig(Options o, RunDirectory run) throws IOException {
        ObjectNode tree;
        if (o.resume()) {
            tree = (ObjectNode) run.readConfig();
            for (String s : o.sets()) {
                ConfigTree.applySet(tree, s);
            }
        } else {
            if (o.preset() == null) {
                throw new IllegalArgumentException("--preset is required (unless --resume)");
            }
            tree = ConfigTree.resolve(o.preset(), o.configFile(), o.sets());
        }
        String method = tree.path("method").asText();
        if (!method.equals("mamp")) {
            throw new IllegalArgumentException("configuration is for method '" + method + "', not mamp");
        }
        if (o.epochs() != null) {
            ConfigTree.applySet(tree, "pretrain.epochs=" + o.epochs());
        }
        return tree;
    }

    public Result run(Options o) throws Exception {
        Path outAbs = o.out().toAbsolutePath().normalize();
        if (!o.resume() && Files.exists(outAbs) && !isEmptyDir(outAbs)) {
            throw new IllegalArgumentException(outAbs + ": run folder already exists; use --resume to continue it "
                    + "or choose another --out");
        }
        if (o.resume() && !Files.isDirectory(outAbs)) {
            throw new IllegalArgumentException(outAbs + ": no such run folder to --resume");
        }
        RunDirectory run = RunDirectory.open(outAbs);
        Checkpoint resumeFrom = o.resume() ? run.requireLatest() : null;
        if (resumeFrom != null && !resumeFrom.hasOptimizerState()) {
            throw new IllegalArgumentException(resumeFrom.dir() + " holds model parameters only, no optimizer state "
                    + "(an imported checkpoint?), so it cannot be resumed; use it for evaluation, or start a new run");
        }
        ObjectNode tree = resolveConfig(o, run);

        Path dataDir = o.data() != null ? o.data()
                : tree.path("data").hasNonNull("path") ? Path.of(tree.path("data").path("path").asText()) : null;
        if (dataDir == null) {
            throw new IllegalArgumentException("--data is required");
        }
        try (SkeletonDataset ds = SkeletonDataset.open(dataDir)) {
            SkeletonDataset.ClipSplit train = ds.clips("train");
            ObjectNode data = (ObjectNode) tree.path("data");
            int presetV = data.path("joints").asInt();
            int presetM = data.path("persons").asInt();
            if (presetV != train.joints() || presetM != train.persons()) {
                log.printf("adapting the model to the dataset: joints %d -> %d, persons %d -> %d%n",
                        presetV, train.joints(), presetM, train.persons());
            }
            data.put("joints", train.joints());
            data.put("persons", train.persons());
            data.put("path", dataDir.toAbsolutePath().normalize().toString());
            return train(o, run, resumeFrom, tree, train);
        }
    }

    /** The MAMP training augmentation with the config's window (official: crop U[0.5,1), ≥ 64 frames, → 120). */
    public static Pipeline trainPipeline(JsonNode tree) {
        JsonNode aug = tree.path("augment");
        int frames = tree.path("data").path("frames").asInt();
        return Pipeline.of("mamp-train")
                .then("finite", FiniteCheck.INSTANCE)
                .then("valid-frames", ValidFrames.recount())
                .then("crop-resize", CropResize.random(aug.path("crop_min").asDouble(), aug.path("crop_max").asDouble(),
                        aug.path("min_frames").asInt(), frames))
                .then("rotate", new RandomRotation(aug.path("rotation").asDouble()));
    }

    /** The MAMP test-time transform with the config's window (official: centre crop 0.95 of the valid frames → 120). */
    public static Pipeline testPipeline(JsonNode tree) {
        int frames = tree.path("data").path("frames").asInt();
        return Pipeline.of("mamp-test")
                .then("finite", FiniteCheck.INSTANCE)
                .then("valid-frames", ValidFrames.recount())
                .then("crop-resize", CropResize.center(tree.path("augment").path("test_crop").asDouble(0.95), frames));
    }

    /** The masking/drop-path generator of an epoch: a function of (seed, epoch) so that resuming reproduces it. */
    static Random epochRandom(long seed, int epoch) {
        return new Random(seed * 1_000_003L + epoch);
    }

    private Result train(Options o, RunDirectory run, Checkpoint resumeFrom, ObjectNode tree,
                         SkeletonDataset.ClipSplit split) throws Exception {
        MampConfig cfg = MampPresets.fromTree(tree);
        JsonNode pt = tree.path("pretrain");
        int epochs = pt.path("epochs").asInt();
        int batchSize = pt.path("batch_size").asInt();
        long seed = pt.path("seed").asLong();
        int every = Math.max(1, pt.path("checkpoint_every").asInt(1));
        double lr = pt.path("lr").asDouble();
        double minLr = pt.path("min_lr").asDouble();
        double warmup = pt.path("warmup_epochs").asDouble();
        double wd = pt.path("weight_decay").asDouble();
        double beta1 = pt.path("betas").path(0).asDouble(0.9);
        double beta2 = pt.path("betas").path(1).asDouble(0.95);
        double eps = pt.path("eps").asDouble(1e-8);
        if (epochs < 1 || batchSize < 1) {
            throw new IllegalArgumentException("pretrain.epochs and pretrain.batch_size must be >= 1, got "
                    + epochs + " and " + batchSize);
        }
        WarmupCosine schedule = new WarmupCosine(lr, minLr, warmup, epochs);
        if (!o.resume()) {
            run.writeConfig(tree);
        }

        int threads = o.threads() > 0 ? o.threads() : Runtime.getRuntime().availableProcessors();
        try (NDManager root = Engines.cpu().newManager();
             BatchLoader loader = BatchLoader.builder(split, SampleTransform.of(trainPipeline(tree)))
                     .batchSize(batchSize).dropLast(true).shuffle(true).seed(seed).threads(threads).build()) {
            int iters = loader.batchesPerEpoch();
            if (iters == 0) {
                throw new IllegalArgumentException("the train split has " + split.size()
                        + " clips, fewer than one batch of " + batchSize + " (drop_last)");
            }
            MampModel model = new MampModel(cfg);
            model.initializeSeeded(root, seed);
            PairList<String, Parameter> params = new PairList<>(model.namedParameters());
            try (AdamW opt = new AdamW(params, WeightDecayGroups.timm(params, wd, Set.of()), beta1, beta2, eps)) {
                int start = 0;
                if (resumeFrom != null) {
                    resumeFrom.loadInto(params, false);
                    resumeFrom.restoreOptimizer(opt);
                    run.truncateMetricsAfter(resumeFrom.epoch());
                    start = resumeFrom.epoch() + 1;
                    log.printf("resuming %s from %s (epoch %d of %d)%n", run.root(), resumeFrom.dir().getFileName(),
                            start, epochs);
                }
                if (start >= epochs) {
                    throw new IllegalArgumentException(run.root() + ": already trained " + start + " of " + epochs
                            + " epochs; pass a larger --epochs to continue");
                }
                opt.zeroGradients(); // DJL does not zero gradients; start from a clean slate
                Path[] lastGood = {resumeFrom == null ? null : resumeFrom.dir()};
                NanGuard guard = new NanGuard(() -> lastGood[0]);
                long skipped = 0;
                double lastLoss = Double.NaN;
                int lastEpoch = start - 1;
                long t0 = System.nanoTime();
                int end = o.stopAfterEpoch() >= 0 ? Math.min(epochs, o.stopAfterEpoch() + 1) : epochs;
                try (TrainingProgress bar = TrainingProgress.start("pretrain mamp", start, epochs, iters)) {
                    for (int epoch = start; epoch < end; epoch++) {
                        long e0 = System.nanoTime();
                        Random rng = epochRandom(seed, epoch);
                        double sum = 0;
                        int steps = 0;
                        long epochSkipped = 0;
                        double stepLr = 0;
                        try (BatchLoader.Epoch batches = loader.epoch(epoch)) {
                            for (Batch b : batches) {
                                stepLr = schedule.at(epoch + (double) steps / iters);
                                StepResult r = step(root, model, opt, b, rng);
                                double loss = guard.check(r.loss(), epoch, (long) epoch * iters + steps);
                                if (!r.gradientsFinite()) {
                                    epochSkipped++;
                                } else {
                                    opt.step(stepLr);
                                }
                                opt.zeroGradients();
                                sum += loss;
                                steps++;
                                bar.step(epoch, loss, stepLr, b.size());
                            }
                        }
                        skipped += epochSkipped;
                        lastLoss = sum / steps;
                        lastEpoch = epoch;
                        double sec = (System.nanoTime() - e0) / 1e9;
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("epoch", epoch);
                        row.put("loss", lastLoss);
                        row.put("lr", stepLr);
                        row.put("seconds", sec);
                        row.put("samples_per_s", steps * (double) batchSize / Math.max(sec, 1e-9));
                        row.put("skipped_steps", epochSkipped);
                        run.appendMetrics(row);
                        boolean last = epoch == epochs - 1;
                        if ((epoch + 1) % every == 0 || last || epoch == end - 1) {
                            Map<String, Object> extra = new LinkedHashMap<>();
                            extra.put("loss", lastLoss);
                            extra.put("method", "mamp");
                            Checkpoint c = run.saveCheckpoint(epoch, opt.steps(), seed, params, opt, tree, extra,
                                    every, epochs);
                            lastGood[0] = c.dir();
                        }
                    }
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                if (lastEpoch == epochs - 1) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("method", "mamp");
                    m.put("final_loss", lastLoss);
                    m.put("epochs", epochs);
                    m.put("pretrain_seconds", totalSeconds(run, seconds));
                    m.put("skipped_steps", totalSkipped(run));
                    m.put("train_clips", split.size());
                    m.put("batch_size", batchSize);
                    m.put("steps_per_epoch", iters);
                    m.put("parameters", model.parameterCounts());
                    m.put("resumed_from_epoch", resumeFrom == null ? null : resumeFrom.epoch());
                    run.writeMetricsJson(m);
                }
                return new Result(run.root(), start, lastEpoch, epochs, lastLoss, skipped, seconds);
            }
        }
    }

    private record StepResult(double loss, boolean gradientsFinite) {
    }

    /**
     * One forward/backward. Everything created for the step (batch, graph, gradient views) lives in a
     * child manager and a scope closed at the end. A step whose gradients are not finite is skipped by
     * the caller, as the official GradScaler does.
     */
    private static StepResult step(NDManager root, MampModel model, AdamW opt, Batch b, Random rng) {
        try (NDManager m = root.newSubManager(); NDScope ignored = new NDScope()) {
            NDArray x = m.create(b.data(), new Shape(b.shape(0)));
            float loss;
            try (GradientCollector gc = root.getEngine().newGradientCollector()) {
                NDArray l = model.forwardPretrain(x, true, rng).loss();
                gc.backward(l);
                loss = l.getFloat();
            }
            return new StepResult(loss, opt.gradientsFinite());
        }
    }

    private static double totalSeconds(RunDirectory run, double fallback) throws IOException {
        double s = 0;
        for (Map<String, String> r : run.readMetrics()) {
            s += Double.parseDouble(r.get("seconds"));
        }
        return s > 0 ? s : fallback;
    }

    private static long totalSkipped(RunDirectory run) throws IOException {
        long s = 0;
        for (Map<String, String> r : run.readMetrics()) {
            s += Long.parseLong(r.get("skipped_steps"));
        }
        return s;
    }

    private static boolean isEmptyDir(Path p) throws IOException {
        if (!Files.isDirectory(p)) {
            return false;
        }
        try (Stream<Path> s = Files.list(p)) {
            return s.findAny().isEmpty();
        }
    }
}
