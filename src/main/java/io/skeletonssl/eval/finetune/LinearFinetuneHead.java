package io.skeletonssl.eval.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import io.skeletonssl.engine.Engines;
import io.skeletonssl.models.blocks.Dense;
import io.skeletonssl.models.blocks.InitRule;

import java.util.Map;
import java.util.Random;

/**
 * A Linear(D, classes) head on the encoder's pooled feature: PCM3's fine-tuning (§3.13, CMD's
 * semi-supervised script), initialised like the linear-evaluation fc (weight N(0, 0.01²) via a
 * truncated normal cut at ±2, bias 0).
 */
public final class LinearFinetuneHead implements FinetuneHead {

    private final TrainableEncoder encoder;
    private final Dense fc;
    private final NDManager manager;

    public LinearFinetuneHead(TrainableEncoder encoder, int classes, long seed) {
        if (classes < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + classes);
        }
        this.encoder = encoder;
        this.fc = new Dense(encoder.featureDim(), classes, InitRule.of(InitRule.Kind.TRUNC_NORMAL_001),
                InitRule.of(InitRule.Kind.ZEROS));
        this.manager = Engines.cpu().newManager();
        fc.initializeSeeded(manager, seed);
    }

    @Override
    public NDArray logits(NDArray batch, boolean training, Random rng) {
        return fc.forward(encoder.pooled(batch, training, rng));
    }

    @Override
    public Map<String, Parameter> trainableParameters() {
        return fc.namedParameters();
    }

    @Override
    public long parameterCount() {
        return fc.trainableParameterCount();
    }

    @Override
    public String describe() {
        return "Linear(" + encoder.featureDim() + ", C)";
    }

    @Override
    public void close() {
        manager.close();
    }
}
