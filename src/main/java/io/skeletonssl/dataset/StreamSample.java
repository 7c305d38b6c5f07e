package io.skeletonssl.dataset;

import java.util.List;
import java.util.Objects;

/**
 * One untrimmed recording with labelled action segments, for frame-level action detection.
 *
 * @param data        coordinates in (C, L, V, M) order for the whole recording of L frames
 * @param frameLabels per frame: 0 = background, k ≥ 1 = class k−1 (the detection convention)
 * @param segments    the labelled segments, frame ranges [start, end) in stream frames
 */
public record StreamSample(float[] data, int frames, int joints, int persons, int[] frameLabels,
                           List<Segment> segments, SampleMeta meta, String sourceSplit) implements Record {

    /** An action instance inside a stream: class {@code label} (0-based) on frames [start, end). */
    public record Segment(int label, int start, int end) {
        public Segment {
            if (start < 0 || end <= start) {
                throw new IllegalArgumentException("segment [" + start + ", " + end + ") is empty or negative");
            }
        }
    }

    public StreamSample {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(meta, "meta");
        if ((long) Sample.CHANNELS * frames * joints * persons != data.length) {
            throw new IllegalArgumentException("stream " + meta.name() + ": data has " + data.length
                    + " values, expected 3·" + frames + "·" + joints + "·" + persons);
        }
        if (frameLabels.length != frames) {
            throw new IllegalArgumentException("stream " + meta.name() + ": " + frameLabels.length
                    + " frame labels for " + frames + " frames");
        }
        segments = List.copyOf(segments);
    }

    /** Builds per-frame labels from segments (later segments win where they overlap). */
    public static int[] frameLabels(int frames, List<Segment> segments) {
        int[] labels = new int[frames];
        for (Segment s : segments) {
            for (int t = s.start(); t < Math.min(s.end(), frames); t++) {
                labels[t] = s.label() + 1;
            }
        }
        return labels;
    }
}
