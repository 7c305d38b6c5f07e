package io.skeletonssl.eval.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import io.skeletonssl.engine.Engines;
import io.skeletonssl.models.blocks.Dense;
import io.skeletonssl.models.blocks.SeededBlock;
import io.skeletonssl.models.pcm3.AffineBatchNorm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * MAMP's fine-tune head (spec §2.10, official {@code ActionHeadFinetune}) on the encoder tokens
 * (N, M, T', V, C): Dropout(p) → mean over the T' time tokens → flatten V·C → mean over persons M
 * → Linear(V·C, hidden) → BatchNorm1d(hidden, eps 1e-5, momentum 0.1) → ReLU → Linear(hidden,
 * classes). Linears xavier_uniform with bias 0, BatchNorm weight 1 bias 0. For the official sizes
 * (V 25, C 256, hidden 2048, 60 classes) the head has 13,236,284 trained values.
 *
 * <p>The dropout mask is drawn on the host from the step's {@code rng}, so a run is reproducible.
 */
public final class MampFinetuneHead implements FinetuneHead {

    /** The head's layers as a seeded block ({@code fc1}, {@code bn}, {@code fc2}). */
    static final class Layers extends SeededBlock {
        final Dense fc1;
        final AffineBatchNorm bn;
        final Dense fc2;

        Layers(int in, int hidden, int classes) {
            fc1 = child("fc1", Dense.xavier(in, hidden));
            bn = child("bn", new AffineBatchNorm(hidden));
            fc2 = child("fc2", Dense.xavier(hidden, classes));
        }
    }

    private final MampTrainableEncoder encoder;
    private final Layers layers;
    private final double dropout;
    private final int hidden;
    private final NDManager manager;

    /** Builds and seeds the head; {@code classes} ≥ 2. */
    public MampFinetuneHead(MampTrainableEncoder encoder, int hidden, int classes, double dropout, long seed) {
        if (classes < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + classes);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("finetune.head_dropout must lie in [0, 1), got " + dropout);
        }
        this.encoder = encoder;
        this.layers = new Layers(inputWidth(encoder.joints(), encoder.featureDim()), hidden, classes);
        this.dropout = dropout;
        this.hidden = hidden;
        this.manager = Engines.cpu().newManager();
        layers.initializeSeeded(manager, seed);
    }

    /** V·C: the flattened per-person token average the first Linear reads. */
    static int inputWidth(int joints, int dim) {
        return joints * dim;
    }

    /** Trained values of the head for these sizes, without building it. */
    public static long parameterCount(int joints, int dim, int hidden, int classes) {
        long in = inputWidth(joints, dim);
        return in * hidden + hidden + 2L * hidden + (long) hidden * classes + classes;
    }

    @Override
    public NDArray logits(NDArray batch, boolean training, Random rng) {
        NDArray tokens = encoder.tokens(batch, training, rng); // (N, M, T', V, C)
        if (training && dropout > 0) {
            tokens = tokens.mul(dropoutMask(tokens, rng));
        }
        Shape s = tokens.getShape();
        NDArray perPerson = tokens.mean(new int[] {2}).reshape(new Shape(s.get(0), s.get(1), s.get(3) * s.get(4)));
        NDArray x = perPerson.mean(new int[] {1});
        NDArray h = Activation.relu(layers.bn.forward(layers.fc1.forward(x), training));
        return layers.fc2.forward(h);
    }

    /** Inverted dropout: each value kept with probability 1 − p and then scaled by 1/(1 − p). */
    private NDArray dropoutMask(NDArray like, Random rng) {
        long n = like.getShape().size();
        float[] mask = new float[Math.toIntExact(n)];
        float keep = (float) (1 / (1 - dropout));
        for (int i = 0; i < mask.length; i++) {
            mask[i] = rng.nextDouble() < dropout ? 0f : keep;
        }
        return like.getManager().create(mask, like.getShape());
    }

    @Override
    public Map<String, Parameter> trainableParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        layers.namedParameters().forEach((n, p) -> {
            if (p.requiresGradient()) {
                out.put(n, p);
            }
        });
        return out;
    }

    @Override
    public long parameterCount() {
        return layers.trainableParameterCount();
    }

    @Override
    public String describe() {
        return "Dropout(" + dropout + ") + mean over time and persons + Linear(" + inputWidth(encoder.joints(),
                encoder.featureDim()) + ", " + hidden + ") + BatchNorm1d + ReLU + Linear";
    }

    @Override
    public void close() {
        manager.close();
    }
}
