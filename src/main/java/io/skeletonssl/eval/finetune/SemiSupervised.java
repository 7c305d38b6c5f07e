package io.skeletonssl.eval.finetune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.engine.MachineInfo;
import io.skeletonssl.eval.LabelledSubset;
import io.skeletonssl.io.AtomicDirectory;
import io.skeletonssl.loader.ClipSource;
import io.skeletonssl.report.CodeVersion;
import io.skeletonssl.training.ConfigTree;
import io.skeletonssl.training.RunDirectory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Semi-supervised evaluation (issue 5 item 2): fine-tuning (the method's {@link FinetuneRecipe})
 * on a labelled fraction of the training split, tested on the whole test split, repeated. Repeat r
 * draws its own subset with {@link LabelledSubset#draw} from seed
 * {@link LabelledSubset#repeatSeed}(seed, r) (the official MAMP repeats all used one subset; here
 * they differ) and trains with that seed too. A plain draw that leaves a class of the training
 * split without a labelled clip is an error suggesting {@code --stratified}. With a validation
 * fraction F each repeat holds out a stratified part of its labelled subset for model selection
 * (refused when a class would have no clip left to train on) and the summary reports the mean and
 * standard deviation of the validation-selected test top-1.
 *
 * <p>Output: {@code repeat-R/} per repeat (a complete fine-tune folder: config, metrics.csv,
 * metrics.json, test scores), {@code repeats.csv} (one row per repeat), {@code config.yaml} and
 * {@code metrics.json} with every repeat and the mean ± sample standard deviation (n − 1) of the
 * final-epoch accuracies ({@code final_top1} is the mean, the headline).
 */
public final class SemiSupervised {

    /** Repeats of the papers' tables. */
    public static final int DEFAULT_REPEATS = 5;
    public static final String STD_NOTE = "sample standard deviation over repeats (n - 1 denominator)";

    /**
     * {@code base}: what to fine-tune; its {@code valFraction} F &gt; 0 holds out a stratified part of
     * every repeat's labelled subset for model selection; {@code ratio} in (0, 1].
     */
    public record Options(Finetune.Options base, double ratio, int repeats, boolean stratified) {
        public Options {
            Objects.requireNonNull(base, "base");
            if (!(ratio > 0 && ratio <= 1)) {
                throw new IllegalArgumentException("--ratio must lie in (0, 1], got " + ratio);
            }
            if (repeats < 1) {
                throw new IllegalArgumentException("--repeats must be >= 1, got " + repeats);
            }
        }
    }

    /**
     * One repeat's numbers (percent); {@code labelledClips} counts the whole subset, validation part
     * included; {@code valSelectedEpoch} −1 (and its accuracy NaN) without validation.
     */
    public record Repeat(int repeat, long subsetSeed, int labelledClips, double finalTop1, double finalTop5,
                         double bestTop1, int bestEpoch, int valSelectedEpoch, double valSelectedTestTop1,
                         double seconds) {
    }

    /** {@code meanValSelectedTop1}/{@code stdValSelectedTop1}: NaN without validation. */
    public record Result(Path out, List<Repeat> repeats, double meanTop1, double stdTop1, double meanValSelectedTop1,
                         double stdValSelectedTop1, int classes, double seconds) {
    }

    private final PrintStream log;

    public SemiSupervised(PrintStream log) {
        this.log = log;
    }

    public Result run(Options o) throws Exception {
        long t0 = System.nanoTime();
        Finetune ft = new Finetune(log);
        try (Finetune.Prepared p = Finetune.prepare(o.base(), log);
             AtomicDirectory dir = AtomicDirectory.create(o.base().out(), o.base().force())) {
            ObjectNode tree = p.config();
            RunDirectory.open(dir.temp()).writeConfig(tree);
            long seed = FinetuneRecipe.of(tree).seed();
            ClipSource train = ClipSource.of(p.train());
            int[] labels = Finetune.labelsOf(train);
            List<Repeat> repeats = new ArrayList<>();
            String source = null;
            for (int r = 0; r < o.repeats(); r++) {
                long subsetSeed = LabelledSubset.repeatSeed(seed, r);
                int[] idx = LabelledSubset.draw(labels, o.ratio(), subsetSeed, o.stratified());
                requireEveryClass(labels, idx, p.classes(), o, r, subsetSeed);
                ClipSource labelled = ClipSource.subset(train, idx);
                requireValidationSplit(labelled, o, p.classes(), r, subsetSeed);
                ObjectNode rt = tree.deepCopy();
                ConfigTree.applySet(rt, "finetune.seed=" + subsetSeed);
                Path rd = dir.temp().resolve("repeat-" + r);
                Map<String, Object> extra = new LinkedHashMap<>();
                extra.put("ratio", o.ratio());
                extra.put("stratified", o.stratified());
                extra.put("repeat", r);
                extra.put("subset_seed", subsetSeed);
                log.printf(Locale.ROOT, "semi repeat %d/%d: %d labelled clips (seed %d)%n", r + 1, o.repeats(),
                        idx.length, subsetSeed);
                Finetune.Result fr = ft.trainInto(rd, dir.target().resolve("repeat-" + r), p, rt,
                        labelled, o.base().valFraction(), "semi", extra, System.nanoTime());
                if (source == null) {
                    source = readJson(rd).path("encoder_source").asText();
                }
                repeats.add(new Repeat(r, subsetSeed, idx.length, fr.finalTop1(), fr.finalTop5(), fr.bestTop1(),
                        fr.bestEpoch(), fr.valSelectedEpoch(), fr.valSelectedTestTop1(), fr.seconds()));
            }
            double[] top1 = repeats.stream().mapToDouble(Repeat::finalTop1).toArray();
            double mean = mean(top1);
            double std = sampleStd(top1);
            boolean valOn = o.base().valFraction() > 0;
            double[] valTop1 = repeats.stream().mapToDouble(Repeat::valSelectedTestTop1).toArray();
            double valMean = valOn ? mean(valTop1) : Double.NaN;
            double valStd = valOn ? sampleStd(valTop1) : Double.NaN;
            writeRepeatsCsv(dir.temp().resolve("repeats.csv"), repeats, valOn);
            double seconds = (System.nanoTime() - t0) / 1e9;
            RunDirectory.open(dir.temp()).writeMetricsJson(summary(o, p, seed, source, repeats, seconds));
            log.printf(Locale.ROOT, "semi (ratio %s%s, %d repeats): final top-1 %.2f ± %.2f%% (sample std)%s -> %s%n",
                    o.ratio(), o.stratified() ? ", stratified" : "", o.repeats(), mean, std,
                    valOn ? String.format(Locale.ROOT, "; validation-selected epochs: test top-1 %.2f ± %.2f%%",
                            valMean, valStd) : "", dir.target());
            dir.commit();
            return new Result(dir.target(), repeats, mean, std, valMean, valStd, p.classes(), seconds);
        }
    }

    private static Map<String, Object> summary(Options o, Finetune.Prepared p, long seed, String source,
                                               List<Repeat> repeats, double seconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", "semi");
        m.put("method", p.target().method());
        m.put("code_version", CodeVersion.current());
        m.put("environment", MachineInfo.current().toMap());
        double[] top1 = repeats.stream().mapToDouble(Repeat::finalTop1).toArray();
        double[] top5 = repeats.stream().mapToDouble(Repeat::finalTop5).toArray();
        double[] best = repeats.stream().mapToDouble(Repeat::bestTop1).toArray();
        m.put("final_top1", mean(top1));
        m.put("final_top1_std", sampleStd(top1));
        m.put("final_top5", mean(top5));
        m.put("final_top5_std", sampleStd(top5));
        m.put("std_note", STD_NOTE);
        m.put("best_top1", mean(best));
        m.put("best_top1_std", sampleStd(best));
        m.put("best_top1_note", "test-selected: mean over repeats of each repeat's maximum test accuracy over epochs");
        boolean valOn = o.base().valFraction() > 0;
        if (valOn) {
            double[] val = repeats.stream().mapToDouble(Repeat::valSelectedTestTop1).toArray();
            m.put("val_fraction", o.base().valFraction());
            m.put("val_selected_test_top1", mean(val));
            m.put("val_selected_test_top1_std", sampleStd(val));
            m.put("val_note", "each repeat holds out a stratified part of its labelled subset (never trained on) and"
                    + " takes the test accuracy of the epoch with the best accuracy on it; mean and std over repeats");
        }
        m.put("accuracy_unit", "percent");
        m.put("ratio", o.ratio());
        m.put("stratified", o.stratified());
        m.put("repeats", repeats.size());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Repeat r : repeats) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("repeat", r.repeat());
            row.put("subset_seed", r.subsetSeed());
            row.put("labelled_clips", r.labelledClips());
            row.put("final_top1", r.finalTop1());
            row.put("final_top5", r.finalTop5());
            row.put("best_top1", r.bestTop1());
            row.put("best_epoch", r.bestEpoch());
            if (valOn) {
                row.put("val_selected_epoch", r.valSelectedEpoch());
                row.put("val_selected_test_top1", r.valSelectedTestTop1());
            }
            row.put("seconds", r.seconds());
            rows.add(row);
        }
        m.put("per_repeat", rows);
        m.put("checkpoint", o.base().checkpoint());
        m.put("encoder_source", source);
        m.put("from_scratch", o.base().fromScratch());
        m.put("dataset", p.config().path("data").path("path").asText());
        m.put("train_split", p.train().name());
        m.put("test_split", p.test().name());
        m.put("train_split_clips", p.train().size());
        m.put("classes", p.classes());
        m.put("chance_top1", 100.0 / p.classes());
        m.put("seed", seed);
        m.put("seed_note", "repeat r draws its subset and trains with seed * 1000003 + r");
        m.put("seconds", seconds);
        return m;
    }

    /** Every class of the training split must have a labelled clip (stratified draws guarantee it). */
    static void requireEveryClass(int[] labels, int[] subset, int classes, Options o, int repeat, long seed) {
        boolean[] present = new boolean[classes];
        for (int l : labels) {
            present[l] = true;
        }
        int[] missing = Arrays.stream(LabelledSubset.missingClasses(labels, subset, classes)).filter(c -> present[c])
                .toArray();
        if (missing.length > 0) {
            throw new IllegalArgumentException("--ratio " + o.ratio() + " gives " + subset.length + " labelled clips in"
                    + " repeat " + repeat + " (seed " + seed + "), leaving " + missing.length + " class(es) without a"
                    + " labelled clip (" + (missing.length <= 10 ? Arrays.toString(missing) : "e.g. "
                    + Arrays.toString(Arrays.copyOf(missing, 10))) + "); use --stratified (at least one clip per class)"
                    + " or a larger --ratio");
        }
    }

    /**
     * With a validation fraction, the repeat's labelled subset must give every class a held-out clip
     * and a training clip (see {@link Finetune#holdOut}); refused up front, naming the repeat.
     */
    static void requireValidationSplit(ClipSource labelled, Options o, int classes, int repeat, long seed) {
        if (o.base().valFraction() == 0) {
            return;
        }
        try {
            Finetune.holdOut(labelled, o.base().valFraction(), seed, classes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("repeat " + repeat + " (seed " + seed + ", " + labelled.size()
                    + " labelled clips at --ratio " + o.ratio() + "): " + e.getMessage()
                    + "; a larger --ratio gives more", e);
        }
    }

    private static void writeRepeatsCsv(Path file, List<Repeat> repeats, boolean valOn) throws IOException {
        StringBuilder sb = new StringBuilder("repeat,subset_seed,labelled_clips,final_top1,final_top5,best_top1,"
                + "best_epoch," + (valOn ? "val_selected_epoch,val_selected_test_top1," : "") + "seconds\n");
        for (Repeat r : repeats) {
            sb.append(String.format(Locale.ROOT, "%d,%d,%d,%.4f,%.4f,%.4f,%d,", r.repeat(), r.subsetSeed(),
                    r.labelledClips(), r.finalTop1(), r.finalTop5(), r.bestTop1(), r.bestEpoch()));
            if (valOn) {
                sb.append(String.format(Locale.ROOT, "%d,%.4f,", r.valSelectedEpoch(), r.valSelectedTestTop1()));
            }
            sb.append(String.format(Locale.ROOT, "%.2f%n", r.seconds()));
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    private static JsonNode readJson(Path dir) throws IOException {
        return new ObjectMapper().readTree(dir.resolve(RunDirectory.METRICS_JSON).toFile());
    }

    static double mean(double[] x) {
        return Arrays.stream(x).average().orElse(Double.NaN);
    }

    /** Sample standard deviation (n − 1); 0 for a single value. */
    static double sampleStd(double[] x) {
        if (x.length < 2) {
            return 0;
        }
        double m = mean(x);
        double ss = 0;
        for (double v : x) {
            ss += (v - m) * (v - m);
        }
        return Math.sqrt(ss / (x.length - 1));
    }
}
