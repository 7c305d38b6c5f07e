package io.skeletonssl.eval.motion;

import io.skeletonssl.dataset.SkeletonDataset;

/**
 * Per-coordinate mean and standard deviation of person 1's poses (metres) over every valid frame
 * of the training clips, as Martinez et al. normalise their data: the decoder reads standardised
 * poses, its velocity output is in standard deviations, and the loss is measured in them, so SGD
 * at Martinez's learning rate sees gradients of his scale whatever the unit. A deviation below
 * {@link #FLOOR} (a coordinate the preparation fixed, e.g. a centred root) is raised to it.
 */
public record PoseStats(float[] mean, float[] std) {

    /** Smallest standard deviation used, metres. */
    static final double FLOOR = 1e-3;

    public static PoseStats of(SkeletonDataset.ClipSplit split, MotionWindows.Selection sel, double scale) {
        int v = split.joints();
        int d = 3 * v;
        double[] sum = new double[d];
        double[] sq = new double[d];
        long count = 0;
        float[] data = new float[split.sampleSize()];
        for (int k = 0; k < sel.size(); k++) {
            split.read(sel.clips()[k], data, 0);
            int valid = sel.validFrames()[k];
            float[] p = MotionWindows.poses(data, split.frames(), v, split.persons(), 0, valid, scale);
            for (int t = 0; t < valid; t++) {
                for (int j = 0; j < d; j++) {
                    double x = p[t * d + j];
                    sum[j] += x;
                    sq[j] += x * x;
                }
            }
            count += valid;
        }
        float[] mean = new float[d];
        float[] std = new float[d];
        for (int j = 0; j < d; j++) {
            double m = sum[j] / count;
            mean[j] = (float) m;
            std[j] = (float) Math.max(FLOOR, Math.sqrt(Math.max(0, sq[j] / count - m * m)));
        }
        return new PoseStats(mean, std);
    }

    /** No normalisation: mean 0, deviation 1 (for tests). */
    public static PoseStats identity(int joints) {
        float[] one = new float[3 * joints];
        java.util.Arrays.fill(one, 1f);
        return new PoseStats(new float[3 * joints], one);
    }
}
