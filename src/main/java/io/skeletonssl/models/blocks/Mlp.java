package io.skeletonssl.models.blocks;

import ai.djl.ndarray.NDArray;

/** Linear(dim → hidden), exact GELU, Linear(hidden → dim); no dropout. */
public final class Mlp extends SeededBlock {

    private final Dense fc1;
    private final Dense fc2;

    public Mlp(int dim, int hidden) {
        this.fc1 = child("fc1", Dense.xavier(dim, hidden));
        this.fc2 = child("fc2", Dense.xavier(hidden, dim));
    }

    public NDArray forward(NDArray x) {
        return fc2.forward(Gelu.exact(fc1.forward(x)));
    }
}
