package io.skeletonssl.models.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.skeletonssl.engine.ScaledDotProduct;

/**
 * Multi-head self-attention with one qkv projection (with bias), softmax over keys, scale
 * head_dim^−½ (fused where the engine has it, see {@link ScaledDotProduct}), output projection;
 * no dropout. Input and output (B, L, dim).
 */
public final class Attention extends SeededBlock {

    private final int dim;
    private final int heads;
    private final Dense qkv;
    private final Dense proj;

    public Attention(int dim, int heads) {
        if (dim % heads != 0) {
            throw new IllegalArgumentException("dim " + dim + " is not divisible by heads " + heads);
        }
        this.dim = dim;
        this.heads = heads;
        this.qkv = child("qkv", Dense.xavier(dim, 3 * dim));
        this.proj = child("proj", Dense.xavier(dim, dim));
    }

    public NDArray forward(NDArray x) {
        long b = x.getShape().get(0);
        long l = x.getShape().get(1);
        // q, k, v as views of the projection: a split's backward concatenates the three gradients,
        // where indexing a permuted (3, B, H, L, d) copy would zero-fill a full-size gradient per part
        NDList qkvs = qkv.forward(x).split(3, 2);
        NDArray out = ScaledDotProduct.attend(heads(qkvs.get(0), b, l), heads(qkvs.get(1), b, l),
                heads(qkvs.get(2), b, l)).transpose(0, 2, 1, 3).reshape(new Shape(b, l, dim));
        return proj.forward(out);
    }

    /** (B, L, dim) → (B, heads, L, head_dim), a view. */
    private NDArray heads(NDArray t, long b, long l) {
        return t.reshape(new Shape(b, l, heads, dim / heads)).transpose(0, 2, 1, 3);
    }
}
