package io.skeletonssl.transforms;

import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Temporal crop of the valid frames followed by a linear resize to a fixed length
 * ({@link TemporalResize}). One class covers MAMP's {@code valid_crop_resize}, PCM3's
 * {@code temporal_cropresize} and CMD's downstream {@code crop_subsequence}; with L the clip's
 * valid frame count:
 * <ul>
 *   <li>random: p = u·(high − low) + low, u ~ U[0,1); length = min(max(⌊L·p⌋, minLength), L);
 *       start uniform in [0, L − length]; frames [start, start + length);</li>
 *   <li>centre: b = (int) ((1 − ratio)·L / 2) (double, truncated); frames [b, L − b).</li>
 * </ul>
 * The window always lies within frames 0..L−1 (MAMP's crop starts at frame 0 of the array even
 * when L is a count of non-empty frames). A clip shorter than {@code minLength} is used whole;
 * a clip of one frame is resized to a constant; a clip with no valid frame is an error.
 */
public final class CropResize implements Transform {

    public enum Mode { RANDOM, CENTER }

    /** The frames a crop takes: [start, start + length). */
    public record Window(int start, int length) {
    }

    private final Mode mode;
    private final double low;
    private final double high;
    private final int minLength;
    private final double centerRatio;
    private final int outputLength;

    private CropResize(Mode mode, double low, double high, int minLength, double centerRatio, int outputLength) {
        if (outputLength <= 0) {
            throw new IllegalArgumentException("output length must be positive, got " + outputLength);
        }
        this.mode = mode;
        this.low = low;
        this.high = high;
        this.minLength = minLength;
        this.centerRatio = centerRatio;
        this.outputLength = outputLength;
    }

    /** Random crop with ratio ~ U[low, high), at least {@code minLength} frames (fewer only if L is shorter). */
    public static CropResize random(double low, double high, int minLength, int outputLength) {
        if (!(low > 0 && low <= high && high <= 1)) {
            throw new IllegalArgumentException("crop ratio interval [" + low + ", " + high
                    + ") must satisfy 0 < low <= high <= 1");
        }
        if (minLength < 1) {
            throw new IllegalArgumentException("minimum crop length must be at least 1, got " + minLength);
        }
        return new CropResize(Mode.RANDOM, low, high, minLength, Double.NaN, outputLength);
    }

    /** Centre crop keeping the fraction {@code ratio} of the valid frames. */
    public static CropResize center(double ratio, int outputLength) {
        if (!(ratio > 0 && ratio <= 1)) {
            throw new IllegalArgumentException("centre crop ratio must be in (0, 1], got " + ratio);
        }
        return new CropResize(Mode.CENTER, Double.NaN, Double.NaN, 1, ratio, outputLength);
    }

    /** MAMP training (pretrain, linear probe, finetune): ratio U[0.5, 1), at least 64 frames, resized to 120. */
    public static CropResize mampTrain() {
        return random(0.5, 1.0, 64, 120);
    }

    /** MAMP test: centre 0.95, resized to 120. */
    public static CropResize mampTest() {
        return center(0.95, 120);
    }

    /** PCM3 pretraining views: ratio U[0.1, 1), at least 64 frames, resized to 64. */
    public static CropResize pcm3Pretrain() {
        return random(0.1, 1.0, 64, 64);
    }

    /** PCM3/CMD downstream training: ratio U[0.5, 1), at least 64 frames, resized to 64. */
    public static CropResize pcm3Train() {
        return random(0.5, 1.0, 64, 64);
    }

    /** PCM3/CMD downstream test: centre 0.95 (start = int(0.05·F/2)), resized to 64. */
    public static CropResize pcm3Test() {
        return center(0.95, 64);
    }

    public Mode mode() {
        return mode;
    }

    public int outputLength() {
        return outputLength;
    }

    public int minLength() {
        return minLength;
    }

    /** The ratio interval [low, high) of a random crop (NaN for a centre crop). */
    public double low() {
        return low;
    }

    public double high() {
        return high;
    }

    /** The kept fraction of a centre crop (NaN for a random crop). */
    public double centerRatio() {
        return centerRatio;
    }

    /** Chooses the window for a clip of {@code validFrames} frames (draws two numbers in random mode, none otherwise). */
    public Window window(int validFrames, RandomGenerator rng) {
        if (validFrames <= 0) {
            throw new IllegalArgumentException("clip has no valid frame: nothing to crop");
        }
        if (mode == Mode.CENTER) {
            int b = (int) ((1.0 - centerRatio) * validFrames / 2.0);
            return new Window(b, validFrames - 2 * b);
        }
        double p = rng.nextDouble() * (high - low) + low;
        int length = Math.min(Math.max((int) Math.floor(validFrames * p), minLength), validFrames);
        int start = rng.nextInt(validFrames - length + 1);
        return new Window(start, length);
    }

    @Override
    public Clip apply(Clip clip, RandomGenerator rng) {
        Window w = window(clip.validFrames(), rng);
        return TemporalResize.resize(clip, w.start(), w.length(), outputLength);
    }

    @Override
    public String toString() {
        return mode == Mode.RANDOM
                ? String.format(Locale.ROOT, "CropResize[random U[%s, %s), min %d -> %d]", low, high, minLength,
                outputLength)
                : String.format(Locale.ROOT, "CropResize[centre %s -> %d]", centerRatio, outputLength);
    }
}
