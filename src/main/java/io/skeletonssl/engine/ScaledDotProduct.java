package io.skeletonssl.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Scaled dot-product attention softmax(q kᵀ / √d) v over the last two axes of (…, L, d) arrays,
 * with gradients. On the PyTorch engine it runs torch's fused kernel, which never materialises the
 * L × L score matrix: the MAMP decoder's scores (16 sequences × 8 heads × 750²) are memory-bound
 * to softmax and back, and the fused kernel does one attention layer's forward and backward about
 * five times faster on 2 cores (see README, bench train). DJL 0.34 has no such op, so it is reached
 * through a four-file TorchScript module bundled as a resource ({@code sdpa.pt}, made by
 * {@code src/main/python/make_sdpa_module.py}). Any other engine, or a module that fails to load,
 * uses the explicit computation; both give the same values up to rounding.
 *
 * <p>System property {@code skeletonssl.attention}: {@code fused} (default) or {@code explicit}.
 */
public final class ScaledDotProduct {

    /** How attention is computed. */
    public enum Kernel { FUSED, EXPLICIT }

    public static final String PROPERTY = "skeletonssl.attention";
    private static final String RESOURCE = "sdpa.pt";

    private static final Object LOCK = new Object();
    private static volatile PtSymbolBlock module;
    private static volatile boolean unavailable;

    private ScaledDotProduct() {
    }

    /** softmax(q kᵀ / √d) v for q, k, v of shape (…, L, d) (k and v share L; q may have its own). */
    public static NDArray attend(NDArray q, NDArray k, NDArray v) {
        if (kernel() == Kernel.FUSED) {
            PtSymbolBlock fused = fusedModule(q);
            if (fused != null) {
                // Grad mode is per thread in PyTorch; the module runs under a no-grad guard unless told otherwise.
                return IValueUtils.forward(fused, new NDList(q, k, v), JniUtils.isGradMode()).singletonOrThrow();
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
        return q.mul(Math.pow(d, -0.5)).matMul(k.transpose(swap)).softmax(-1).matMul(v);
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
        return fusedModule(like) != null;
    }

    private static PtSymbolBlock fusedModule(NDArray like) {
        if (unavailable || !(like.getManager() instanceof PtNDManager)) {
            return null;
        }
        PtSymbolBlock m = module;
        if (m != null) {
            return m;
        }
        synchronized (LOCK) {
            if (module == null && !unavailable) {
                module = load((PtNDManager) like.getManager());
            }
            return module;
        }
    }

    private static PtSymbolBlock load(PtNDManager like) {
        try (InputStream in = ScaledDotProduct.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("resource " + RESOURCE + " is missing from the build");
            }
            // A manager of its own that lives as long as the process: the module outlives every step scope.
            PtNDManager owner = (PtNDManager) like.getEngine().newBaseManager(like.getDevice());
            return JniUtils.loadModule(owner, in, false, false);
        } catch (IOException | RuntimeException e) {
            unavailable = true;
            System.err.println("skeleton-ssl: fused attention unavailable (" + e.getMessage()
                    + "); using the explicit computation");
            return null;
        }
    }
}
