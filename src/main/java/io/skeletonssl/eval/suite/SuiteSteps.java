package io.skeletonssl.eval.suite;

import io.skeletonssl.dataset.SkeletonDataset;
import io.skeletonssl.eval.Encoders;
import io.skeletonssl.eval.Ensemble;
import io.skeletonssl.eval.Occlusion;
import io.skeletonssl.eval.OcclusionEval;
import io.skeletonssl.eval.ScoreFusion;
import io.skeletonssl.eval.ScoringProtocol;
import io.skeletonssl.eval.KnnEval;
import io.skeletonssl.eval.LinearProbe;
import io.skeletonssl.eval.RawEncoder;
import io.skeletonssl.eval.detection.ActionDetection;
import io.skeletonssl.eval.finetune.Finetune;
import io.skeletonssl.eval.finetune.SemiSupervised;
import io.skeletonssl.eval.finetune.Transfer;
import io.skeletonssl.eval.motion.MotionPrediction;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The protocols {@code eval suite} runs, in report order, each a thin call of the protocol's own class. */
final class SuiteSteps {

    private SuiteSteps() {
    }

    static List<SuiteStep> all(SuiteContext ctx) {
        List<SuiteStep> steps = new ArrayList<>();
        steps.add(linear("linear", "Linear evaluation", null));
        if (ctx.options().baselines()) {
            steps.add(linear("linear-random", "Linear evaluation, random-init encoder", Encoders.RANDOM));
            steps.add(linear("linear-raw", "Linear evaluation, raw coordinates (no encoder)", RawEncoder.NAME));
        }
        steps.add(knn("knn", "KNN retrieval (1-NN)", null));
        if (ctx.options().baselines()) {
            steps.add(knn("knn-random", "KNN retrieval (1-NN), random-init encoder", Encoders.RANDOM));
            steps.add(knn("knn-raw", "KNN retrieval (1-NN), raw coordinates (no encoder)", RawEncoder.NAME));
        }
        steps.add(new Step("finetune", "Fine-tuning", (c, out) -> new Finetune(c.log()).run(finetune(c, out, false))));
        if (ctx.options().baselines()) {
            steps.add(new Step("finetune-scratch", "Fine-tuning from scratch (w/o pre-training)",
                    (c, out) -> new Finetune(c.log()).run(finetune(c, out, true))));
        }
        for (double ratio : SEMI_RATIOS) {
            String pct = ratio * 100 == Math.rint(ratio * 100) ? Integer.toString((int) Math.round(ratio * 100))
                    : Double.toString(ratio * 100);
            steps.add(new Step("semi-" + pct + "pct", "Semi-supervised, " + pct + "% labelled (mean ± std of "
                    + SemiSupervised.DEFAULT_REPEATS + " subsets)", (c, out) -> new SemiSupervised(c.log()).run(
                    new SemiSupervised.Options(finetune(c, out, false), ratio, SemiSupervised.DEFAULT_REPEATS,
                            c.options().semiStratified()))));
        }
        steps.add(new Step("transfer", "Transfer (fine-tuned on the second dataset)", (c, out) ->
                new Transfer(c.log()).run(new Finetune.Options(c.checkpoint(), null, c.options().sets(),
                        c.options().transferData(), out, null, c.options().seed(), false, c.options().valFraction(),
                        c.options().threads(),
                        c.options().trainSplit(), c.options().testSplit(), false)),
                c -> c.options().transferData() == null ? "no second dataset given (--transfer-data D)" : null,
                c -> absolute(c.options().transferData())));
        steps.add(new Step("occlusion", "Occluded skeletons (linear, train and test occluded)", (c, out) ->
                new OcclusionEval(c.log()).run(new OcclusionEval.Options(probe(c, null, out), kinds(c), false,
                        c.options().seed()))));
        steps.add(new Step("ensemble", "Stream ensemble (linear, logits fused)", (c, out) -> {
            List<String> members = new ArrayList<>();
            members.add(c.checkpoint());
            members.addAll(c.options().ensembleRuns());
            new Ensemble(c.log()).run(new Ensemble.Options(null, members, "linear", null, ScoreFusion.Mode.LOGITS, out,
                    false, new ScoringProtocol.Shared(null, c.options().sets(), c.data(), null, c.options().seed(),
                    c.options().threads(), c.options().trainSplit(), c.options().testSplit(), 0)));
        }, c -> c.options().ensembleRuns().isEmpty() ? "no runs of other input streams given (--ensemble-run RUN)"
                : null, c -> c.options().ensembleRuns().stream().map(r -> absolute(Path.of(r))).toList()));
        steps.add(detection("detection", "Action detection", false));
        if (ctx.options().baselines()) {
            steps.add(detection("detection-random", "Action detection, random-init encoder", true));
        }
        steps.add(motion("motion-prediction", "Motion prediction (frozen encoder)", false));
        if (ctx.options().baselines()) {
            steps.add(motion("motion-prediction-random", "Motion prediction, random-init encoder", true));
        }
        return steps;
    }

    private static SuiteStep motion(String id, String title, boolean random) {
        return new Step(id, title, (c, out) -> new MotionPrediction(c.log()).run(new MotionPrediction.Options(
                encoder(c, random), random ? RunPreset.of(c) : null, c.options().sets(), c.data(), out, null,
                c.options().seed(), c.options().trainSplit(), c.options().testSplit(), false, false, null, c.options().valFraction())));
    }

    private static SuiteStep detection(String id, String title, boolean random) {
        return new Step(id, title, (c, out) -> new ActionDetection(c.log()).run(new ActionDetection.Options(
                encoder(c, random), random ? RunPreset.of(c) : null, c.options().sets(), c.detectionData(), out, null,
                c.options().seed(), null, c.options().trainSplit(), c.options().testSplit(), false,
                c.options().valFraction())),
                c -> c.streamSplits().isEmpty() ? "the dataset has no untrimmed stream splits (synth --streams N, "
                        + "prepare --mode both)" : null, c -> absolute(c.options().detectionData()));
    }

    static String absolute(Path p) {
        return p == null ? null : p.toAbsolutePath().normalize().toString();
    }

    /** The checkpoint, or 'random' with the run itself as the preset source for a baseline. */
    static String encoder(SuiteContext c, boolean random) {
        return random ? Encoders.RANDOM : c.checkpoint();
    }

    /**
     * The checkpoint ({@code named} null), or the encoder {@code named} names (random, raw) with the run
     * itself as the preset source.
     */
    static String encoder(SuiteContext c, String named) {
        return named == null ? c.checkpoint() : named;
    }

    private static String presetOf(SuiteContext c, String named) {
        return named == null ? null : RunPreset.of(c);
    }

    private static SuiteStep linear(String id, String title, String named) {
        return new Step(id, title, (c, out) -> new LinearProbe(c.log()).run(probe(c, named, out)));
    }

    /** The labelled fractions of the papers' semi-supervised tables. */
    static final double[] SEMI_RATIOS = {0.01, 0.1};

    private static Finetune.Options finetune(SuiteContext c, Path out, boolean scratch) {
        return new Finetune.Options(encoder(c, scratch), scratch ? RunPreset.of(c) : null, c.options().sets(), c.data(),
                out, null, c.options().seed(), scratch, c.options().valFraction(), c.options().threads(), c.options().trainSplit(),
                c.options().testSplit(), false);
    }

    private static LinearProbe.Options probe(SuiteContext c, String named, Path out) {
        return new LinearProbe.Options(encoder(c, named), presetOf(c, named), c.options().sets(), c.data(),
                out, null, c.options().seed(), c.options().threads(), c.options().trainSplit(), c.options().testSplit(),
                false, c.options().valFraction());
    }

    /** Both occlusions where the layout has body parts, else the temporal one only. */
    private static List<Occlusion.Kind> kinds(SuiteContext c) throws Exception {
        try (SkeletonDataset ds = SkeletonDataset.open(c.data())) {
            return ds.manifest().layout().bodyParts().isEmpty() ? List.of(Occlusion.Kind.TEMPORAL)
                    : List.of(Occlusion.Kind.SPATIAL, Occlusion.Kind.TEMPORAL);
        }
    }

    private static SuiteStep knn(String id, String title, String named) {
        return new Step(id, title, (c, out) -> new KnnEval(c.log()).run(new KnnEval.Options(encoder(c, named),
                presetOf(c, named), c.options().sets(), c.data(), out, 1, c.options().threads(),
                c.options().trainSplit(), c.options().testSplit(), false)));
    }

    @FunctionalInterface
    interface Body {
        void run(SuiteContext c, Path out) throws Exception;
    }

    /** A step from a body, an applicability rule and its own inputs ({@link SuiteStep#inputs}). */
    record Step(String id, String title, Body body, Function<SuiteContext, String> rule,
                Function<SuiteContext, Object> ownInputs) implements SuiteStep {
        Step(String id, String title, Body body) {
            this(id, title, body, c -> null, c -> null);
        }

        Step(String id, String title, Body body, Function<SuiteContext, String> rule) {
            this(id, title, body, rule, c -> null);
        }

        @Override
        public Object inputs(SuiteContext c) {
            return ownInputs.apply(c);
        }

        @Override
        public String notApplicable(SuiteContext c) {
            return rule.apply(c);
        }

        @Override
        public void run(SuiteContext c, Path out) throws Exception {
            body.run(c, out);
        }
    }
}
