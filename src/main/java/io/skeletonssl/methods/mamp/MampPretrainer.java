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
import io.skeletonssl.engine.Autocast;
import io.skeletonssl.engine.Precision;
import io.skeletonssl.layout.SkeletonLayout;
import io.skeletonssl.loader.Batch;
import io.skeletonssl.loader.SampleTransform;
import io.skeletonssl.models.mamp.MampConfig;
import io.skeletonssl.models.mamp.MampModel;
import io.skeletonssl.models.mamp.MampPresets;
import io.skeletonssl.models.mamp.MampSettings;
import io.skeletonssl.methods.pcm3.Pcm3Pretrainer;
import io.skeletonssl.methods.pcm3.Pcm3Settings;
import io.skeletonssl.training.AdamW;
import io.skeletonssl.training.DivergenceGuard;
import io.skeletonssl.training.ParamOptimizer;
import io.skeletonssl.training.Pretrainer;
import io.skeletonssl.training.WarmupCosine;
import io.skeletonssl.training.WeightDecayGroups;
import io.skeletonssl.transforms.CropResize;
import io.skeletonssl.transforms.FiniteCheck;
import io.skeletonssl.transforms.Pipeline;
import io.skeletonssl.transforms.RandomRotation;
import io.skeletonssl.transforms.ValidFrames;

import java.io.PrintStream;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * MAMP pretraining (spec §2.7) for the shared {@link Pretrainer} loop: AdamW with timm weight-decay
 * groups, per-iteration warm-up + cosine learning rate, the crop-resize + rotation augmentation, and
 * GradScaler-like skipping of steps whose gradients are not finite.
 */
public final class MampPretrainer implements Pretrainer.Method {

    /** The shared loop running MAMP. */
    public static Pretrainer create(PrintStream log) {
        return new Pretrainer(new MampPretrainer(), log);
    }

    @Override
    public String name() {
        return "mamp";
    }

    @Override
    public void validate(ObjectNode tree, SkeletonLayout layout) {
        MampPresets.settings(tree).modelConfig();
        if (stream(tree) == Pcm3Settings.Stream.BONE && layout.bones().length == 0) {
            throw new IllegalArgumentException("the bone stream needs bone pairs, but layout '" + layout.name()
                    + "' has none");
        }
    }

    @Override
    public DivergenceGuard.Settings divergenceSettings(ObjectNode tree) {
        return MampPresets.settings(tree).pretrain().divergence();
    }

    @Override
    public SampleTransform trainTransform(ObjectNode tree, SkeletonLayout layout) {
        return SampleTransform.of(trainPipeline(tree, layout));
    }

    /**
     * The run's input stream ({@code pretrain.stream}: joint, bone or motion; configs written before it
     * existed are joint), as PCM3's (§3.10). With bone or motion, motion-aware masking and the motion
     * target are computed by the model from what it sees, i.e. from the bone vectors or the frame
     * differences of the stream; that is what a MAMP trained on that stream does.
     */
    public static Pcm3Settings.Stream stream(JsonNode tree) {
        return Pcm3Settings.Stream.valueOf(MampPresets.settings(tree).pretrain().inputStream().name());
    }

    /** The joint-stream training augmentation (no layout needed); see {@link #trainPipeline(JsonNode, SkeletonLayout)}. */
    public static Pipeline trainPipeline(JsonNode tree) {
        return trainPipeline(tree, null);
    }

    /**
     * The MAMP training augmentation with the config's window (official: crop U[0.5,1), ≥ 64 frames, → 120),
     * the run's stream converted right after the crop-resize (rotation commutes with both conversions).
     * {@code layout} (the dataset's) is needed for the bone stream only.
     */
    public static Pipeline trainPipeline(JsonNode tree, SkeletonLayout layout) {
        MampSettings s = MampPresets.settings(tree);
        MampSettings.Augment aug = s.augment();
        Pipeline p = Pipeline.of("mamp-train")
                .then("finite", FiniteCheck.INSTANCE)
                .then("valid-frames", ValidFrames.recount())
                .then("crop-resize", CropResize.random(aug.cropMin(), aug.cropMax(), aug.minFrames(), s.data().frames()));
        return withStream(p, tree, layout).then("rotate", new RandomRotation(aug.rotation()));
    }

    /** The joint-stream test-time transform; see {@link #testPipeline(JsonNode, SkeletonLayout)}. */
    public static Pipeline testPipeline(JsonNode tree) {
        return testPipeline(tree, null);
    }

    /**
     * The MAMP test-time transform with the config's window (official: centre crop 0.95 of the valid frames → 120),
     * then the run's stream, so every evaluation of a bone or motion run reads the stream it was trained on.
     */
    public static Pipeline testPipeline(JsonNode tree, SkeletonLayout layout) {
        MampSettings s = MampPresets.settings(tree);
        Pipeline p = Pipeline.of("mamp-test")
                .then("finite", FiniteCheck.INSTANCE)
                .then("valid-frames", ValidFrames.recount())
                .then("crop-resize", CropResize.center(s.augment().testCrop(), s.data().frames()));
        return withStream(p, tree, layout);
    }

    private static Pipeline withStream(Pipeline p, JsonNode tree, SkeletonLayout layout) {
        Pcm3Settings.Stream s = stream(tree);
        if (s == Pcm3Settings.Stream.JOINT) {
            return p;
        }
        int joints = MampPresets.settings(tree).data().joints();
        if (s == Pcm3Settings.Stream.BONE && (layout == null || layout.numJoints() != joints)) {
            throw new IllegalArgumentException("the bone stream needs the skeleton layout of the " + joints
                    + "-joint data the run was trained on"
                    + (layout == null ? "" : ", got " + layout.name() + " with " + layout.numJoints() + " joints"));
        }
        return p.then(s.name().toLowerCase(java.util.Locale.ROOT), Pcm3Pretrainer.stream(s, layout));
    }

    @Override
    public Pretrainer.Session open(ObjectNode tree, SkeletonLayout layout, NDManager root) {
        MampSettings s = MampPresets.settings(tree);
        MampSettings.Pretrain pt = s.pretrain();
        WarmupCosine schedule = new WarmupCosine(pt.lr(), pt.minLr(), pt.warmupEpochs(), pt.epochs());
        MampModel model = new MampModel(s.modelConfig());
        model.initializeSeeded(root, pt.seed());
        PairList<String, Parameter> params = new PairList<>(model.namedParameters());
        AdamW opt = new AdamW(params, WeightDecayGroups.timm(params, pt.weightDecay(), Set.of()),
                pt.betas().get(0), pt.betas().get(1), pt.eps());
        if (pt.arithmetic() == Precision.BF16) {
            Autocast.requireBf16Support(); // before the run folder is written to
        }
        return new Session(model, params, opt, schedule, pt.arithmetic());
    }

    private record Session(MampModel model, PairList<String, Parameter> state, AdamW optimizer, WarmupCosine schedule,
                           Precision precision) implements Pretrainer.Session {

        @Override
        public double learningRate(int epoch, int step, int stepsPerEpoch) {
            return schedule.at(epoch + (double) step / stepsPerEpoch);
        }

        /**
         * One forward/backward. Everything created for the step (batch, graph, gradient views) lives in a
         * child manager and a scope closed at the end.
         */
        @Override
        public Pretrainer.StepResult step(NDManager root, Batch b, Random rng) {
            try (NDManager m = root.newSubManager(); NDScope ignored = new NDScope()) {
                NDArray x = m.create(b.data(), new Shape(b.shape(0)));
                float loss;
                try (GradientCollector gc = root.getEngine().newGradientCollector()) {
                    NDArray l;
                    try (Autocast ignored2 = Autocast.enter(precision)) { // the backward follows the recorded casts
                        l = model.forwardPretrain(x, true, rng).loss();
                    }
                    gc.backward(l);
                    loss = l.getFloat();
                }
                return new Pretrainer.StepResult(loss, optimizer.gradientsFinite(), Map.of());
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
