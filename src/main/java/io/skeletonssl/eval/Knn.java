package io.skeletonssl.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.skeletonssl.engine.Engines;

import java.util.stream.IntStream;

/**
 * k-nearest-neighbour classification by cosine similarity (spec §3.13, KNN retrieval): rows are
 * L2-normalised, each query's neighbours are the gallery rows of largest dot product, ties going to
 * the lower gallery index. With k = 1 this is the protocol's 1-NN; with k > 1 the neighbours vote
 * and a tied vote goes to the label of the nearest neighbour among the tied labels. Similarities are
 * computed by a matrix product a block of queries at a time, so memory stays bounded by block x
 * gallery floats.
 */
public final class Knn {

    /** Queries per similarity block. */
    static final int BLOCK = 1024;

    private Knn() {
    }

    /** Predicted label of every query row. */
    public static int[] predict(Features gallery, Features queries, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        if (gallery.size() == 0) {
            throw new IllegalArgumentException("the gallery (train split) has no clips");
        }
        if (queries.size() > 0 && queries.dim() != gallery.dim()) {
            throw new IllegalArgumentException("query features have dim " + queries.dim() + ", gallery " + gallery.dim());
        }
        int kk = Math.min(k, gallery.size());
        int d = gallery.dim();
        int n = gallery.size();
        int[] out = new int[queries.size()];
        try (NDManager manager = Engines.cpu().newManager()) {
            // (D, G): one BLAS matmul per block of queries gives the block's similarity rows
            NDArray gt = manager.create(flat(normalised(gallery.rows()), d), new Shape(n, d)).transpose().duplicate();
            float[][] q = normalised(queries.rows());
            for (int from = 0; from < q.length; from += BLOCK) {
                int b = Math.min(q.length, from + BLOCK) - from;
                float[] sims;
                try (NDManager step = manager.newSubManager()) {
                    float[] qb = flat(java.util.Arrays.copyOfRange(q, from, from + b), d);
                    sims = step.create(qb, new Shape(b, d)).matMul(gt).toFloatArray();
                }
                int base = from;
                IntStream.range(0, b).parallel().forEach(i ->
                        out[base + i] = vote(nearest(sims, i * n, n, kk), gallery.labels()));
            }
        }
        return out;
    }

    private static float[] flat(float[][] rows, int d) {
        float[] f = new float[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, f, i * d, d);
        }
        return f;
    }

    /** Percentage of queries whose prediction equals their label. */
    public static double top1(Features gallery, Features queries, int k) {
        int[] p = predict(gallery, queries, k);
        int hits = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] == queries.labels()[i]) {
                hits++;
            }
        }
        return p.length == 0 ? 0 : 100.0 * hits / p.length;
    }

    /** Copies of the rows scaled to unit length (zero rows stay zero). */
    static float[][] normalised(float[][] rows) {
        float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            float[] r = rows[i];
            double s = 0;
            for (float v : r) {
                s += (double) v * v;
            }
            float inv = s > 0 ? (float) (1 / Math.sqrt(s)) : 0f;
            float[] n = new float[r.length];
            for (int j = 0; j < r.length; j++) {
                n[j] = r[j] * inv;
            }
            out[i] = n;
        }
        return out;
    }

    /** Indices of the k largest of {@code sims[off..off+n)}, largest first; ties to the lower index. */
    static int[] nearest(float[] sims, int off, int n, int k) {
        int[] idx = new int[k];
        float[] top = new float[k];
        int filled = 0;
        for (int j = 0; j < n; j++) {
            float s = sims[off + j];
            // strictly greater: an equal later row never displaces an earlier one
            if (filled < k || s > top[filled - 1]) {
                int p = filled < k ? filled++ : k - 1;
                while (p > 0 && s > top[p - 1]) {
                    top[p] = top[p - 1];
                    idx[p] = idx[p - 1];
                    p--;
                }
                top[p] = s;
                idx[p] = j;
            }
        }
        return idx;
    }

    /** Majority label of the neighbours (nearest first); a tie goes to the tied label seen first. */
    static int vote(int[] nn, int[] labels) {
        int best = labels[nn[0]];
        int bestCount = 0;
        for (int a = 0; a < nn.length; a++) {
            int l = labels[nn[a]];
            int c = 0;
            for (int b : nn) {
                if (labels[b] == l) {
                    c++;
                }
            }
            if (c > bestCount) {
                best = l;
                bestCount = c;
            }
        }
        return best;
    }
}
