package io.skeletonssl.eval;

import io.skeletonssl.engine.MachineInfo;
import io.skeletonssl.loader.ClipSource;
import io.skeletonssl.report.CodeVersion;
import io.skeletonssl.training.RunDirectory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * One frozen encoder with its linear-probe recipe on one dataset: extracts features of any clip
 * sources (clean, occluded, a held-out part) and trains, measures and reports linear heads on them.
 * {@link LinearProbe} runs one probe; {@link OcclusionEval} runs several on occluded sources.
 */
final class ProbeSession {

    /** The training clips' features per epoch, and how many clips one epoch has. */
    interface TrainFeatures extends IntFunction<Features> {
        int clips();

        int skipped();
    }

    /** Indices of a training split: the part kept for training and the held-out validation part. */
    record Holdout(int[] train, int[] val) {
    }

    private final Encoders.Loaded enc;
    private final ProbeRecipe recipe;
    private final int classes;
    private final FeatureExtractor fx;
    private final String checkpoint;
    private final String dataset;
    private final PrintStream log;
    private double featureSeconds;
    /** When the previous probe ended (or the session began), and the feature seconds by then. */
    private long mark = System.nanoTime();
    private double featureMark;

    ProbeSession(Encoders.Loaded enc, ProbeRecipe recipe, int classes, int threads, String checkpoint, String dataset,
                 PrintStream log) {
        this.enc = enc;
        this.recipe = recipe;
        this.classes = classes;
        this.fx = new FeatureExtractor(enc.encoder(), threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
        this.checkpoint = checkpoint;
        this.dataset = dataset;
        this.log = log;
    }

    ProbeRecipe recipe() {
        return recipe;
    }

    /**
     * A stratified, seeded held-out part of a training split ({@code fraction} of every class, at least
     * one clip per class; {@link LabelledSubset}) for model selection; the rest trains.
     */
    static Holdout holdOut(ClipSource train, double fraction, long seed) {
        LabelledSubset.Holdout h = LabelledSubset.holdOut(labels(train), fraction, seed, true, "training clips");
        return new Holdout(h.train(), h.val());
    }

    /** Features under the test-time transform (view 0 of the recipe's seed), e.g. of test or validation clips. */
    Features fixed(ClipSource source, String what) {
        long t0 = System.nanoTime();
        Features f = fx.extract(source, what, enc.testTransform(), recipe.seed(), 0, "features " + what);
        featureSeconds += (System.nanoTime() - t0) / 1e9;
        return f;
    }

    /**
     * Training features: {@code sourceOfView.apply(v)} are the clips of view (epoch) v, under the
     * training augmentation of view v. With {@code feature_views} K &gt; 0 the K views are encoded now
     * and epoch e uses view e mod K; with 0 every epoch is encoded when it is asked for.
     */
    TrainFeatures train(IntFunction<ClipSource> sourceOfView, String what) {
        int k = recipe.featureViews();
        Features[] views = new Features[k];
        for (int v = 0; v < k; v++) {
            views[v] = extractTrain(sourceOfView.apply(v), what, v, "features " + what + " view " + (v + 1) + "/" + k);
        }
        int clips = k > 0 ? views[0].size() : sourceOfView.apply(0).size();
        int skipped = k > 0 ? views[0].skipped() : 0;
        return new TrainFeatures() {
            @Override
            public Features apply(int epoch) {
                return k > 0 ? views[epoch % k] : extractTrain(sourceOfView.apply(epoch), what, epoch, null);
            }

            @Override
            public int clips() {
                return clips;
            }

            @Override
            public int skipped() {
                return skipped;
            }
        };
    }

    private Features extractTrain(ClipSource source, String what, int view, String task) {
        long t0 = System.nanoTime();
        Features f = fx.extract(source, what, enc.trainTransform(), recipe.seed(), view, task);
        featureSeconds += (System.nanoTime() - t0) / 1e9;
        return f;
    }

    /**
     * Trains a head on {@code train}, measuring {@code test} (and {@code val}, may be null) after every
     * epoch; writes {@code metrics.csv}, {@code metrics.json} ({@code protocol}, the common keys, then
     * {@code extra}) and the final epoch's {@link TestScores} (names from {@code testSource}) into
     * {@code folder}. {@code shownAs} is where the folder will end up (for the log line). Its {@code seconds}
     * run from the end of the session's previous probe (or the session's start), so they include the
     * feature extraction done for this probe.
     */
    LinearProbe.Result fitAndWrite(String protocol, TrainFeatures train, Features val, Features test,
                                   ClipSource testSource, Names splits, Path folder, Path shownAs,
                                   Map<String, Object> extra) throws IOException {
        int iters = train.clips() / recipe.batchSize();
        if (iters == 0) {
            throw new IllegalArgumentException("the train split has " + train.clips() + " clips, fewer than one batch of "
                    + recipe.batchSize() + " (the last short batch is dropped); lower it with --set linear_probe.batch_size=N");
        }
        RunDirectory run = RunDirectory.open(folder);
        HeadTrainer trainer = new HeadTrainer(recipe, enc.encoder().featureDim(), classes, protocol + " probe");
        HeadTrainer.Fit fit = trainer.fit(train, iters, test, val, e -> run.appendMetrics(row(e, val != null)));
        List<HeadTrainer.Epoch> history = fit.history();
        new TestScores(fit.finalTestLogits(), test.labels(), names(testSource, test)).write(folder);
        HeadTrainer.Epoch last = history.get(history.size() - 1);
        HeadTrainer.Epoch best = history.get(0);
        HeadTrainer.Epoch byVal = history.get(0);
        for (HeadTrainer.Epoch e : history) {
            best = e.testTop1() > best.testTop1() ? e : best;
            byVal = e.valTop1() > byVal.valTop1() ? e : byVal; // ties: the earliest
        }
        // this probe's time: since the previous one ended, so its feature extraction counts here
        long now = System.nanoTime();
        double seconds = (now - mark) / 1e9;
        double features = featureSeconds - featureMark;
        mark = now;
        featureMark = featureSeconds;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", protocol);
        m.put("method", enc.encoder().method());
        m.put("code_version", CodeVersion.current());
        m.put("environment", MachineInfo.current().toMap());
        m.put("final_top1", last.testTop1());
        m.put("final_top5", last.testTopK());
        m.put("top5_k", trainer.topK());
        m.put("best_top1", best.testTop1());
        m.put("best_epoch", best.epoch());
        m.put("best_top1_note", "test-selected: maximum over epochs of test accuracy");
        if (val != null) {
            m.put("val_fraction", splits.valFraction());
            m.put("val_clips", val.size());
            m.put("val_selected_epoch", byVal.epoch());
            m.put("val_selected_val_top1", byVal.valTop1());
            m.put("val_selected_test_top1", byVal.testTop1());
            m.put("val_selected_test_top5", byVal.testTopK());
        }
        m.put("accuracy_unit", "percent");
        m.put("chance_top1", 100.0 / classes);
        m.put("checkpoint", checkpoint);
        m.put("encoder_source", enc.encoder().source());
        m.put("dataset", dataset);
        m.put("train_split", splits.train());
        m.put("test_split", splits.test());
        m.put("train_clips", train.clips());
        m.put("test_clips", test.size());
        m.put("skipped_clips", test.skipped() + train.skipped());
        m.put("classes", classes);
        m.put("feature_dim", enc.encoder().featureDim());
        m.putAll(enc.metrics());
        m.put("head", recipe.headDescription());
        m.put("epochs", recipe.epochs());
        m.put("batch_size", recipe.batchSize());
        m.put("steps_per_epoch", iters);
        m.put("feature_views", recipe.featureViews());
        m.put("seed", recipe.seed());
        m.put("feature_seconds", features);
        m.put("seconds", seconds);
        m.putAll(extra);
        run.writeMetricsJson(m);
        double valEpochTop1 = val == null ? Double.NaN : byVal.testTop1();
        String selected = val == null ? ""
                : String.format(Locale.ROOT, "; %.2f%% at val-selected epoch %d", valEpochTop1, byVal.epoch());
        log.printf(Locale.ROOT, "%s probe: final top-1 %.2f%%, top-%d %.2f%% (best top-1 %.2f%% at epoch %d, "
                        + "test-selected%s); %d train / %d test clips, %d classes, %.1f s -> %s%n",
                protocol, last.testTop1(), trainer.topK(), last.testTopK(), best.testTop1(), best.epoch(), selected,
                train.clips(), test.size(), classes, seconds, shownAs);
        return new LinearProbe.Result(shownAs, last.testTop1(), last.testTopK(), best.testTop1(), best.epoch(),
                train.clips(), test.size(), classes, seconds, val == null ? -1 : byVal.epoch(), valEpochTop1);
    }

    /** The split names for reports, and the validation fraction (0: none). */
    record Names(String train, String test, double valFraction) {
    }

    private static Map<String, Object> row(HeadTrainer.Epoch e, boolean withVal) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("epoch", e.epoch());
        row.put("loss", e.loss());
        row.put("lr", e.lr());
        row.put("train_top1", e.trainTop1());
        if (withVal) {
            row.put("val_top1", e.valTop1());
        }
        row.put("test_top1", e.testTop1());
        row.put("test_top5", e.testTopK());
        row.put("seconds", e.seconds());
        return row;
    }

    private static List<String> names(ClipSource source, Features f) {
        List<String> out = new ArrayList<>(f.size());
        for (int i : f.sourceIndex()) {
            out.add(source.name(i));
        }
        return out;
    }

    /** The labels of a source, in order. */
    static int[] labels(ClipSource s) {
        int[] out = new int[s.size()];
        Arrays.setAll(out, s::label);
        return out;
    }
}
