package io.skeletonssl.eval;

import io.skeletonssl.report.CodeVersion;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.dataset.SkeletonDataset;
import io.skeletonssl.io.AtomicDirectory;
import io.skeletonssl.training.RunDirectory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * Linear probing: a frozen encoder, one feature per clip, a head trained with SGD on the features
 * in the method's recipe ({@link ProbeRecipe}): MAMP (spec §2.9) a BatchNorm1d(affine=False) +
 * Linear head with a per-iteration cosine learning rate, train clips with the pretraining
 * augmentation; PCM3 (§3.13) a Linear head with step decay, train clips randomly cropped. Test
 * clips get the centre crop. Test accuracy is
 * measured after every epoch; the headline is the last epoch's ({@code final_top1}); the best epoch
 * is reported too, labelled as selected on the test set. Accuracies are in percent.
 *
 * <p>The output folder (built aside and renamed into place at the end) holds {@code config.yaml}
 * (resolved), {@code metrics.csv} (per epoch: epoch, loss, lr, train_top1, test_top1, test_top5,
 * seconds) and {@code metrics.json}.
 */
public final class LinearProbe {

    /**
     * What to run. {@code checkpoint}: a run folder, a checkpoint folder or {@code random}
     * (then {@code preset} is required). {@code epochs} and {@code seed} (may be null) override
     * {@code linear_probe.epochs} / {@code linear_probe.seed}.
     */
    public record Options(String checkpoint, String preset, List<String> sets, Path data, Path out, Integer epochs,
                          Long seed, int threads, String trainSplit, String testSplit, boolean force) {
        public Options {
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(out, "out");
            sets = sets == null ? List.of() : List.copyOf(sets);
            trainSplit = trainSplit == null ? "train" : trainSplit;
            testSplit = testSplit == null ? "test" : testSplit;
        }
    }

    /** The outcome; accuracies in percent. */
    public record Result(Path out, double finalTop1, double finalTop5, double bestTop1, int bestEpoch,
                         int trainClips, int testClips, int classes, double seconds) {
    }

    private final PrintStream log;

    public LinearProbe(PrintStream log) {
        this.log = log;
    }

    public Result run(Options o) throws Exception {
        long t0 = System.nanoTime();
        try (SkeletonDataset ds = SkeletonDataset.open(o.data())) {
            SkeletonDataset.ClipSplit train = split(ds, o.trainSplit(), "--train-split");
            SkeletonDataset.ClipSplit test = split(ds, o.testSplit(), "--test-split");
            List<String> sets = new ArrayList<>(o.sets());
            if (o.epochs() != null) {
                sets.add("linear_probe.epochs=" + o.epochs());
            }
            if (o.seed() != null) {
                sets.add("linear_probe.seed=" + o.seed());
            }
            try (Encoders.Loaded enc = Encoders.open(o.checkpoint(), o.preset(), sets, ds.manifest().layout(),
                    train.persons(), log);
                 AtomicDirectory dir = AtomicDirectory.create(o.out(), o.force())) {
                ObjectNode tree = enc.config();
                ((ObjectNode) tree.path("data")).put("path", ds.dir().toAbsolutePath().normalize().toString());
                ProbeRecipe pc = ProbeRecipe.of(tree);
                int classes = classCount(ds, train, test);
                RunDirectory run = RunDirectory.open(dir.temp());
                run.writeConfig(tree);
                Result r = train(o, enc, pc, classes, train, test, run, t0, dir.target());
                dir.commit();
                return r;
            }
        }
    }

    public static SkeletonDataset.ClipSplit split(SkeletonDataset ds, String name, String option) throws IOException {
        if (!ds.splitNames().contains(name)) {
            throw new IllegalArgumentException(ds.dir() + ": no split '" + name + "' (the dataset has "
                    + ds.splitNames() + "; choose with " + option + ")");
        }
        SkeletonDataset.ClipSplit s = ds.clips(name);
        if (s.size() == 0) {
            throw new IllegalArgumentException(ds.dir() + ": split '" + name + "' is empty");
        }
        return s;
    }

    /** The manifest's class count, checked against the labels present. */
    public static int classCount(SkeletonDataset ds, SkeletonDataset.ClipSplit... splits) {
        int max = -1;
        for (SkeletonDataset.ClipSplit s : splits) {
            for (int l : s.labels()) {
                if (l < 0) {
                    throw new IllegalArgumentException(ds.dir() + ": split '" + s.name() + "' has unlabelled clips (label "
                            + l + ")");
                }
                max = Math.max(max, l);
            }
        }
        int declared = ds.manifest().numClasses();
        if (declared > 0 && max >= declared) {
            throw new IllegalArgumentException(ds.dir() + ": label " + max + " but the manifest declares "
                    + declared + " classes");
        }
        return Math.max(declared, max + 1);
    }

    private Result train(Options o, Encoders.Loaded enc, ProbeRecipe pc, int classes, SkeletonDataset.ClipSplit trainSplit,
                         SkeletonDataset.ClipSplit testSplit, RunDirectory run, long t0, Path target) throws IOException {
        FeatureExtractor fx = new FeatureExtractor(enc.encoder(), o.threads() > 0 ? o.threads()
                : Runtime.getRuntime().availableProcessors());
        long f0 = System.nanoTime();
        Features test = fx.extract(testSplit, enc.testTransform(), pc.seed(), 0, "features " + testSplit.name());
        Features[] views = new Features[pc.featureViews()];
        for (int v = 0; v < views.length; v++) {
            views[v] = fx.extract(trainSplit, enc.trainTransform(), pc.seed(), v,
                    "features " + trainSplit.name() + " view " + (v + 1) + "/" + views.length);
        }
        double featureSeconds = (System.nanoTime() - f0) / 1e9;
        int trainClips = views.length > 0 ? views[0].size() : trainSplit.size();
        int iters = trainClips / pc.batchSize();
        if (iters == 0) {
            throw new IllegalArgumentException("the train split has " + trainClips + " clips, fewer than one batch of "
                    + pc.batchSize() + " (the last short batch is dropped); lower it with --set linear_probe.batch_size=N");
        }
        HeadTrainer trainer = new HeadTrainer(pc, enc.encoder().featureDim(), classes);
        double[] extraSeconds = {0};
        IntFunction<Features> trainOfEpoch = epoch -> {
            if (views.length > 0) {
                return views[epoch % views.length];
            }
            long x0 = System.nanoTime();
            Features f = fx.extract(trainSplit, enc.trainTransform(), pc.seed(), epoch, null);
            extraSeconds[0] += (System.nanoTime() - x0) / 1e9;
            return f;
        };
        List<HeadTrainer.Epoch> history = trainer.fit(trainOfEpoch, iters, test, e -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("epoch", e.epoch());
            row.put("loss", e.loss());
            row.put("lr", e.lr());
            row.put("train_top1", e.trainTop1());
            row.put("test_top1", e.testTop1());
            row.put("test_top5", e.testTopK());
            row.put("seconds", e.seconds());
            run.appendMetrics(row);
        });
        featureSeconds += extraSeconds[0];
        HeadTrainer.Epoch lastEpoch = history.get(history.size() - 1);
        HeadTrainer.Epoch best = history.get(0);
        for (HeadTrainer.Epoch e : history) {
            if (e.testTop1() > best.testTop1()) {
                best = e;
            }
        }
        int topK = trainer.topK();
        double[] last = {lastEpoch.testTop1(), lastEpoch.testTopK()};
        double bestTop1 = best.testTop1();
        int bestEpoch = best.epoch();
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", "linear");
        m.put("method", enc.encoder().method());
        m.put("code_version", CodeVersion.current());
        m.put("final_top1", last[0]);
        m.put("final_top5", last[1]);
        m.put("top5_k", topK);
        m.put("best_top1", bestTop1);
        m.put("best_epoch", bestEpoch);
        m.put("best_top1_note", "test-selected: maximum over epochs of test accuracy");
        m.put("accuracy_unit", "percent");
        m.put("chance_top1", 100.0 / classes);
        m.put("checkpoint", o.checkpoint());
        m.put("encoder_source", enc.encoder().source());
        m.put("dataset", run.readConfig().path("data").path("path").asText());
        m.put("train_split", trainSplit.name());
        m.put("test_split", testSplit.name());
        m.put("train_clips", trainClips);
        m.put("test_clips", test.size());
        m.put("skipped_clips", test.skipped() + (views.length > 0 ? views[0].skipped() : 0));
        m.put("classes", classes);
        m.put("feature_dim", enc.encoder().featureDim());
        m.put("head", pc.headDescription());
        m.put("epochs", pc.epochs());
        m.put("batch_size", pc.batchSize());
        m.put("steps_per_epoch", iters);
        m.put("feature_views", pc.featureViews());
        m.put("seed", pc.seed());
        m.put("feature_seconds", featureSeconds);
        m.put("seconds", seconds);
        run.writeMetricsJson(m);
        log.printf(java.util.Locale.ROOT, "linear probe: final top-1 %.2f%%, top-%d %.2f%% (best top-1 %.2f%% at epoch %d, "
                        + "test-selected); %d train / %d test clips, %d classes, %.1f s -> %s%n",
                last[0], topK, last[1], bestTop1, bestEpoch, trainClips, test.size(), classes, seconds, target);
        return new Result(target, last[0], last[1], bestTop1, bestEpoch, trainClips, test.size(), classes, seconds);
    }
}
