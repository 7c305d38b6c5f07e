package io.skeletonssl.eval.finetune;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.dataset.SkeletonDataset;
import io.skeletonssl.engine.MachineInfo;
import io.skeletonssl.eval.Encoders;
import io.skeletonssl.eval.LabelledSubset;
import io.skeletonssl.eval.LinearProbe;
import io.skeletonssl.eval.TestScores;
import io.skeletonssl.io.AtomicDirectory;
import io.skeletonssl.loader.ClipSource;
import io.skeletonssl.report.CodeVersion;
import io.skeletonssl.training.ConfigTree;
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
import java.util.Objects;

/**
 * Fine-tuning evaluation (issue 5 item 1): the encoder of {@code --checkpoint} (a run, a checkpoint
 * folder or {@code random}) and a new head trained together on the training split in the method's
 * recipe ({@link FinetuneRecipe}: MAMP §2.10, PCM3 §3.13), test accuracy after every epoch. The
 * headline is the final epoch ({@code final_top1}); the best epoch is reported labelled
 * test-selected; with a validation fraction F a stratified, seeded part of the training split is
 * held out, never trained on, and selects an epoch ({@code val_selected_*}). {@code fromScratch}
 * (the papers' "w/o pre-training"): random weights with the checkpoint's (or preset's) architecture
 * and no layer-wise decay. Accuracies are in percent.
 *
 * <p>The output folder (built aside, renamed into place at the end) holds {@code config.yaml}
 * (resolved, with the {@code finetune} section), {@code metrics.csv} (per epoch: epoch, loss, lr,
 * train_top1, test_top1, test_top5, [val_top1,] seconds), {@code metrics.json} and the final
 * epoch's test scores ({@link TestScores}).
 */
public final class Finetune {

    /**
     * {@code epochs} and {@code seed} (may be null) override {@code finetune.epochs} /
     * {@code finetune.seed}; {@code valFraction} 0 holds nothing out.
     */
    public record Options(String checkpoint, String preset, List<String> sets, Path data, Path out, Integer epochs,
                          Long seed, boolean fromScratch, double valFraction, int threads, String trainSplit,
                          String testSplit, boolean force) {
        public Options {
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(out, "out");
            sets = sets == null ? List.of() : List.copyOf(sets);
            trainSplit = trainSplit == null ? "train" : trainSplit;
            testSplit = testSplit == null ? "test" : testSplit;
            LabelledSubset.requireValFraction(valFraction);
        }
    }

    /** The outcome; accuracies in percent; {@code valSelectedEpoch} −1 without validation. */
    public record Result(Path out, double finalTop1, double finalTop5, double bestTop1, int bestEpoch,
                         int valSelectedEpoch, double valSelectedTestTop1, int trainClips, int testClips, int classes,
                         double seconds) {
    }

    private final PrintStream log;

    public Finetune(PrintStream log) {
        this.log = log;
    }

    public Result run(Options o) throws Exception {
        long t0 = System.nanoTime();
        try (Prepared p = prepare(o, log);
             AtomicDirectory dir = AtomicDirectory.create(o.out(), o.force())) {
            ClipSource train = ClipSource.of(p.train());
            Result r = trainInto(dir.temp(), dir.target(), p, p.config(), train, o.valFraction(), "finetune",
                    new LinkedHashMap<>(), t0);
            dir.commit();
            return r;
        }
    }

    /** The dataset, its splits and class count, the resolved target and configuration of a run. */
    record Prepared(SkeletonDataset ds, SkeletonDataset.ClipSplit train, SkeletonDataset.ClipSplit test,
                    Encoders.Target target, ObjectNode config, int classes, Options options) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            ds.close();
        }
    }

    static Prepared prepare(Options o, PrintStream log) throws IOException {
        SkeletonDataset ds = SkeletonDataset.open(o.data());
        try {
            SkeletonDataset.ClipSplit train = LinearProbe.split(ds, o.trainSplit(), "--train-split");
            SkeletonDataset.ClipSplit test = LinearProbe.split(ds, o.testSplit(), "--test-split");
            if (train.persons() != test.persons()) {
                throw new IllegalArgumentException(ds.dir() + ": splits '" + train.name() + "' and '" + test.name()
                        + "' have M=" + train.persons() + " and M=" + test.persons() + " persons");
            }
            int classes = LinearProbe.classCount(ds, train, test);
            List<String> sets = new ArrayList<>(o.sets());
            if (o.epochs() != null) {
                sets.add("finetune.epochs=" + o.epochs());
            }
            if (o.seed() != null) {
                sets.add("finetune.seed=" + o.seed());
            }
            Encoders.Target t = Encoders.resolve(o.checkpoint(), o.preset(), sets, ds.manifest().layout(),
                    train.persons(), log);
            ObjectNode tree = t.config();
            if (o.fromScratch() && t.method().equals("mamp")) {
                ConfigTree.applySet(tree, "finetune.layer_decay=1.0"); // "w/o pre-training": no layer-wise decay
            }
            ((ObjectNode) tree.path("data")).put("path", ds.dir().toAbsolutePath().normalize().toString());
            FinetuneRecipe.of(tree); // bad settings fail before any work
            return new Prepared(ds, train, test, t, tree, classes, o);
        } catch (RuntimeException | IOException e) {
            try {
                ds.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Fine-tunes a fresh encoder of {@code p} with configuration {@code tree} on {@code train} (the
     * whole split or a labelled subset) into folder {@code dir}; {@code extra} entries go into
     * metrics.json after the common ones.
     */
    Result trainInto(Path dir, Path reportedAs, Prepared p, ObjectNode tree, ClipSource train, double valFraction,
                     String protocol, Map<String, Object> extra, long t0) throws IOException {
        Options o = p.options();
        FinetuneRecipe recipe = FinetuneRecipe.of(tree);
        ClipSource fit = train;
        ClipSource val = null;
        if (valFraction > 0) {
            LabelledSubset.Holdout h = holdOut(train, valFraction, recipe.seed(), p.classes());
            fit = ClipSource.subset(train, h.train());
            val = ClipSource.subset(train, h.val());
        }
        RunDirectory run = RunDirectory.open(dir);
        run.writeConfig(tree);
        boolean valOn = val != null;
        int threads = o.threads() > 0 ? o.threads() : Runtime.getRuntime().availableProcessors();
        Finetuner.Outcome out;
        String source;
        try (TrainableEncoders.Loaded enc = TrainableEncoders.open(p.target(), p.ds().manifest().layout(),
                o.fromScratch())) {
            source = enc.encoder().source();
            out = new Finetuner(enc.encoder(), recipe, threads, protocol).fit(fit, enc.trainTransform(),
                    ClipSource.of(p.test()), enc.testTransform(), val, p.classes(), e -> {
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("epoch", e.epoch());
                        row.put("loss", e.loss());
                        row.put("lr", e.lr());
                        row.put("train_top1", e.trainTop1());
                        row.put("test_top1", e.testTop1());
                        row.put("test_top5", e.testTopK());
                        if (valOn) {
                            row.put("val_top1", e.valTop1());
                        }
                        row.put("seconds", e.seconds());
                        run.appendMetrics(row);
                    });
        }
        new TestScores(out.testLogits(), out.testLabels(), out.testNames()).write(dir);
        Finetuner.Epoch last = out.last();
        Finetuner.Epoch best = out.history().get(0);
        Finetuner.Epoch valBest = valOn ? out.history().get(0) : null;
        for (Finetuner.Epoch e : out.history()) {
            if (e.testTop1() > best.testTop1()) {
                best = e;
            }
            if (valOn && e.valTop1() > valBest.valTop1()) {
                valBest = e;
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", protocol);
        m.put("method", p.target().method());
        m.put("code_version", CodeVersion.current());
        m.put("environment", MachineInfo.current().toMap());
        m.put("final_top1", last.testTop1());
        m.put("final_top5", last.testTopK());
        m.put("top5_k", Math.min(5, p.classes()));
        m.put("best_top1", best.testTop1());
        m.put("best_epoch", best.epoch());
        m.put("best_top1_note", "test-selected: maximum over epochs of test accuracy");
        if (valOn) {
            m.put("val_fraction", valFraction);
            m.put("val_clips", val.size());
            m.put("val_selected_epoch", valBest.epoch());
            m.put("val_selected_val_top1", valBest.valTop1());
            m.put("val_selected_test_top1", valBest.testTop1());
        }
        m.put("accuracy_unit", "percent");
        m.put("chance_top1", 100.0 / p.classes());
        m.put("checkpoint", o.checkpoint());
        m.put("encoder_source", source);
        m.put("from_scratch", o.fromScratch());
        m.put("dataset", tree.path("data").path("path").asText());
        m.put("train_split", p.train().name());
        m.put("test_split", p.test().name());
        m.put("train_clips", fit.size());
        m.put("test_clips", out.testLabels().length);
        m.put("skipped_test_clips", p.test().size() - out.testLabels().length);
        m.put("classes", p.classes());
        m.put("seed", recipe.seed());
        m.put("epochs", recipe.epochs());
        m.put("batch_size", out.batchSize());
        m.put("steps_per_epoch", out.stepsPerEpoch());
        m.put("layer_decay", recipe.layerDecay());
        m.put("label_smoothing", recipe.labelSmoothing());
        m.put("encoder_parameters", out.encoderParameters());
        m.put("head_parameters", out.headParameters());
        m.putAll(extra);
        m.put("seconds", seconds);
        run.writeMetricsJson(m);
        log.printf(Locale.ROOT, "%s: final top-1 %.2f%%, top-%d %.2f%% (best top-1 %.2f%% at epoch %d, test-selected%s);"
                        + " %d train / %d test clips, %d classes, %.1f s -> %s%n", protocol, last.testTop1(),
                Math.min(5, p.classes()), last.testTopK(), best.testTop1(), best.epoch(),
                valOn ? String.format(Locale.ROOT, "; validation picks epoch %d: test top-1 %.2f%%", valBest.epoch(),
                        valBest.testTop1()) : "",
                fit.size(), out.testLabels().length, p.classes(), seconds, reportedAs);
        return new Result(reportedAs, last.testTop1(), last.testTopK(), best.testTop1(), best.epoch(),
                valOn ? valBest.epoch() : -1, valOn ? valBest.testTop1() : Double.NaN, fit.size(),
                out.testLabels().length, p.classes(), seconds);
    }


    static int[] labelsOf(ClipSource s) {
        int[] y = new int[s.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = s.label(i);
        }
        return y;
    }

    /** The stratified validation part of {@code train} that a run with {@code seed} holds out. */
    static LabelledSubset.Holdout holdOut(ClipSource train, double valFraction, long seed, int classes) {
        int[] labels = labelsOf(train);
        LabelledSubset.Holdout h = LabelledSubset.holdOut(labels, valFraction,
                seed ^ LabelledSubset.HOLD_OUT_SALT, true, "training clips");
        requireTrainingClipPerClass(labels, h, valFraction, classes);
        return h;
    }

    /**
     * A stratified hold-out takes at least one clip of every class: a class with too few clips would
     * then have none left to train on, which silently drops it from training, so it is refused.
     */
    static void requireTrainingClipPerClass(int[] labels, LabelledSubset.Holdout h, double valFraction, int classes) {
        boolean[] present = new boolean[classes];
        for (int l : labels) {
            present[l] = true;
        }
        int[] untrained = Arrays.stream(LabelledSubset.missingClasses(labels, h.train(), classes))
                .filter(c -> present[c]).toArray();
        if (untrained.length > 0) {
            throw new IllegalArgumentException("--val-fraction " + valFraction + " holds out every clip of class(es) "
                    + (untrained.length <= 10 ? Arrays.toString(untrained)
                    : "e.g. " + Arrays.toString(Arrays.copyOf(untrained, 10))) + " of the " + labels.length
                    + " training clips (the validation part takes at least one clip per class, so every class needs"
                    + " at least two: one held out, one to train on); use a smaller --val-fraction or more clips");
        }
    }

    static String describeSubset(int[] idx) {
        return idx.length <= 8 ? Arrays.toString(idx) : idx.length + " clips";
    }
}
