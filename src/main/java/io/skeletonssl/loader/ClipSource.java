package io.skeletonssl.loader;

import io.skeletonssl.dataset.SkeletonDataset;

/**
 * Where the loader reads clips from: a memory-mapped {@link SkeletonDataset.ClipSplit}, or
 * anything else with the same shape (tests, synthetic data). Reads must be safe from several
 * threads at once.
 */
public interface ClipSource {

    int size();

    int frames();

    int joints();

    int persons();

    /** Copies clip {@code i} (3·T·V·M floats, (C, T, V, M) order) into {@code dst} at {@code off}. */
    void read(int i, float[] dst, int off);

    int validFrames(int i);

    int label(int i);

    /** A name for reports (the sample's name when known). */
    default String name(int i) {
        return "#" + i;
    }

    default int sampleSize() {
        return 3 * frames() * joints() * persons();
    }

    /**
     * The clips {@code indices} of {@code source}, in that order (e.g. a labelled subset or the
     * part of a training split kept after holding out validation clips). Names stay the source's.
     */
    static ClipSource subset(ClipSource source, int[] indices) {
        int[] idx = indices.clone();
        for (int k = 0; k < idx.length; k++) {
            if (idx[k] < 0 || idx[k] >= source.size()) {
                throw new IllegalArgumentException("subset index " + idx[k] + " at position " + k
                        + " is outside the source's " + source.size() + " clips");
            }
        }
        return new ClipView(source) {
            @Override
            public int size() {
                return idx.length;
            }

            @Override
            protected int sourceIndex(int i) {
                return idx[i];
            }
        };
    }

    static ClipSource of(SkeletonDataset.ClipSplit split) {
        return new ClipSource() {
            @Override
            public int size() {
                return split.size();
            }

            @Override
            public int frames() {
                return split.frames();
            }

            @Override
            public int joints() {
                return split.joints();
            }

            @Override
            public int persons() {
                return split.persons();
            }

            @Override
            public void read(int i, float[] dst, int off) {
                split.read(i, dst, off);
            }

            @Override
            public int validFrames(int i) {
                return split.validFrames(i);
            }

            @Override
            public int label(int i) {
                return split.label(i);
            }

            @Override
            public String name(int i) {
                try {
                    return split.meta(i).name();
                } catch (RuntimeException e) {
                    return split.name() + "#" + i;
                }
            }
        };
    }
}
