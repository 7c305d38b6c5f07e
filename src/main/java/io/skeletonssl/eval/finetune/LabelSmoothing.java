package io.skeletonssl.eval.finetune;

import ai.djl.ndarray.NDArray;
import io.skeletonssl.engine.Scalars;

/**
 * timm's {@code LabelSmoothingCrossEntropy} (spec §2.10): per row, (1 − ε)·(−log p_y) + ε·mean_k(−log p_k),
 * averaged over the batch; ε = 0 is plain cross-entropy.
 */
public final class LabelSmoothing {

    private LabelSmoothing() {
    }

    /** Scalar loss of logits (N, C) against one-hot targets (N, C). */
    public static NDArray loss(NDArray logits, NDArray oneHot, double epsilon) {
        if (!(epsilon >= 0 && epsilon < 1)) {
            throw new IllegalArgumentException("label smoothing must lie in [0, 1), got " + epsilon);
        }
        NDArray logp = logits.logSoftmax(1);
        NDArray nll = logp.mul(oneHot).sum(new int[] {1}).neg();
        if (epsilon == 0) {
            return nll.mean();
        }
        NDArray smooth = logp.mean(new int[] {1}).neg();
        return Scalars.mul(nll, 1 - epsilon).add(Scalars.mul(smooth, epsilon)).mean();
    }
}
