package io.skeletonssl.eval.detection;

import io.skeletonssl.api.SequenceEncoder;
import io.skeletonssl.dataset.StreamSample;
import io.skeletonssl.transforms.Clip;
import io.skeletonssl.transforms.Transform;

import java.util.SplittableRandom;

/**
 * Features of stream frames through a frozen encoder: each frame's window
 * ({@link StreamWindows#clip}), then the method's input conversion ({@code input}: e.g. PCM3's
 * bone or motion stream; identity for MAMP and joint-stream PCM3), encoded in batches.
 */
final class WindowEncoder {

    private static final int BATCH = 64;
    /** The input conversions draw nothing; a fixed generator satisfies the interface. */
    private static final SplittableRandom FIXED = new SplittableRandom(0);

    private final SequenceEncoder encoder;
    private final Transform input;
    private final int window;

    WindowEncoder(SequenceEncoder encoder, Transform input, int window) {
        this.encoder = encoder;
        this.input = input;
        this.window = window;
    }

    /** Sampled frames per window. */
    int window() {
        return window;
    }

    int featureDim() {
        return encoder.featureDim();
    }

    /** One feature row per (centre, stride) pair of stream {@code s}. */
    float[][] encode(StreamSample s, int[] centres, int[] strides) {
        float[][] out = new float[centres.length][];
        int size = encoder.clipSize();
        for (int from = 0; from < centres.length; from += BATCH) {
            int n = Math.min(BATCH, centres.length - from);
            float[] batch = new float[n * size];
            for (int i = 0; i < n; i++) {
                Clip c = input.apply(StreamWindows.clip(s, centres[from + i], window, strides[from + i],
                        encoder.frames()), FIXED);
                System.arraycopy(c.data(), 0, batch, i * size, size);
            }
            float[][] f = encoder.encode(batch, n);
            System.arraycopy(f, 0, out, from, n);
        }
        return out;
    }
}
