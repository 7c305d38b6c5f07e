package io.skeletonssl.methods.pcm3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.PairList;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.engine.Autocast;
import io.skeletonssl.engine.Precision;
import io.skeletonssl.layout.SkeletonLayout;
import io.skeletonssl.loader.Batch;
import io.skeletonssl.loader.SampleTransform;
import io.skeletonssl.training.DivergenceGuard;
import io.skeletonssl.training.GradientClipping;
import io.skeletonssl.training.LrSchedule;
import io.skeletonssl.training.Pretrainer;
import io.skeletonssl.training.Sgd;
import io.skeletonssl.training.WeightDecayGroups;
import io.skeletonssl.transforms.CropResize;
import io.skeletonssl.transforms.FiniteCheck;
import io.skeletonssl.transforms.JointCorruption;
import io.skeletonssl.transforms.Pipeline;
import io.skeletonssl.transforms.Shear;
import io.skeletonssl.transforms.Streams;
import io.skeletonssl.transforms.Transform;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * PCM3 pretraining (spec §3.1, §3.2, §3.11) for the shared {@link Pretrainer} loop: three views per
 * clip, SGD with momentum and weight decay on every trained parameter, the learning rate × gamma
 * from each milestone epoch on, and the {@link Pcm3Model} step. Checkpoints hold the key encoder
 * and the queue too, so a resumed run continues exactly.
 *
 * <p>Beyond the released recipe (all off in the official presets, on in {@code pcm3-small}):
 * {@code pretrain.lr_reference_batch} (the rate scaled linearly to the batch),
 * {@code pretrain.warmup_epochs} (a per-step linear warm-up before the step decay) and
 * {@code pretrain.clip_grad_norm} (global-norm clipping before SGD). Every step measures the global
 * gradient norm (one engine read, which is also its finiteness check; metrics.csv {@code grad_norm}
 * and {@code clipped_fraction}) and {@link Collapse#FEATURE_STD} of the query embeddings; a
 * non-finite gradient is a divergence for the guard, since plain SGD would apply it.
 */
public final class Pcm3Pretrainer implements Pretrainer.Method {

    /** The shared loop running PCM3. */
    public static Pretrainer create(PrintStream log) {
        return new Pretrainer(new Pcm3Pretrainer(), log);
    }

    @Override
    public String name() {
        return "pcm3";
    }

    @Override
    public void validate(ObjectNode tree, SkeletonLayout layout) {
        Pcm3Settings s = Pcm3Presets.fromTree(tree);
        if (!layout.hasBodyParts()) {
            throw new IllegalArgumentException("the dataset's layout '" + layout.name() + "' has no body parts: PCM3's "
                    + "topology masking and skeleton mixing need them (give the layout a bodyParts list)");
        }
        int batch = s.pretrain().batchSize();
        if (s.moco().queue() % batch != 0) {
            throw new IllegalArgumentException("moco.queue " + s.moco().queue() + " must be a multiple of "
                    + "pretrain.batch_size " + batch + " (the official code asserts K % B == 0)");
        }
        if (batch < 3) {
            throw new IllegalArgumentException("pretrain.batch_size must be at least 3 for the mixing view, got " + batch);
        }
        if (s.pretrain().inputStream() == Pcm3Settings.Stream.BONE && layout.bones().length == 0) {
            throw new IllegalArgumentException("the bone stream needs bone pairs, but layout '" + layout.name()
                    + "' has none");
        }
    }

    /** Views 1 and 2 (corruption with probability p, else shear) and view 3 (always shear), in the run's stream. */
    @Override
    public SampleTransform trainTransform(ObjectNode tree, SkeletonLayout layout) {
        Pcm3Settings s = Pcm3Presets.fromTree(tree);
        double p = s.augment().corruptionP();
        return SampleTransform.views(view(s, layout, p), view(s, layout, p), view(s, layout, -1));
    }

    /** One view: crop ratio U[crop_min, crop_max) of the valid frames, at least T, resized to T; spatial step; stream. */
    public static Pipeline view(Pcm3Settings s, SkeletonLayout layout, double corruptionP) {
        int frames = s.data().frames();
        return Pipeline.of("pcm3-view(p=" + corruptionP + ")")
                .then("finite", FiniteCheck.INSTANCE)
                .then("crop-resize", CropResize.random(s.augment().cropMin(), s.augment().cropMax(), frames, frames))
                .then("corrupt-or-shear", Transform.either(corruptionP, JointCorruption.pcm3(), Shear.pcm3()))
                .then("stream", stream(s.pretrain().inputStream(), layout));
    }

    /** The input stream conversion, applied after the augmentation (§3.10). */
    public static Transform stream(Pcm3Settings.Stream stream, SkeletonLayout layout) {
        return switch (stream) {
            case JOINT -> (clip, rng) -> clip;
            case BONE -> Streams.boneStream(layout);
            case MOTION -> Streams.motionStream();
        };
    }

    /**
     * Collapse checks. From the third epoch on, a mean query InfoNCE within 5% of log(1 + K) means
     * the query scores its key no better than the K negatives, i.e. the embeddings have become
     * alike (seen once at batch 16, README "The PCM3 demo"). And in any epoch, a mean
     * {@link Collapse#FEATURE_STD} below {@code pretrain.collapse_std_fraction}/√D.
     */
    @Override
    public List<String> epochWarnings(ObjectNode tree, int epoch, Map<String, Double> termMeans) {
        Pcm3Settings s = Pcm3Presets.fromTree(tree);
        List<String> out = new ArrayList<>();
        Double std = termMeans.get(Collapse.FEATURE_STD);
        if (std != null) {
            Collapse.warning(epoch, std, s.model().projectorOut(), s.pretrain().collapseStdFraction()).ifPresent(out::add);
        }
        Double ce = termMeans.get("ce_query");
        double chance = Math.log(1 + s.moco().queue());
        if (epoch >= 2 && ce != null && ce >= COLLAPSE_FRACTION * chance) {
            out.add(String.format(Locale.ROOT, "epoch %d: mean ce_query %.3f is within %.0f%% of log(1 + K) = %.3f, "
                    + "the value of a query that cannot tell its key from the queue; the representation may have "
                    + "collapsed (rerun with another seed or a lower pretrain.lr)", epoch, ce,
                    100 * (1 - COLLAPSE_FRACTION), chance));
        }
        return out;
    }

    @Override
    public DivergenceGuard.Settings divergenceSettings(ObjectNode tree) {
        return Pcm3Presets.fromTree(tree).pretrain().divergence();
    }

    /** The released recipe is plain float32 SGD: non-finite gradients would reach the weights. */
    @Override
    public boolean nonFiniteGradientsDiverge() {
        return true;
    }

    @Override
    public String divergenceAdvice() {
        return "a lower pretrain.lr, pretrain.clip_grad_norm (e.g. 20) or a longer pretrain.warmup_epochs";
    }

    /** ce_query at or above this fraction of log(1 + K) counts as a collapse. */
    static final double COLLAPSE_FRACTION = 0.95;

    @Override
    public Pretrainer.Session open(ObjectNode tree, SkeletonLayout layout, NDManager root) {
        Pcm3Settings s = Pcm3Presets.fromTree(tree);
        Pcm3Model model = new Pcm3Model(s, layout);
        model.initializeSeeded(root, s.pretrain().seed());
        PairList<String, Parameter> trained = new PairList<>(model.trainedParameters());
        // §3.11: weight decay 1e-4 on all parameters, prompts and BatchNorm included.
        Sgd sgd = new Sgd(trained, WeightDecayGroups.uniform(trained, s.pretrain().weightDecay()),
                s.pretrain().momentum());
        if (s.pretrain().arithmetic() == Precision.BF16) {
            Autocast.requireBf16Support();
        }
        return new Session(model, new PairList<>(model.namedParameters()), List.copyOf(trained.values()), sgd,
                s.pretrain().schedule(), s.pretrain().clipGradNorm(), s.pretrain().arithmetic());
    }

    /** {@code clipGradNorm} 0: the norm is measured (the finiteness check and metrics) but not clipped. */
    private record Session(Pcm3Model model, PairList<String, Parameter> state, List<Parameter> trained, Sgd optimizer,
                           LrSchedule schedule, double clipGradNorm, Precision precision)
            implements Pretrainer.Session {

        @Override
        public double learningRate(int epoch, int step, int stepsPerEpoch) {
            return schedule.at(epoch, step, stepsPerEpoch); // step decay between epochs (§3.11), warm-up per step
        }

        @Override
        public Pretrainer.StepResult step(NDManager root, Batch b, Random rng) {
            try (NDManager m = root.newSubManager(); NDScope ignored = new NDScope()) {
                NDArray v1 = m.create(b.view(0), new Shape(b.shape(0)));
                NDArray v2 = m.create(b.view(1), new Shape(b.shape(1)));
                NDArray v3 = m.create(b.view(2), new Shape(b.shape(2)));
                Map<String, Double> values;
                try (GradientCollector gc = root.getEngine().newGradientCollector()) {
                    Pcm3Model.StepOutput out;
                    try (Autocast ignored2 = Autocast.enter(precision)) { // the backward follows the recorded casts
                        out = model.forwardPretrain(v1, v2, v3, rng);
                    }
                    gc.backward(out.loss().total());
                    values = out.loss().values(Map.of(Collapse.FEATURE_STD, Collapse.featureStd(out.query())));
                }
                double total = values.remove("total");
                // the norm (one read) is also the finiteness check: a NaN or infinite gradient makes it non-finite
                GradientClipping.Clip clip = GradientClipping.clip(trained, clipGradNorm);
                return new Pretrainer.StepResult(total, clip.finite(), values, clip);
            }
        }

        @Override
        public Map<String, Long> parameterCounts() {
            return model.parameterCounts();
        }

        @Override
        public void close() {
            optimizer.close();
        }
    }
}
