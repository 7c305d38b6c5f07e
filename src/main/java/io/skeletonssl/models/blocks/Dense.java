package io.skeletonssl.models.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.skeletonssl.engine.LinearOp;

/** y = x·Wᵀ + b with W of shape (out, in) as in PyTorch's nn.Linear (in bfloat16 under a bf16 {@link io.skeletonssl.engine.Autocast}). */
public final class Dense extends SeededBlock {

    private final Parameter weight;
    private final Parameter bias;
    private final int in;
    private final int out;

    /** xavier_uniform weight, zero bias (the timm/MAE {@code _init_weights} rule). */
    public static Dense xavier(int in, int out) {
        return new Dense(in, out, InitRule.of(InitRule.Kind.XAVIER_UNIFORM), InitRule.of(InitRule.Kind.ZEROS));
    }

    /** PyTorch default init: weight and bias U(±1/sqrt(fanIn)). */
    public static Dense torchDefault(int in, int out, long fanIn) {
        return new Dense(in, out, InitRule.torchDefault(fanIn), InitRule.torchDefault(fanIn));
    }

    public Dense(int in, int out, InitRule weightInit, InitRule biasInit) {
        this.in = in;
        this.out = out;
        this.weight = param("weight", new Shape(out, in), weightInit);
        this.bias = param("bias", new Shape(out), biasInit);
    }

    public NDArray forward(NDArray x) {
        return LinearOp.apply(x, weight.getArray(), bias.getArray());
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    public int in() {
        return in;
    }

    public int out() {
        return out;
    }
}
