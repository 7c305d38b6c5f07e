package io.skeletonssl.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.engine.MachineInfo;
import io.skeletonssl.layout.SkeletonLayout;
import io.skeletonssl.loader.ClipSource;
import io.skeletonssl.report.CodeVersion;
import io.skeletonssl.training.RunDirectory;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Occluded-skeleton evaluation (PCM3 Table 4, following RA-GCN; issue 5): the method's linear probe
 * ({@link LinearProbe}, same recipe) on clips occluded before the method's transform
 * ({@link OccludedSource}, masks of {@link Occlusion}), per occlusion kind, next to the clean probe.
 *
 * <p>Default ({@code trainClean} false): the head is trained on occluded clips (new masks every
 * feature view / epoch) and tested on occluded clips (masks fixed by {@code maskSeed} and the clip
 * index). {@code trainClean}: RA-GCN's variant, trained on clean clips and tested on occluded ones
 * (the clean run's training features are reused). The headline per kind is the final-epoch top-1;
 * the drop is clean − occluded final top-1, both from runs with the same recipe and seed.
 *
 * <p>For MAMP, whose pipeline recounts the valid frames from the data (non-zero frames), a hidden
 * block of k frames makes the window the first L − k frames of the clip, as MAMP's feeder would
 * treat such a clip.
 *
 * <p>Output: {@code config.yaml} (with an {@code occlusion} section), {@code metrics.json} (per kind:
 * accuracy, clean accuracy, drop), {@code metrics.csv} (one row per condition), and the folders
 * {@code clean/}, {@code spatial/}, {@code temporal/} each with the probe's {@code metrics.csv},
 * {@code metrics.json} and {@link TestScores}.
 */
public final class OcclusionEval {

    /**
     * {@code probe}: encoder, data, recipe overrides and output folder as for {@code eval linear}
     * (its {@code valFraction} holds out an occluded validation part for epoch selection);
     * {@code kinds}: the occlusions to test; {@code maskSeed}: the seed of the fixed test masks.
     */
    public record Options(LinearProbe.Options probe, List<Occlusion.Kind> kinds, boolean trainClean, long maskSeed) {
        public Options {
            Objects.requireNonNull(probe, "probe");
            kinds = List.copyOf(kinds);
            if (kinds.isEmpty()) {
                throw new IllegalArgumentException("name at least one occlusion kind");
            }
        }
    }

    /** One kind's numbers, in percent; {@code valSelectedTop1} NaN without a validation part. */
    public record KindResult(Occlusion.Kind kind, double top1, double top5, double cleanTop1, double drop,
                             double valSelectedTop1, Path folder) {
    }

    public record Result(Path out, double cleanTop1, double cleanTop5, List<KindResult> kinds, double seconds) {
    }

    private final PrintStream log;

    public OcclusionEval(PrintStream log) {
        this.log = log;
    }

    public Result run(Options o) throws Exception {
        long t0 = System.nanoTime();
        String train = o.trainClean() ? "clean" : "occluded";
        return LinearProbe.open(o.probe(), tree -> tree.set("occlusion", section(tree, o, train)), log, p -> {
            for (Occlusion.Kind k : o.kinds()) {
                requireApplicable(k, p.layout());
            }
            ProbeSession session = p.session();
            ProbeSession.Names names = p.names(o.probe());
            ClipSource trainRaw = ClipSource.of(p.train());
            ClipSource valRaw = null;
            if (o.probe().valFraction() > 0) {
                ProbeSession.Holdout h = ProbeSession.holdOut(trainRaw, o.probe().valFraction(), p.recipe().seed());
                valRaw = ClipSource.subset(trainRaw, h.val());
                trainRaw = ClipSource.subset(trainRaw, h.train());
            }
            ClipSource testRaw = ClipSource.of(p.test());
            String trainName = "split '" + p.train().name() + "'";
            String testName = "split '" + p.test().name() + "'";

            ClipSource cleanTrain = trainRaw;
            ProbeSession.TrainFeatures cleanFeatures = session.train(v -> cleanTrain, trainName);
            LinearProbe.Result clean = session.fitAndWrite("linear", cleanFeatures,
                    valRaw == null ? null : session.fixed(valRaw, "validation part of " + trainName),
                    session.fixed(testRaw, testName), testRaw, names, p.temp().resolve("clean"),
                    p.target().resolve("clean"), Map.of("occlusion", "none"));

            RunDirectory root = RunDirectory.open(p.temp());
            root.appendMetrics(row("clean", "clean", clean.finalTop1(), clean.finalTop5(), clean.finalTop1(),
                    clean.valSelectedTop1()));
            List<KindResult> results = new ArrayList<>();
            for (Occlusion.Kind kind : o.kinds()) {
                String dir = kind.name().toLowerCase(Locale.ROOT);
                SkeletonLayout layout = p.layout();
                ClipSource occludedTest = OccludedSource.fixed(testRaw, kind, layout, o.maskSeed());
                Features val = valRaw == null ? null : session.fixed(OccludedSource.fixed(valRaw, kind, layout,
                        o.maskSeed()), dir + "-occluded validation part of " + trainName);
                ClipSource trainClips = trainRaw;
                ProbeSession.TrainFeatures tr = o.trainClean() ? cleanFeatures
                        : session.train(v -> OccludedSource.view(trainClips, kind, layout, o.maskSeed(), v),
                        dir + "-occluded " + trainName);
                Map<String, Object> extra = new LinkedHashMap<>();
                extra.put("occlusion", dir);
                extra.put("occlusion_train", train);
                extra.put("mask_seed", o.maskSeed());
                LinearProbe.Result r = session.fitAndWrite("occlusion", tr, val,
                        session.fixed(occludedTest, dir + "-occluded " + testName), occludedTest, names,
                        p.temp().resolve(dir), p.target().resolve(dir), extra);
                KindResult kr = new KindResult(kind, r.finalTop1(), r.finalTop5(), clean.finalTop1(),
                        clean.finalTop1() - r.finalTop1(), r.valSelectedTop1(), r.out());
                results.add(kr);
                root.appendMetrics(row(dir, train, kr.top1(), kr.top5(), kr.cleanTop1(), kr.valSelectedTop1()));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            root.writeMetricsJson(metrics(o, p, train, clean, results, seconds));
            log.print(table(clean, results, train));
            return new Result(p.target(), clean.finalTop1(), clean.finalTop5(), List.copyOf(results), seconds);
        });
    }

    /** Spatial occlusion needs body parts; a clear error before any work otherwise. */
    static void requireApplicable(Occlusion.Kind kind, SkeletonLayout layout) {
        if (kind == Occlusion.Kind.SPATIAL && layout.bodyParts().isEmpty()) {
            throw new IllegalArgumentException("layout '" + layout.name() + "' defines no body parts: spatial occlusion "
                    + "hides body parts; use --kind temporal");
        }
    }

    private static ObjectNode section(ObjectNode tree, Options o, String train) {
        ObjectNode s = tree.objectNode();
        var kinds = s.putArray("kinds");
        o.kinds().forEach(k -> kinds.add(k.name().toLowerCase(Locale.ROOT)));
        s.put("train", train);
        s.put("mask_seed", o.maskSeed());
        s.putArray("severity").add(Occlusion.MIN_SEVERITY).add(Occlusion.MAX_SEVERITY);
        s.put("val_fraction", o.probe().valFraction());
        return s;
    }

    private static Map<String, Object> row(String condition, String train, double top1, double top5, double cleanTop1,
                                           double valSelected) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("condition", condition);
        m.put("train", train);
        m.put("final_top1", top1);
        m.put("final_top5", top5);
        m.put("clean_final_top1", cleanTop1);
        m.put("drop_top1", cleanTop1 - top1);
        m.put("val_selected_test_top1", valSelected);
        return m;
    }

    private static Map<String, Object> metrics(Options o, LinearProbe.Opened p, String train, LinearProbe.Result clean,
                                               List<KindResult> results, double seconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", "occlusion");
        m.put("method", p.encoder().encoder().method());
        m.put("code_version", CodeVersion.current());
        m.put("environment", MachineInfo.current().toMap());
        m.put("checkpoint", o.probe().checkpoint());
        m.put("encoder_source", p.encoder().encoder().source());
        m.put("dataset", p.dataset());
        m.put("train_split", p.train().name());
        m.put("test_split", p.test().name());
        m.put("seed", p.recipe().seed());
        m.put("classes", p.classes());
        m.put("occlusion_train", train);
        m.put("mask_seed", o.maskSeed());
        m.put("severity_range", List.of(Occlusion.MIN_SEVERITY, Occlusion.MAX_SEVERITY));
        m.put("accuracy_unit", "percent");
        m.put("clean_final_top1", clean.finalTop1());
        m.put("clean_final_top5", clean.finalTop5());
        if (o.probe().valFraction() > 0) {
            m.put("val_fraction", o.probe().valFraction());
            m.put("clean_val_selected_epoch", clean.valSelectedEpoch());
            m.put("clean_val_selected_test_top1", clean.valSelectedTop1());
        }
        Map<String, Object> kinds = new LinkedHashMap<>();
        for (KindResult r : results) {
            Map<String, Object> k = new LinkedHashMap<>();
            k.put("final_top1", r.top1());
            k.put("final_top5", r.top5());
            k.put("clean_final_top1", r.cleanTop1());
            k.put("drop_top1", r.drop());
            k.put("drop_note", "clean final top-1 minus occluded final top-1, percentage points");
            if (o.probe().valFraction() > 0) {
                k.put("val_selected_test_top1", r.valSelectedTop1());
            }
            kinds.put(r.kind().name().toLowerCase(Locale.ROOT), k);
        }
        m.put("kinds", kinds);
        m.put("seconds", seconds);
        return m;
    }

    static String table(LinearProbe.Result clean, List<KindResult> results, String train) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "%nocclusion (train %s, test occluded; final-epoch top-1, %%)%n%-10s %9s %9s %9s%n",
                train, "kind", "top-1", "clean", "drop"));
        b.append(String.format(Locale.ROOT, "%-10s %9.2f %9.2f %9.2f%n", "none", clean.finalTop1(), clean.finalTop1(), 0.0));
        for (KindResult r : results) {
            b.append(String.format(Locale.ROOT, "%-10s %9.2f %9.2f %9.2f%n", r.kind().name().toLowerCase(Locale.ROOT),
                    r.top1(), r.cleanTop1(), r.drop()));
        }
        return b.toString();
    }
}
