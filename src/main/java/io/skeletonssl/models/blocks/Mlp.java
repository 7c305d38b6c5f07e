package io.skeletonssl.models.blocks;

import ai.djl.ndarray.NDArray;
import io.skeletonssl.engine.MlpOp;

/** Linear(dim → hidden), exact GELU, Linear(hidden → dim); no dropout. */
public final class Mlp extends SeededBlock {

    private final Dense fc1;
    private final Dense fc2;

    public Mlp(int dim, int hidden) {
        this.fc1 = child("fc1", Dense.xavier(dim, hidden));
        this.fc2 = child("fc2", Dense.xavier(hidden, dim));
    }

    public NDArray forward(NDArray x) {
        if (MlpOp.available(x)) { // bf16: one call, the hidden activation stays bfloat16
            return MlpOp.bf16(x, fc1.weight().getArray(), fc1.bias().getArray(), fc2.weight().getArray(),
                    fc2.bias().getArray());
        }
        return fc2.forward(Gelu.exact(fc1.forward(x)));
    }
}
