package io.skeletonssl.dataset;

import java.util.Objects;

/**
 * One trimmed skeleton clip: coordinates in (C, T, V, M) order, float32, C = 3 (x, y, z).
 *
 * @param data        C·T·V·M values, index ((c·T + t)·V + v)·M + m
 * @param frames      T, the number of frames held in {@code data}
 * @param joints      V
 * @param persons     M
 * @param validFrames how many leading frames are meaningful (the official {@code num_frame}); frames
 *                    past it may hold padding (zeros, or loop padding in the PCM3 pipeline)
 * @param label       0-based class, or -1 when unlabelled
 */
public record Sample(float[] data, int frames, int joints, int persons, int validFrames, int label,
                     SampleMeta meta, String sourceSplit) implements Record {

    public static final int CHANNELS = 3;

    public Sample {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(meta, "meta");
        if (frames < 0 || joints <= 0 || persons <= 0) {
            throw new IllegalArgumentException("sample " + meta.name() + ": bad shape T=" + frames
                    + " V=" + joints + " M=" + persons);
        }
        if ((long) CHANNELS * frames * joints * persons != data.length) {
            throw new IllegalArgumentException("sample " + meta.name() + ": data has " + data.length
                    + " values, expected 3·" + frames + "·" + joints + "·" + persons);
        }
        if (validFrames < 0 || validFrames > frames) {
            throw new IllegalArgumentException("sample " + meta.name() + ": validFrames " + validFrames
                    + " outside 0.." + frames);
        }
    }

    public Sample(float[] data, int frames, int joints, int persons, int validFrames, int label, SampleMeta meta) {
        this(data, frames, joints, persons, validFrames, label, meta, null);
    }

    public static int index(int c, int t, int v, int m, int frames, int joints, int persons) {
        return ((c * frames + t) * joints + v) * persons + m;
    }

    public float get(int c, int t, int v, int m) {
        return data[index(c, t, v, m, frames, joints, persons)];
    }

    public Sample withSourceSplit(String split) {
        return new Sample(data, frames, joints, persons, validFrames, label, meta, split);
    }

    public Sample withLabel(int newLabel) {
        return new Sample(data, frames, joints, persons, validFrames, newLabel, meta, sourceSplit);
    }
}
