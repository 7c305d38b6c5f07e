package io.skeletonssl.models.blocks;

import ai.djl.ndarray.NDArray;

import java.util.Random;

/** Pre-norm block: x ← x + DropPath(Attn(LN1(x))); x ← x + DropPath(MLP(LN2(x))). */
public final class TransformerBlock extends SeededBlock {

    private final Norm norm1;
    private final Attention attn;
    private final Norm norm2;
    private final Mlp mlp;
    private final double dropPath;

    public TransformerBlock(int dim, int heads, double mlpRatio, double dropPath) {
        this.norm1 = child("norm1", new Norm(dim));
        this.attn = child("attn", new Attention(dim, heads));
        this.norm2 = child("norm2", new Norm(dim));
        this.mlp = child("mlp", new Mlp(dim, (int) (dim * mlpRatio)));
        this.dropPath = dropPath;
    }

    /** @param rng drop-path randomness; unused when the rate is 0 or not training (may then be null) */
    public NDArray forward(NDArray x, boolean training, Random rng) {
        NDArray h = x.add(DropPath.apply(attn.forward(norm1.forward(x)), dropPath, training, rng));
        return h.add(DropPath.apply(mlp.forward(norm2.forward(h)), dropPath, training, rng));
    }

    public double dropPath() {
        return dropPath;
    }
}
