package io.skeletonssl.eval;

import java.util.Objects;

/**
 * One feature row per clip with its label.
 *
 * @param rows    n rows of {@code dim} values
 * @param labels  n labels
 * @param skipped clips left out because their transform failed (the loader reports them)
 * @param sourceIndex for each row, the index of its clip in the source (rows of skipped clips are absent)
 */
public record Features(float[][] rows, int[] labels, int skipped, int[] sourceIndex) {

    public Features {
        Objects.requireNonNull(rows, "rows");
        Objects.requireNonNull(labels, "labels");
        if (rows.length != labels.length) {
            throw new IllegalArgumentException(rows.length + " feature rows but " + labels.length + " labels");
        }
        if (sourceIndex == null) {
            sourceIndex = java.util.stream.IntStream.range(0, rows.length).toArray();
        } else if (sourceIndex.length != rows.length) {
            throw new IllegalArgumentException(rows.length + " feature rows but " + sourceIndex.length + " source indices");
        }
    }

    /** Rows in source order with nothing skipped. */
    public Features(float[][] rows, int[] labels, int skipped) {
        this(rows, labels, skipped, null);
    }

    public int size() {
        return rows.length;
    }

    public int dim() {
        return rows.length == 0 ? 0 : rows[0].length;
    }

    /** Rows {@code order[from..from+n)} concatenated. */
    public float[] gather(int[] order, int from, int n) {
        int d = dim();
        float[] out = new float[n * d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows[order[from + i]], 0, out, i * d, d);
        }
        return out;
    }

    /** Labels of {@code order[from..from+n)}. */
    public int[] gatherLabels(int[] order, int from, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = labels[order[from + i]];
        }
        return out;
    }
}
