package io.skeletonssl.methods.pcm3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import io.skeletonssl.engine.Autocast;
import io.skeletonssl.engine.Precision;
import io.skeletonssl.engine.Engines;
import io.skeletonssl.layout.SkeletonLayout;
import io.skeletonssl.models.pcm3.Pcm3Config;
import io.skeletonssl.training.Sgd;
import io.skeletonssl.training.StepBench;
import io.skeletonssl.training.WeightDecayGroups;

import java.util.Random;
import java.util.function.LongConsumer;

/**
 * Measures full PCM3 pretraining steps, as {@link Pcm3Pretrainer} runs them: the five encoder
 * passes with the key encoder's momentum update and the queue, the decoder, the losses, the
 * backward and the SGD step (momentum, uniform weight decay over the trained parameters), on random
 * views of the preset's shape, through the shared {@link StepBench} loop.
 *
 * <p>The floating-point work per step ({@link #gflopPerStep}) is an ESTIMATE counted from the sizes:
 * matrix products only (GRU gate matmuls, the projector, the decoder's linear layers and GRU, the
 * logits against the queue), a pass that is trained counted as three forwards (backward ≈ twice the
 * forward), the key encoder as one forward; element-wise work (gates, BatchNorm, losses, mixing,
 * masking) is not counted.
 */
public final class Pcm3StepBenchmark {

    /** Encoder passes that are back-propagated: query view, masked view, filled-in view, mixed view. */
    static final int QUERY_PASSES = 4;

    /** A trained pass costs its forward plus a backward of about twice the forward. */
    static final double TRAINED = 3;

    private Pcm3StepBenchmark() {
    }

    /**
     * Runs {@code warmup} unmeasured and {@code steps} measured steps at {@code batch} clips of the
     * settings' shape for {@code layout}; {@code onStep} receives each measured step's index.
     */
    public static StepBench.Result run(Pcm3Settings s, SkeletonLayout layout, int batch, int warmup, int steps,
                                       long seed, LongConsumer onStep) {
        if (s.moco().queue() % batch != 0 || batch < 3) {
            throw new IllegalArgumentException("batch " + batch + " must be at least 3 and divide moco.queue "
                    + s.moco().queue());
        }
        try (NDManager root = Engines.cpu().newManager()) {
            Pcm3Model model = new Pcm3Model(s, layout);
            model.initializeSeeded(root, seed);
            // As Pcm3Pretrainer.open: SGD over the trained parameters, weight decay on all of them (§3.11).
            PairList<String, Parameter> trained = new PairList<>(model.trainedParameters());
            Random rng = new Random(seed);
            Shape shape = new Shape(batch, 3, s.data().frames(), s.data().joints(), s.data().persons());
            float[][] views = {randomView(shape, rng), randomView(shape, rng), randomView(shape, rng)};
            try (Sgd opt = new Sgd(trained, WeightDecayGroups.uniform(trained, s.pretrain().weightDecay()),
                    s.pretrain().momentum())) {
                opt.zeroGradients();
                double lr = s.pretrain().effectiveLr();
                return StepBench.measure("pcm3", batch, gflopPerStep(s, batch), root, warmup, steps,
                        nanos -> step(root, model, opt, lr, views, shape, rng, s.pretrain().arithmetic(), nanos), onStep);
            }
        }
    }

    private static void step(NDManager root, Pcm3Model model, Sgd opt, double lr, float[][] views, Shape shape,
                             Random rng, Precision precision, long[] nanos) {
        try (NDManager m = root.newSubManager(); NDScope ignored = new NDScope()) {
            NDArray v1 = m.create(views[0], shape);
            NDArray v2 = m.create(views[1], shape);
            NDArray v3 = m.create(views[2], shape);
            StepBench.timeForwardBackward(root, opt, () -> {
                try (Autocast ac = Autocast.enter(precision)) {
                    return model.forwardPretrain(v1, v2, v3, rng).loss().total();
                }
            }, nanos);
        }
        StepBench.timeOptimizer(opt, lr, nanos); // after the step's arrays are freed, as the pretraining loop does
    }

    /** A centred, skeleton-scale view: N(0, 0.3²) coordinates (the GRU's cost does not depend on values). */
    static float[] randomView(Shape shape, Random rng) {
        float[] out = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (0.3 * rng.nextGaussian());
        }
        return out;
    }

    /**
     * Estimated matrix-product GFLOP of one step at {@code batch} clips (see the class comment): four
     * trained query-encoder passes and one forward-only key pass (GRU over all frames, projector on
     * the last step), the decoder (two trained passes with prompts, one without), and the logits of
     * every query and key against the queue (InfoNCE and relational KD terms).
     */
    public static double gflopPerStep(Pcm3Settings s, int batch) {
        Pcm3Config c = s.modelConfig();
        long rows = (long) batch * s.data().frames();
        double encoder = gruFlops(rows, c.channels(), c.hidden(), c.layers(), Pcm3Config.DIRECTIONS)
                + 2.0 * batch * ((double) c.featureDim() * c.projectorHidden()
                + (double) c.projectorHidden() * c.projectorOut());
        int d = c.decoderHidden();
        double decoder = 2.0 * rows * ((double) c.featureDim() * d + (double) d * d + (double) d * c.channels())
                + gruFlops(rows, d, d, c.decoderLayers(), 1);
        int decoderPasses = s.prompts().promptMode() == Pcm3Settings.PromptMode.NONE ? 1 : 2;
        double logits = 2.0 * batch * (s.moco().queue() + 1.0) * c.projectorOut();
        int extraPositives = (s.loss().maskedPositive() ? 1 : 0) + (s.loss().predictedPositive() ? 1 : 0);
        int studentLogits = 2 * (2 + extraPositives); // InfoNCE and KD student side, per query
        int teacherLogits = 2 + extraPositives; // KD teacher side (the key, no gradient)
        double total = TRAINED * (QUERY_PASSES * encoder + decoderPasses * decoder + studentLogits * logits)
                + encoder + teacherLogits * logits;
        return total / 1e9;
    }

    /** Forward FLOP of a GRU's gate matmuls (input and hidden, three gates) over {@code rows} frame rows. */
    static double gruFlops(long rows, int input, int hidden, int layers, int directions) {
        double flops = 0;
        long in = input;
        for (int l = 0; l < layers; l++) {
            flops += directions * 2.0 * rows * 3 * hidden * (in + hidden);
            in = (long) directions * hidden;
        }
        return flops;
    }
}
