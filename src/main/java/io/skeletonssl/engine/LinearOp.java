package io.skeletonssl.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.core.Linear;

/** y = x·wᵀ + b: DJL's linear, or under a bf16 {@link Autocast} the product in bfloat16 (result float32). */
public final class LinearOp {

    private static final BundledModule BF16 = new BundledModule("linear_bf16.pt");

    private LinearOp() {
    }

    public static NDArray apply(NDArray x, NDArray weight, NDArray bias) {
        if (Autocast.bf16() && BF16.available(x)) {
            return BF16.call(x, weight, bias);
        }
        return Linear.linear(x, weight, bias).singletonOrThrow();
    }
}
