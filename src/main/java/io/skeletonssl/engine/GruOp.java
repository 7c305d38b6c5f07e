package io.skeletonssl.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * One GRU layer (unidirectional, batch first, with biases) under a bf16 {@link Autocast}: the input
 * and hidden products and the gates in bfloat16, as {@code torch.autocast} runs a GRU, with
 * float32 weights, input and results (the PCM3 step's speed in both precisions: README,
 * {@code bench train}). Outside a
 * bf16 scope, or where the bundled module is unavailable, {@link #available} is false and the
 * caller runs the engine's float32 GRU.
 */
public final class GruOp {

    private static final BundledModule BF16 = new BundledModule("gru_bf16.pt");

    private GruOp() {
    }

    /** Whether {@link #layerBf16} applies: a bf16 scope on this thread and the engine's module. */
    public static boolean available(NDArray like) {
        return Autocast.bf16() && BF16.available(like);
    }

    /**
     * The layer over x (N, T, in) from state h0 (1, N, hidden), torch's weight layout ([r; z; n]
     * rows): returns the output (N, T, hidden) and the final state (1, N, hidden), both float32.
     */
    public static NDList layerBf16(NDArray x, NDArray h0, NDArray wIh, NDArray wHh, NDArray bIh, NDArray bHh) {
        return BF16.callAll(x, h0, wIh, wHh, bIh, bHh);
    }
}
