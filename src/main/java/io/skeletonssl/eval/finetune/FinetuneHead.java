package io.skeletonssl.eval.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;

import java.util.Map;
import java.util.Random;

/** A classification head on a {@link TrainableEncoder}, trained with it. Parameters live in the head's own manager. */
public interface FinetuneHead extends AutoCloseable {

    /** Logits (N, classes) of a batch (N, 3, T, V, M), encoder included. */
    NDArray logits(NDArray batch, boolean training, Random rng);

    /** Trainable head parameters by name (without the {@code head.} prefix the optimiser adds). */
    Map<String, Parameter> trainableParameters();

    /** Number of trained head values (buffers excluded). */
    long parameterCount();

    /** A short description for reports. */
    String describe();

    @Override
    void close();
}
