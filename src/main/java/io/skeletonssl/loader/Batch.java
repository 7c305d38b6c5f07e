package io.skeletonssl.loader;

/**
 * One batch: for each view k a float array of B·3·T_k·V·M values ((N, C, T, V, M) order), the
 * labels and the dataset indices of its samples. The arrays are handed over, not copied: treat
 * them as read-only.
 */
public final class Batch {

    private final int epoch;
    private final int number;
    private final float[][] views;
    private final int[] viewFrames;
    private final int joints;
    private final int persons;
    private final int[] labels;
    private final int[] indices;

    Batch(int epoch, int number, float[][] views, int[] viewFrames, int joints, int persons, int[] labels,
          int[] indices) {
        this.epoch = epoch;
        this.number = number;
        this.views = views;
        this.viewFrames = viewFrames;
        this.joints = joints;
        this.persons = persons;
        this.labels = labels;
        this.indices = indices;
    }

    public int epoch() {
        return epoch;
    }

    /** Position of this batch within its epoch, from 0. */
    public int number() {
        return number;
    }

    public int size() {
        return indices.length;
    }

    public int viewCount() {
        return views.length;
    }

    /** View {@code k}: size()·3·frames(k)·joints()·persons() floats. Read-only. */
    public float[] view(int k) {
        return views[k];
    }

    /** The first (for MAMP the only) view. */
    public float[] data() {
        return views[0];
    }

    public int frames(int k) {
        return viewFrames[k];
    }

    public int joints() {
        return joints;
    }

    public int persons() {
        return persons;
    }

    /** {B, 3, T_k, V, M}. */
    public long[] shape(int k) {
        return new long[]{size(), 3, viewFrames[k], joints, persons};
    }

    public int[] labels() {
        return labels.clone();
    }

    public int label(int i) {
        return labels[i];
    }

    /** Dataset indices of the samples, in batch order. */
    public int[] indices() {
        return indices.clone();
    }

    public int index(int i) {
        return indices[i];
    }

    @Override
    public String toString() {
        return "Batch[epoch " + epoch + ", #" + number + ", " + size() + " samples, " + views.length + " view(s)]";
    }
}
