package io.skeletonssl.eval.motion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.PairList;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.dataset.SkeletonDataset;
import io.skeletonssl.engine.Engines;
import io.skeletonssl.engine.MachineInfo;
import io.skeletonssl.engine.NoGradient;
import io.skeletonssl.eval.Encoders;
import io.skeletonssl.eval.HeadTrainer;
import io.skeletonssl.eval.LabelledSubset;
import io.skeletonssl.eval.LinearProbe;
import io.skeletonssl.eval.finetune.TrainableEncoders;
import io.skeletonssl.io.AtomicDirectory;
import io.skeletonssl.io.AtomicFiles;
import io.skeletonssl.layout.SkeletonLayout;
import io.skeletonssl.report.CodeVersion;
import io.skeletonssl.training.GradientClipping;
import io.skeletonssl.training.NanGuard;
import io.skeletonssl.training.RunDirectory;
import io.skeletonssl.training.Sgd;
import io.skeletonssl.training.TrainingProgress;
import io.skeletonssl.training.WeightDecayGroups;
import io.skeletonssl.transforms.Transform;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Motion prediction (PCM3 Table 6, after Martinez et al. 2017): observe 50 frames of one person,
 * predict the next 10. The encoder reads the observed frames ({@link WindowBatches}); a GRU
 * decoder ({@link MotionDecoder}) rolls out the prediction from the encoder feature and the last
 * observed pose, fed its own outputs in training too. Loss: mean squared error of the predicted
 * positions over frames, joints and coordinates, each coordinate in standard deviations of the
 * training poses ({@link PoseStats}, Martinez's normalisation). SGD without momentum, gradient-norm
 * clipping, as Martinez. After every epoch the fixed test windows are predicted and scored with
 * MPJPE in millimetres ({@link Mpjpe}); the headline is the final epoch's mean over the predicted
 * frames. The zero-velocity baseline (the last observed pose repeated) is reported alongside. With
 * a validation fraction F a seeded part of the usable training clips is held out (from training
 * and the pose statistics) with fixed windows; its lowest MPJPE selects an epoch ({@code val_selected_*}).
 *
 * <p>The output folder holds {@code config.yaml}, {@code metrics.csv} (per epoch),
 * {@code metrics.json} and {@code per_frame_mpjpe.csv} (final epoch and the baseline, per frame).
 */
public final class MotionPrediction {

    public static final String PER_FRAME_CSV = "per_frame_mpjpe.csv";
    static final String LOSS = "mean squared error of the predicted positions over the predicted frames, joints and "
            + "xyz, each coordinate divided by its standard deviation over the training poses (Martinez's normalisation)";

    /**
     * What to run. {@code epochs}/{@code seed} (may be null) override the section's; {@code units}
     * (may be null) overrides the manifest's coordinate unit; {@code finetune} trains the encoder too.
     */
    public record Options(String checkpoint, String preset, List<String> sets, Path data, Path out, Integer epochs,
                          Long seed, String trainSplit, String testSplit, boolean force, boolean finetune,
                          String units, double valFraction) {
        public Options {
            LabelledSubset.requireValFraction(valFraction);
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(out, "out");
            sets = sets == null ? List.of() : List.copyOf(sets);
            trainSplit = trainSplit == null ? "train" : trainSplit;
            testSplit = testSplit == null ? "test" : testSplit;
        }
    }

    /**
     * The outcome, MPJPE in millimetres; {@code atFrames} at {@link Mpjpe#REPORTED_FRAMES}; with
     * validation the epoch with the lowest validation MPJPE and the test MPJPE then
     * ({@code valSelectedEpoch} −1, NaN and an empty array without).
     */
    public record Result(Path out, double finalMpjpe, double[] atFrames, double zeroVelocityMpjpe,
                         double[] zeroVelocityAtFrames, int trainClips, int testClips, int valClips,
                         int valSelectedEpoch, double valSelectedMpjpe, double[] valSelectedAtFrames, double seconds) {
    }

    /** The usable training clips split into those trained on and the held-out ones. */
    record Holdout(MotionWindows.Selection train, MotionWindows.Selection val) {
    }


    private final PrintStream log;

    public MotionPrediction(PrintStream log) {
        this.log = log;
    }

    public Result run(Options o) throws Exception {
        long t0 = System.nanoTime();
        try (SkeletonDataset ds = SkeletonDataset.open(o.data())) {
            SkeletonDataset.ClipSplit train = LinearProbe.split(ds, o.trainSplit(), "--train-split");
            SkeletonDataset.ClipSplit test = LinearProbe.split(ds, o.testSplit(), "--test-split");
            double scale = CoordinateUnits.metresPerUnit(ds.manifest(), ds.dir(), o.units());
            List<String> sets = new ArrayList<>(o.sets());
            if (o.epochs() != null) {
                sets.add(MotionConfig.SECTION + ".epochs=" + o.epochs());
            }
            if (o.seed() != null) {
                sets.add(MotionConfig.SECTION + ".seed=" + o.seed());
            }
            Opened opened = open(o, sets, ds.manifest().layout(), train.persons());
            try (MotionEncoder enc = opened.encoder();
                 AtomicDirectory dir = AtomicDirectory.create(o.out(), o.force())) {
                ObjectNode tree = opened.config();
                ((ObjectNode) tree.path("data")).put("path", ds.dir().toAbsolutePath().normalize().toString());
                MotionConfig cfg = MotionConfig.of(tree);
                RunDirectory run = RunDirectory.open(dir.temp());
                run.writeConfig(tree);
                MotionWindows.Selection trainSel = selection(train, cfg);
                MotionWindows.Selection testSel = selection(test, cfg);
                Holdout h = o.valFraction() > 0 ? holdOut(trainSel, o.valFraction(), cfg.seed())
                        : new Holdout(trainSel, null);
                WindowBatches inputs = new WindowBatches(enc, opened.testTransform(), cfg, scale);
                Result r = new Trainer(cfg, enc, inputs, train, test, h.train(), h.val(), testSel, run, log)
                        .fit(o, dir.target(), t0);
                dir.commit();
                return r;
            }
        }
    }

    /** The encoder (frozen, or trainable with {@code --finetune}), its resolved config and test transform. */
    private record Opened(MotionEncoder encoder, ObjectNode config, Transform testTransform) {
    }

    private Opened open(Options o, List<String> sets, SkeletonLayout layout, int persons) throws IOException {
        if (o.finetune()) {
            TrainableEncoders.Loaded t = TrainableEncoders.open(o.checkpoint(), o.preset(), sets, layout, persons,
                    false, log);
            try {
                long seed = MotionConfig.of(t.config()).seed();
                return new Opened(MotionEncoder.trainable(t.encoder(), seed), t.config(), t.testTransform());
            } catch (RuntimeException e) {
                t.close();
                throw e;
            }
        }
        Encoders.Loaded f = Encoders.open(o.checkpoint(), o.preset(), sets, layout, persons, log);
        return new Opened(MotionEncoder.frozen(f.encoder()), f.config(), f.testTransform());
    }

    private MotionWindows.Selection selection(SkeletonDataset.ClipSplit split, MotionConfig cfg) {
        MotionWindows.Selection s = MotionWindows.select(split, cfg.window());
        log.printf(Locale.ROOT, "split '%s': %d of %d clips used; skipped %d with an active second person, "
                        + "%d with fewer than %d valid frames, %d with an empty frame%n", split.name(), s.size(),
                s.total(), s.twoPerson(), s.tooShort(), cfg.window(), s.emptyFrames());
        if (s.size() == 0) {
            throw new IllegalArgumentException("split '" + split.name() + "' has no single-person clip of at least "
                    + cfg.window() + " valid frames (" + s.twoPerson() + " with an active second person, "
                    + s.tooShort() + " too short, " + s.emptyFrames() + " with an empty frame, of " + s.total() + ")");
        }
        return s;
    }

    /**
     * Holds out a seeded {@code fraction} of the usable training clips (at least one; at least one
     * must stay for training); labels do not matter here, so the draw is plain.
     */
    static Holdout holdOut(MotionWindows.Selection s, double fraction, long seed) {
        if (s.size() < 2) {
            throw new IllegalArgumentException("--val-fraction " + fraction + " needs at least 2 usable training clips"
                    + " (one held out, one to train on), but there are " + s.size());
        }
        LabelledSubset.Holdout h = LabelledSubset.holdOut(new int[s.size()], fraction,
                seed ^ LabelledSubset.HOLD_OUT_SALT, false,
                "usable training clips");
        return new Holdout(part(s, h.train()), part(s, h.val()));
    }

    private static MotionWindows.Selection part(MotionWindows.Selection s, int[] k) {
        int[] clips = new int[k.length];
        int[] valid = new int[k.length];
        for (int i = 0; i < k.length; i++) {
            clips[i] = s.clips()[k[i]];
            valid[i] = s.validFrames()[k[i]];
        }
        return new MotionWindows.Selection(clips, valid, s.twoPerson(), s.tooShort(), s.emptyFrames(), s.total());
    }

    /** The training loop and the evaluation, for one opened encoder and decoder. */
    private static final class Trainer {
        private final MotionConfig cfg;
        private final MotionEncoder encoder;
        private final WindowBatches inputs;
        private final SkeletonDataset.ClipSplit train;
        private final SkeletonDataset.ClipSplit test;
        private final MotionWindows.Selection trainSel;
        /** Held-out training clips, or null without validation. */
        private final MotionWindows.Selection valSel;
        private final MotionWindows.Selection testSel;
        private final RunDirectory run;
        private final PrintStream log;
        private final List<MotionWindows.Window> testWindows;
        private final List<MotionWindows.Window> valWindows;
        private final PoseStats stats;
        /** Frozen encoder: the test features never change, so they are computed once. */
        private final List<float[]> testFeatureCache = new ArrayList<>();
        private final List<float[]> valFeatureCache = new ArrayList<>();
        private final NanGuard guard = NanGuard.forProtocol("motion prediction",
                "lower " + MotionConfig.SECTION + ".lr or encoder_lr");

        Trainer(MotionConfig cfg, MotionEncoder encoder, WindowBatches inputs, SkeletonDataset.ClipSplit train,
                SkeletonDataset.ClipSplit test, MotionWindows.Selection trainSel, MotionWindows.Selection valSel,
                MotionWindows.Selection testSel, RunDirectory run, PrintStream log) {
            this.cfg = cfg;
            this.encoder = encoder;
            this.inputs = inputs;
            this.train = train;
            this.test = test;
            this.trainSel = trainSel;
            this.valSel = valSel;
            this.testSel = testSel;
            this.run = run;
            this.log = log;
            this.testWindows = MotionWindows.test(testSel, cfg.window(), cfg.seed());
            // fixed like the test windows, so every epoch is scored on the same validation windows
            this.valWindows = valSel == null ? List.of() : MotionWindows.test(valSel, cfg.window(), cfg.seed());
            this.stats = PoseStats.of(train, trainSel, inputs.scale());
        }

        Result fit(Options o, Path target, long t0) throws IOException {
            int joints = train.joints();
            int steps = (trainSel.size() + cfg.batchSize() - 1) / cfg.batchSize();
            Mpjpe zeroVelocity = zeroVelocity(joints);
            Mpjpe last = null;
            double best = Double.POSITIVE_INFINITY;
            int bestEpoch = -1;
            double bestVal = Double.POSITIVE_INFINITY;
            int valEpoch = -1;
            Mpjpe valSelected = null;
            try (NDManager root = Engines.cpu().newManager()) {
                MotionDecoder decoder = new MotionDecoder(encoder.featureDim(), joints, cfg.hidden());
                decoder.initializeSeeded(root, cfg.seed());
                PairList<String, Parameter> decParams = new PairList<>(decoder.namedParameters());
                PairList<String, Parameter> encParams = encoder.trainableParameters();
                List<Parameter> all = new ArrayList<>(decParams.values());
                all.addAll(encParams.values());
                try (Sgd decOpt = new Sgd(decParams, WeightDecayGroups.uniform(decParams, 0), 0);
                     Sgd encOpt = encParams.isEmpty() ? null
                             : new Sgd(encParams, WeightDecayGroups.uniform(encParams, 0), 0);
                     TrainingProgress bar = TrainingProgress.start("motion prediction", 0, cfg.epochs(), steps)) {
                    for (int epoch = 0; epoch < cfg.epochs(); epoch++) {
                        long e0 = System.nanoTime();
                        double loss = trainEpoch(epoch, root, decoder, decOpt, encOpt, all, bar);
                        last = evaluate(root, decoder, joints, test, testWindows, testFeatureCache);
                        Mpjpe val = valSel == null ? null
                                : evaluate(root, decoder, joints, train, valWindows, valFeatureCache);
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("epoch", epoch);
                        row.put("loss", loss);
                        row.put("lr", cfg.lr());
                        row.put("test_mpjpe_mm", last.meanMm());
                        for (int f : Mpjpe.REPORTED_FRAMES) {
                            row.put("test_mpjpe_f" + f + "_mm", frameOrNaN(last, f));
                        }
                        if (val != null) {
                            row.put("val_mpjpe_mm", val.meanMm());
                            if (val.meanMm() < bestVal) {
                                bestVal = val.meanMm();
                                valEpoch = epoch;
                                valSelected = last;
                            }
                        }
                        row.put("seconds", (System.nanoTime() - e0) / 1e9);
                        run.appendMetrics(row);
                        if (last.meanMm() < best) {
                            best = last.meanMm();
                            bestEpoch = epoch;
                        }
                    }
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            writePerFrame(run.root().resolve(PER_FRAME_CSV), last, zeroVelocity);
            double[] at = reported(last);
            double[] zvAt = reported(zeroVelocity);
            Map<String, Object> m = metrics(o, last, at, zeroVelocity, zvAt, best, bestEpoch, seconds);
            double[] valAt = valSelected == null ? new double[0] : reported(valSelected);
            if (valSelected != null) {
                putValidation(m, o.valFraction(), valEpoch, bestVal, valSelected, valAt);
            }
            run.writeMetricsJson(m);
            log.printf(Locale.ROOT, "motion prediction: final MPJPE %.1f mm (frames 2/4/8/10: %s); zero-velocity "
                            + "baseline %.1f mm; %d train / %d test windows, %.1f s -> %s%n", last.meanMm(),
                    join(at), zeroVelocity.meanMm(), trainSel.size(), testSel.size(), seconds, target);
            if (valSelected != null) {
                log.printf(Locale.ROOT, "motion prediction: validation (%d held-out training clips) picks epoch %d: "
                        + "test MPJPE %.1f mm (frames 2/4/8/10: %s)%n", valSel.size(), valEpoch,
                        valSelected.meanMm(), join(valAt));
            }
            return new Result(target, last.meanMm(), at, zeroVelocity.meanMm(), zvAt, trainSel.size(), testSel.size(),
                    valSel == null ? 0 : valSel.size(), valEpoch,
                    valSelected == null ? Double.NaN : valSelected.meanMm(), valAt, seconds);
        }

        private void putValidation(Map<String, Object> m, double fraction, int epoch, double valMpjpe, Mpjpe test,
                                   double[] testAt) {
            m.put("val_fraction", fraction);
            m.put("val_clips", valSel.size());
            m.put("val_selected_epoch", epoch);
            m.put("val_selected_val_mpjpe_mm", valMpjpe);
            m.put("val_selected_test_mpjpe_mm", test.meanMm());
            m.put("val_selected_test_mpjpe_frames_mm", byFrame(testAt));
            m.put("val_note", "a seeded fraction of the usable training clips, never trained on (nor in the pose "
                    + "statistics), with fixed windows like the test windows; the selected epoch has the lowest "
                    + "validation MPJPE");
        }

        private double trainEpoch(int epoch, NDManager root, MotionDecoder decoder, Sgd decOpt, Sgd encOpt,
                                  List<Parameter> all, TrainingProgress bar) {
            List<MotionWindows.Window> windows = MotionWindows.train(trainSel, cfg.window(), cfg.seed(), epoch);
            int[] order = HeadTrainer.permutation(windows.size(), cfg.seed(), epoch);
            double lossSum = 0;
            int steps = 0;
            long stepsPerEpoch = (order.length + cfg.batchSize() - 1) / cfg.batchSize();
            for (int from = 0; from < order.length; from += cfg.batchSize()) {
                int n = Math.min(cfg.batchSize(), order.length - from);
                List<MotionWindows.Window> batch = new ArrayList<>(n);
                for (int k = 0; k < n; k++) {
                    batch.add(windows.get(order[from + k]));
                }
                WindowBatches.Batch b = inputs.prepare(train, batch);
                float loss;
                try (NDManager m = root.newSubManager(); NDScope ignored = new NDScope()) {
                    decOpt.zeroGradients();
                    if (encOpt != null) {
                        encOpt.zeroGradients();
                    }
                    try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                        NDArray std = m.create(stats.std());
                        NDArray pred = decoder.rollout(encoder.features(m, b.encoderInput(), n, true),
                                m.create(b.lastPose(), new Shape(n, b.poseDim())), m.create(stats.mean()), std,
                                cfg.predict(), true);
                        NDArray truth = m.create(b.future(), new Shape(n, cfg.predict(), b.poseDim()));
                        NDArray l = pred.sub(truth).div(std).square().mean();
                        gc.backward(l);
                        loss = l.getFloat();
                    }
                    // a NaN decoder predicts NaN poses whose MPJPE would be recorded as a result
                    guard.check(loss, epoch, epoch * stepsPerEpoch + steps);
                    GradientClipping.clipByGlobalNorm(all, cfg.clipNorm());
                    decOpt.step(cfg.lr());
                    if (encOpt != null) {
                        encOpt.step(cfg.encoderLr());
                    }
                }
                lossSum += loss;
                steps++;
                bar.step(epoch, loss, cfg.lr(), n);
            }
            return lossSum / steps;
        }

        /**
         * MPJPE of the decoder on fixed windows of {@code split} (no gradients); with a frozen encoder
         * their features are computed once into {@code featureCache}.
         */
        private Mpjpe evaluate(NDManager root, MotionDecoder decoder, int joints, SkeletonDataset.ClipSplit split,
                               List<MotionWindows.Window> windows, List<float[]> featureCache) {
            Mpjpe score = new Mpjpe(cfg.predict(), joints);
            boolean cache = encoder.trainableParameters().isEmpty();
            int chunk = 64;
            for (int from = 0, c = 0; from < windows.size(); from += chunk, c++) {
                int n = Math.min(chunk, windows.size() - from);
                WindowBatches.Batch b = inputs.prepare(split, windows.subList(from, from + n));
                try (NoGradient ng = NoGradient.enter(); NDManager m = root.newSubManager();
                     NDScope ignored = new NDScope()) {
                    NDArray feature;
                    if (cache && c < featureCache.size()) {
                        feature = m.create(featureCache.get(c), new Shape(n, encoder.featureDim()));
                    } else {
                        feature = encoder.features(m, b.encoderInput(), n, false);
                        if (cache) {
                            featureCache.add(feature.toFloatArray());
                        }
                    }
                    NDArray pred = decoder.rollout(feature, m.create(b.lastPose(), new Shape(n, b.poseDim())),
                            m.create(stats.mean()), m.create(stats.std()), cfg.predict(), false);
                    score.add(pred.toFloatArray(), b.future(), n);
                }
            }
            return score;
        }

        /** The baseline that repeats the last observed pose for every predicted frame. */
        private Mpjpe zeroVelocity(int joints) {
            Mpjpe score = new Mpjpe(cfg.predict(), joints);
            int chunk = 256;
            for (int from = 0; from < testWindows.size(); from += chunk) {
                int n = Math.min(chunk, testWindows.size() - from);
                WindowBatches.Batch b = inputs.prepareTargets(test, testWindows.subList(from, from + n));
                score.add(WindowBatches.repeatLast(b.lastPose(), n, cfg.predict()), b.future(), n);
            }
            return score;
        }

        private Map<String, Object> metrics(Options o, Mpjpe last, double[] at,
                                            Mpjpe zv, double[] zvAt, double best, int bestEpoch, double seconds)
                throws IOException {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("protocol", "motion-prediction");
            m.put("method", encoder.method());
            m.put("code_version", CodeVersion.current());
            m.put("environment", MachineInfo.current().toMap());
            m.put("checkpoint", o.checkpoint());
            m.put("encoder_source", encoder.source());
            m.put("finetune", o.finetune());
            m.put("dataset", run.readConfig().path("data").path("path").asText());
            m.put("train_split", train.name());
            m.put("test_split", test.name());
            m.put("seed", cfg.seed());
            m.put("final_mpjpe_mm", last.meanMm());
            m.put("final_mpjpe_frames_mm", byFrame(at));
            m.put("zero_velocity_mpjpe_mm", zv.meanMm());
            m.put("zero_velocity_frames_mm", byFrame(zvAt));
            m.put("best_mpjpe_mm", best);
            m.put("best_epoch", bestEpoch);
            m.put("best_mpjpe_mm_note", "test-selected: minimum over epochs of test MPJPE");
            m.put("mpjpe_note", "mean over the " + cfg.predict() + " predicted frames, all joints and test windows "
                    + "of the Euclidean joint error; frames numbered from 1 (the first predicted frame)");
            m.put("loss", LOSS);
            m.put("metres_per_unit", inputs.scale());
            m.put("observe_frames", cfg.observe());
            m.put("predict_frames", cfg.predict());
            m.put("encoder_input", "the observed frames of person 1 (others zero), resized to " + encoder.frames()
                    + " frames through the method's test transform (crop ratio 1)");
            m.put("train_clips", trainSel.size());
            m.put("test_clips", testSel.size());
            m.put("skipped", Map.of(
                    train.name(), skips(trainSel), test.name(), skips(testSel)));
            m.put("hidden", cfg.hidden());
            m.put("epochs", cfg.epochs());
            m.put("batch_size", cfg.batchSize());
            m.put("lr", cfg.lr());
            m.put("encoder_lr", o.finetune() ? cfg.encoderLr() : 0.0);
            m.put("clip_norm", cfg.clipNorm());
            m.put("optimizer", "SGD (no momentum, no weight decay), global gradient-norm clipping");
            m.put("seconds", seconds);
            return m;
        }
    }

    private static Map<String, Integer> skips(MotionWindows.Selection s) {
        Map<String, Integer> out = new LinkedHashMap<>();
        out.put("two_person", s.twoPerson());
        out.put("too_short", s.tooShort());
        out.put("empty_frames", s.emptyFrames());
        return out;
    }

    private static double frameOrNaN(Mpjpe m, int frame) {
        return frame <= m.perFrameMm().length ? m.atFrameMm(frame) : Double.NaN;
    }

    private static double[] reported(Mpjpe m) {
        double[] out = new double[Mpjpe.REPORTED_FRAMES.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = frameOrNaN(m, Mpjpe.REPORTED_FRAMES[i]);
        }
        return out;
    }

    private static Map<String, Double> byFrame(double[] at) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < at.length; i++) {
            out.put(String.valueOf(Mpjpe.REPORTED_FRAMES[i]), at[i]);
        }
        return out;
    }

    private static String join(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (double d : v) {
            sb.append(sb.length() == 0 ? "" : "/").append(String.format(Locale.ROOT, "%.1f", d));
        }
        return sb.toString();
    }

    static void writePerFrame(Path file, Mpjpe model, Mpjpe zeroVelocity) throws IOException {
        double[] a = model.perFrameMm();
        double[] z = zeroVelocity.perFrameMm();
        StringBuilder sb = new StringBuilder("frame,model_mpjpe_mm,zero_velocity_mpjpe_mm\n");
        for (int t = 0; t < a.length; t++) {
            sb.append(String.format(Locale.ROOT, "%d,%.6f,%.6f%n", t + 1, a[t], z[t]));
        }
        AtomicFiles.write(file, out -> out.write(sb.toString().getBytes(StandardCharsets.UTF_8)));
    }
}
