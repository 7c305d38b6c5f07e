package io.skeletonssl.eval.detection;

import io.skeletonssl.dataset.StreamSample;
import io.skeletonssl.transforms.Clip;
import io.skeletonssl.transforms.TemporalResize;

/**
 * The encoder input of one stream frame: {@code window} frames sampled {@code stride} raw frames
 * apart, the frame itself at sampled position ⌊window/2⌋ (so ⌊window/2⌋ samples reach back and
 * window − 1 − ⌊window/2⌋ forward), frames outside the stream replaced by the nearest boundary
 * frame, then resized to the encoder's T frames with the crop-resize's linear interpolation
 * ({@link TemporalResize}; no resampling when window = T).
 *
 * <p>For MAMP, which embeds T/4 segments of 4 frames and mean-pools all tokens, the presets use
 * window = T: with T divisible by 8 the labelled frame is the first frame of segment T/8, the
 * later of the two central segments (T/8 segments lie before it, T/8 from it on), so the frame
 * sits in the middle of the window on the segment grid the encoder was trained on.
 */
public final class StreamWindows {

    private StreamWindows() {
    }

    /** Raw frames one window spans: (window − 1)·stride + 1. */
    public static int span(int window, int stride) {
        return (window - 1) * stride + 1;
    }

    /** Stream frame of each sampled position of the window around {@code centre}, clamped to [0, length). */
    public static int[] frameIndices(int centre, int length, int window, int stride) {
        int[] idx = new int[window];
        int mid = window / 2;
        for (int j = 0; j < window; j++) {
            idx[j] = Math.max(0, Math.min(length - 1, centre + (j - mid) * stride));
        }
        return idx;
    }

    /** The window around {@code centre} of stream {@code s} as a clip of {@code encoderFrames} frames. */
    public static Clip clip(StreamSample s, int centre, int window, int stride, int encoderFrames) {
        int[] idx = frameIndices(centre, s.frames(), window, stride);
        int plane = s.joints() * s.persons();
        float[] data = new float[3 * window * plane];
        for (int c = 0; c < 3; c++) {
            for (int j = 0; j < window; j++) {
                System.arraycopy(s.data(), (c * s.frames() + idx[j]) * plane, data, (c * window + j) * plane, plane);
            }
        }
        Clip clip = Clip.of(data, window, s.joints(), s.persons());
        return window == encoderFrames ? clip : TemporalResize.resize(clip, 0, window, encoderFrames);
    }

    /** The frames evaluated with a test stride k: 0, k, 2k, … and always the last frame. */
    public static int[] testFrames(int length, int k) {
        int n = (length - 1) / k + 1;
        boolean lastIncluded = (length - 1) % k == 0;
        int[] out = new int[lastIncluded ? n : n + 1];
        for (int i = 0; i < n; i++) {
            out[i] = i * k;
        }
        if (!lastIncluded) {
            out[n] = length - 1;
        }
        return out;
    }

    /**
     * Per-frame rows for all {@code length} frames from the rows at the increasing {@code frames}
     * (which include 0 and length − 1): linear interpolation between the two nearest evaluated
     * frames (probability rows stay rows that sum to 1).
     */
    public static float[][] interpolate(int length, int[] frames, float[][] rows) {
        float[][] out = new float[length][];
        for (int i = 0; i + 1 < frames.length || i == 0; i++) {
            int a = frames[i];
            int b = frames.length == 1 ? a : frames[i + 1];
            for (int t = a; t <= b; t++) {
                float w = b == a ? 0f : (float) (t - a) / (b - a);
                float[] row = new float[rows[i].length];
                float[] next = rows[b == a ? i : i + 1];
                for (int c = 0; c < row.length; c++) {
                    row[c] = (1 - w) * rows[i][c] + w * next[c];
                }
                out[t] = row;
            }
            if (frames.length == 1) {
                break;
            }
        }
        return out;
    }
}
