package io.skeletonssl.transforms;

import io.skeletonssl.dataset.Sample;

import java.util.Objects;

/**
 * A clip flowing through the transforms: coordinates in (C = 3, T, V, M) order, index
 * {@code ((c·T + t)·V + v)·M + m}, the same layout as {@link Sample}.
 *
 * <p>{@code validFrames} says how many leading frames the temporal crop may use (MAMP's
 * {@code valid_frame_num}, PCM3's {@code num_frame}); frames after it are padding. Transforms
 * never modify the array they are given: each returns a new clip (the array is shared only by
 * transforms that return their input unchanged).
 *
 * @param data        3·T·V·M floats
 * @param frames      T
 * @param validFrames 0..T
 * @param joints      V
 * @param persons     M
 */
public record Clip(float[] data, int frames, int validFrames, int joints, int persons) {

    public static final int CHANNELS = Sample.CHANNELS;

    public Clip {
        Objects.requireNonNull(data, "data");
        if (frames < 0 || joints <= 0 || persons <= 0) {
            throw new IllegalArgumentException("bad clip shape T=" + frames + " V=" + joints + " M=" + persons);
        }
        if ((long) CHANNELS * frames * joints * persons != data.length) {
            throw new IllegalArgumentException("clip data has " + data.length + " values, expected 3·" + frames
                    + "·" + joints + "·" + persons + " = " + (long) CHANNELS * frames * joints * persons);
        }
        if (validFrames < 0 || validFrames > frames) {
            throw new IllegalArgumentException("validFrames " + validFrames + " outside 0.." + frames);
        }
    }

    /** A clip whose frames are all valid. */
    public static Clip of(float[] data, int frames, int joints, int persons) {
        return new Clip(data, frames, frames, joints, persons);
    }

    /** The sample's coordinates and valid frame count (the array is shared, not copied). */
    public static Clip of(Sample s) {
        return new Clip(s.data(), s.frames(), s.validFrames(), s.joints(), s.persons());
    }

    public int index(int c, int t, int v, int m) {
        return ((c * frames + t) * joints + v) * persons + m;
    }

    public float get(int c, int t, int v, int m) {
        return data[index(c, t, v, m)];
    }

    /** Same shape, new values (valid frame count kept). */
    public Clip withData(float[] newData) {
        return new Clip(newData, frames, validFrames, joints, persons);
    }

    public Clip withValidFrames(int newValidFrames) {
        return new Clip(data, frames, newValidFrames, joints, persons);
    }

    /** Values per channel plane: T·V·M. */
    public int plane() {
        return frames * joints * persons;
    }
}
