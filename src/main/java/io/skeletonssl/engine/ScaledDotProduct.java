package io.skeletonssl.engine;

import ai.djl.ndarray.NDArray;

import java.util.Locale;

/**
 * Scaled dot-product attention softmax(q kᵀ / √d) v over the last two axes of (…, L, d) arrays,
 * with gradients. On the PyTorch engine it runs torch's fused kernel, which never materialises the
 * L × L score matrix: the MAMP decoder's scores (16 sequences × 8 heads × 750²) are memory-bound
 * to softmax and back, and the fused kernel does one attention layer's forward and backward about
 * five times faster on 2 cores (see README, bench train). DJL 0.34 has no such op, so it is reached
 * through a TorchScript module bundled as a resource ({@link BundledModule} {@code sdpa.pt}). Any
 * other engine, or a module that fails to load, uses the explicit computation; both give the same
 * values up to rounding. Under a bf16 {@link Autocast} attention stays float32: PyTorch 2.7's CPU
 * flash-attention backward in bfloat16 took 6.5 times as long as in float32 (2.0 s against 0.30 s
 * per MAMP 8+3 step on an Intel Xeon with AMX, profiled), far more than bf16 saves elsewhere.
 *
 * <p>System property {@code skeletonssl.attention}: {@code fused} (default) or {@code explicit}.
 */
public final class ScaledDotProduct {

    /** How attention is computed. */
    public enum Kernel { FUSED, EXPLICIT }

    public static final String PROPERTY = "skeletonssl.attention";
    private static final BundledModule FUSED = new BundledModule("sdpa.pt");
    private static volatile boolean warned;

    private ScaledDotProduct() {
    }

    /** softmax(q kᵀ / √d) v for q, k, v of shape (…, L, d) (k and v share L; q may have its own). */
    public static NDArray attend(NDArray q, NDArray k, NDArray v) {
        if (kernel() == Kernel.FUSED) {
            if (FUSED.available(q)) {
                return FUSED.call(q, k, v);
            }
            if (!warned && FUSED.failure() != null) {
                warned = true;
                System.err.println("skeleton-ssl: fused attention unavailable (" + FUSED.failure()
                        + "); using the explicit computation");
            }
        }
        return explicit(q, k, v);
    }

    /** The textbook computation; scaling q rather than the scores costs L/d times fewer multiplies. */
    public static NDArray explicit(NDArray q, NDArray k, NDArray v) {
        long d = q.getShape().get(q.getShape().dimension() - 1);
        int n = k.getShape().dimension();
        int[] swap = new int[n];
        for (int i = 0; i < n; i++) {
            swap[i] = i;
        }
        swap[n - 2] = n - 1;
        swap[n - 1] = n - 2;
        return Scalars.mul(q, Math.pow(d, -0.5)).matMul(k.transpose(swap)).softmax(-1).matMul(v);
    }

    /** The kernel {@link #attend} uses: the property's choice if the fused one is available. */
    public static Kernel kernel() {
        String p = System.getProperty(PROPERTY, "fused").trim().toLowerCase(Locale.ROOT);
        return switch (p) {
            case "fused" -> Kernel.FUSED;
            case "explicit" -> Kernel.EXPLICIT;
            default -> throw new IllegalArgumentException(
                    "system property " + PROPERTY + " must be 'fused' or 'explicit', got '" + p + "'");
        };
    }

    /** Whether the fused kernel is usable for arrays of this engine (loads it on first use). */
    public static boolean fusedAvailable(NDArray like) {
        return FUSED.available(like);
    }
}
