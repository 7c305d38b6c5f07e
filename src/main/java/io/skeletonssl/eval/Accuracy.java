package io.skeletonssl.eval;

/**
 * Top-k accuracy from logits. The rank of the true class counts the classes with a larger logit,
 * and equal logits of lower class index (the order {@code torch.topk} returns ties in), so that
 * constant logits are not counted as correct for every class.
 */
public final class Accuracy {

    private Accuracy() {
    }

    /** Rank (0 = top) of class {@code label} among the {@code classes} logits of row {@code row}. */
    public static int rank(float[] logits, int row, int classes, int label) {
        if (label < 0 || label >= classes) {
            throw new IllegalArgumentException("label " + label + " outside 0.." + (classes - 1));
        }
        int off = row * classes;
        float y = logits[off + label];
        int rank = 0;
        for (int c = 0; c < classes; c++) {
            float v = logits[off + c];
            if (v > y || (v == y && c < label) || Float.isNaN(v)) {
                rank++;
            }
        }
        return rank;
    }

    /** How many of the {@code labels.length} rows have their label among the top {@code k} logits. */
    public static int correct(float[] logits, int classes, int[] labels, int k) {
        if (logits.length != (long) labels.length * classes) {
            throw new IllegalArgumentException(logits.length + " logits for " + labels.length + " rows of "
                    + classes + " classes");
        }
        int hits = 0;
        for (int i = 0; i < labels.length; i++) {
            if (rank(logits, i, classes, labels[i]) < k) {
                hits++;
            }
        }
        return hits;
    }
}
