package io.skeletonssl.eval;

import io.skeletonssl.api.SequenceEncoder;
import io.skeletonssl.dataset.SkeletonDataset;
import io.skeletonssl.loader.Batch;
import io.skeletonssl.loader.BatchLoader;
import io.skeletonssl.loader.ClipSource;
import io.skeletonssl.loader.SampleTransform;
import io.skeletonssl.transforms.Transform;
import io.skeletonssl.util.Progress;

import java.util.ArrayList;
import java.util.List;

/**
 * Features of every clip of a split through a transform and a frozen encoder, in split order. The
 * transform's randomness is that of the batch loader's epoch {@code view} (per sample from
 * (seed, view, index)), so view v of a split is the same whatever the thread count, and equals the
 * augmentation a loader with that seed gives in epoch v. A non-finite feature is an error.
 */
public final class FeatureExtractor {

    /** Clips per loader batch; the encoder splits further if its memory bound asks for it. */
    static final int BATCH = 64;

    private final SequenceEncoder encoder;
    private final int threads;

    public FeatureExtractor(SequenceEncoder encoder, int threads) {
        this.encoder = encoder;
        this.threads = Math.max(1, threads);
    }

    /** Features of {@code split} under {@code transform}; {@code task} names the progress bar (null: none). */
    public Features extract(SkeletonDataset.ClipSplit split, Transform transform, long seed, int view, String task) {
        return extract(ClipSource.of(split), "split '" + split.name() + "'", transform, seed, view, task);
    }

    /** Features of any clip source (a subset, an occluded view…); {@code what} names it in errors. */
    public Features extract(ClipSource split, String what, Transform transform, long seed, int view, String task) {
        if (split.joints() != encoder.joints() || split.persons() != encoder.persons()) {
            throw new IllegalArgumentException(what + " has V=" + split.joints() + ", M="
                    + split.persons() + "; the encoder expects V=" + encoder.joints() + ", M=" + encoder.persons());
        }
        int n = split.size();
        float[][] rows = new float[n][];
        int[] labels = new int[n];
        try (BatchLoader loader = BatchLoader.builder(split, SampleTransform.of(transform))
                .batchSize(BATCH).shuffle(false).dropLast(false).seed(seed).threads(threads).build();
             BatchLoader.Epoch batches = loader.epoch(view);
             Progress bar = task == null ? null : Progress.start(task, n, "clip")) {
            for (Batch b : batches) {
                if (b.frames(0) != encoder.frames()) {
                    throw new IllegalStateException("transform gives " + b.frames(0) + " frames, the encoder expects "
                            + encoder.frames());
                }
                float[][] f = encoder.encode(b.data(), b.size());
                for (int i = 0; i < b.size(); i++) {
                    requireFinite(f[i], what, b.index(i));
                    rows[b.index(i)] = f[i];
                    labels[b.index(i)] = b.label(i);
                }
                if (bar != null) {
                    bar.stepBy(b.size());
                }
            }
        }
        return compact(rows, labels);
    }

    /**
     * A non-finite feature would reach KNN distances and probe heads as NaN and come out as a
     * plausible-looking 0% (or chance) result; it is an error naming the clip instead.
     */
    private static void requireFinite(float[] row, String what, int index) {
        int bad = 0;
        for (float v : row) {
            if (!Float.isFinite(v)) {
                bad++;
            }
        }
        if (bad > 0) {
            throw new IllegalStateException(what + ": the encoder gave " + bad + " non-finite feature value"
                    + (bad == 1 ? "" : "s") + " (NaN/Inf) of " + row.length + " for clip " + index
                    + "; no result can be computed from them");
        }
    }

    /** Drops the rows of skipped clips (their slots were filled with other clips). */
    private static Features compact(float[][] rows, int[] labels) {
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] != null) {
                kept.add(i);
            }
        }
        if (kept.size() == rows.length) {
            return new Features(rows, labels, 0);
        }
        float[][] r = new float[kept.size()][];
        int[] l = new int[kept.size()];
        int[] index = new int[kept.size()];
        for (int j = 0; j < r.length; j++) {
            index[j] = kept.get(j);
            r[j] = rows[index[j]];
            l[j] = labels[index[j]];
        }
        return new Features(r, l, rows.length - r.length, index);
    }
}
