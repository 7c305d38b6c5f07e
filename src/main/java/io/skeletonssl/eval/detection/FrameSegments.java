package io.skeletonssl.eval.detection;

import java.util.ArrayList;
import java.util.List;

/**
 * From per-frame class probabilities to detected segments (DET's post-processing, spec §3.13):
 * a mean filter over time, then every maximal run of frames where 1 − p(background) ≥ the
 * threshold is a segment; its class is the argmax of the run's mean non-background probability
 * and its confidence that mean. Probabilities are rows of C + 1 values, column 0 = background.
 */
public final class FrameSegments {

    private FrameSegments() {
    }

    /** A segment [start, end) of class {@code label} (0-based action class, i.e. column label + 1). */
    public record Found(int label, int start, int end, double confidence) {
    }

    /**
     * Mean filter of length {@code k} along time: frame t averages frames [t − ⌊k/2⌋, t − ⌊k/2⌋ + k)
     * that exist (windows are cut at the stream ends, not padded). k = 1 returns a copy.
     */
    public static float[][] smooth(float[][] probs, int k) {
        int n = probs.length;
        int width = n == 0 ? 0 : probs[0].length;
        // prefix sums per class make every window O(1)
        double[][] prefix = new double[n + 1][width];
        for (int t = 0; t < n; t++) {
            for (int c = 0; c < width; c++) {
                prefix[t + 1][c] = prefix[t][c] + probs[t][c];
            }
        }
        float[][] out = new float[n][width];
        for (int t = 0; t < n; t++) {
            int from = Math.max(0, t - k / 2);
            int to = Math.min(n, t - k / 2 + k);
            for (int c = 0; c < width; c++) {
                out[t][c] = (float) ((prefix[to][c] - prefix[from][c]) / (to - from));
            }
        }
        return out;
    }

    /** Segments of already smoothed probabilities. */
    public static List<Found> segments(float[][] smoothed, double threshold) {
        List<Found> out = new ArrayList<>();
        int t = 0;
        while (t < smoothed.length) {
            if (1 - smoothed[t][0] < threshold) {
                t++;
                continue;
            }
            int start = t;
            while (t < smoothed.length && 1 - smoothed[t][0] >= threshold) {
                t++;
            }
            out.add(classify(smoothed, start, t));
        }
        return out;
    }

    /** Smoothing with length {@code k}, then {@link #segments}. */
    public static List<Found> detect(float[][] probs, int k, double threshold) {
        return segments(smooth(probs, k), threshold);
    }

    private static Found classify(float[][] p, int start, int end) {
        int width = p[start].length;
        double[] mean = new double[width];
        for (int t = start; t < end; t++) {
            for (int c = 1; c < width; c++) {
                mean[c] += p[t][c];
            }
        }
        int best = 1;
        for (int c = 2; c < width; c++) {
            if (mean[c] > mean[best]) {
                best = c;
            }
        }
        return new Found(best - 1, start, end, mean[best] / (end - start));
    }
}
