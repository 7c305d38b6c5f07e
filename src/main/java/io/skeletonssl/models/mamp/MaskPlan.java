package io.skeletonssl.models.mamp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Which tokens of each person-sequence stay visible.
 *
 * @param sequences number of person-sequences B
 * @param tokens tokens per sequence L
 * @param visible visible tokens per sequence K
 * @param order per sequence, token indices sorted by ascending score (B·L, row-major); the first K are visible
 * @param restore inverse permutation of {@code order} (B·L): position of token i in the sorted order
 * @param mask 1 = masked, 0 = visible, in original token order (B·L)
 */
public record MaskPlan(int sequences, int tokens, int visible, long[] order, long[] restore, float[] mask) {

    /** Index of the k-th visible token of sequence b (k &lt; visible). */
    public long visibleToken(int b, int k) {
        return order[b * tokens + k];
    }

    public boolean masked(int b, int token) {
        return mask[b * tokens + token] == 1f;
    }

    /** Visible token indices (B, K), int64, in sorted-score order. */
    public NDArray keepIndices(NDManager manager) {
        long[] keep = new long[sequences * visible];
        for (int b = 0; b < sequences; b++) {
            System.arraycopy(order, b * tokens, keep, b * visible, visible);
        }
        return manager.create(keep, new Shape(sequences, visible));
    }

    /** Restore permutation (B, L), int64. */
    public NDArray restoreIndices(NDManager manager) {
        return manager.create(restore, new Shape(sequences, tokens));
    }

    /** Mask (B, L), float32, 1 = masked. */
    public NDArray maskArray(NDManager manager) {
        return manager.create(mask, new Shape(sequences, tokens));
    }
}
