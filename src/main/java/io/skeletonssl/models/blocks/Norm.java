package io.skeletonssl.models.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;

/** LayerNorm over the last axis with affine weight (init 1) and bias (init 0); eps as given (torch default 1e-5). */
public final class Norm extends SeededBlock {

    public static final float TORCH_EPS = 1e-5f;

    private final Parameter weight;
    private final Parameter bias;
    private final int dim;
    private final float eps;

    public Norm(int dim, float eps) {
        this.dim = dim;
        this.eps = eps;
        this.weight = param("weight", new Shape(dim), InitRule.of(InitRule.Kind.ONES));
        this.bias = param("bias", new Shape(dim), InitRule.of(InitRule.Kind.ZEROS));
    }

    public Norm(int dim) {
        this(dim, TORCH_EPS);
    }

    public NDArray forward(NDArray x) {
        return LayerNorm.layerNorm(x, new Shape(dim), weight.getArray(), bias.getArray(), eps).singletonOrThrow();
    }

    public float eps() {
        return eps;
    }
}
