package io.skeletonssl.engine;

import ai.djl.ndarray.NDArray;

/**
 * The transformer MLP under a bf16 {@link Autocast}: fc2(GELU(fc1(x))) with both products and the
 * exact GELU in bfloat16, as {@code torch.autocast} runs them, in one call, so that the hidden
 * activation (four times the width) is never cast to float32 and back; the result is float32.
 * Outside a bf16 scope, or where the bundled module is unavailable, {@link #available} is false
 * and the caller composes its own layers.
 */
public final class MlpOp {

    private static final BundledModule BF16 = new BundledModule("mlp_bf16.pt");

    private MlpOp() {
    }

    /** Whether {@link #bf16} applies here: a bf16 scope on this thread and the engine's module. */
    public static boolean available(NDArray like) {
        return Autocast.bf16() && BF16.available(like);
    }

    /** fc2(GELU(fc1(x))) in bfloat16 with float32 weights and result; weights (out, in) as {@link LinearOp}. */
    public static NDArray bf16(NDArray x, NDArray w1, NDArray b1, NDArray w2, NDArray b2) {
        return BF16.call(x, w1, b1, w2, b2);
    }
}
