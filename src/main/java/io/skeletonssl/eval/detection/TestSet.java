package io.skeletonssl.eval.detection;

import io.skeletonssl.dataset.SkeletonDataset;
import io.skeletonssl.dataset.StreamSample;
import io.skeletonssl.eval.ProbeHead;
import io.skeletonssl.util.Progress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The test streams encoded once (the encoder is frozen): the features of the evaluated frames
 * (every {@code test_stride}-th and the last), the frame labels and the ground-truth segments.
 */
final class TestSet {

    private record Encoded(String name, int[] frames, float[][] features, int[] frameLabels) {
    }

    private final List<Encoded> streams;
    private final List<DetectionMetric.Truth> truths;

    private TestSet(List<Encoded> streams, List<DetectionMetric.Truth> truths) {
        this.streams = streams;
        this.truths = truths;
    }

    static TestSet encode(SkeletonDataset.StreamSplit split, List<Integer> indices, WindowEncoder we, DetectionConfig dc) {
        List<Encoded> out = new ArrayList<>();
        List<DetectionMetric.Truth> truths = new ArrayList<>();
        long frames = indices.stream().mapToLong(i -> StreamWindows.testFrames(split.length(i), dc.testStride()).length)
                .sum();
        try (Progress p = Progress.start("features " + split.name(), frames, "frames")) {
            for (int i : indices) {
                StreamSample s = split.stream(i);
                String name = split.streamName(i);
                int[] at = StreamWindows.testFrames(s.frames(), dc.testStride());
                int[] strides = new int[at.length];
                Arrays.fill(strides, dc.stride());
                out.add(new Encoded(name, at, we.encode(s, at, strides), s.frameLabels()));
                for (StreamSample.Segment g : s.segments()) {
                    truths.add(new DetectionMetric.Truth(name, g.label(), g.start(), Math.min(g.end(), s.frames())));
                }
                p.stepBy(at.length);
            }
        }
        return new TestSet(out, truths);
    }

    /** Ground-truth segments over all test streams. */
    int truthCount() {
        return truths.size();
    }

    /** The head's detections and scores on every test stream. */
    Scored score(ProbeHead head, DetectionConfig dc, int classes) {
        List<DetectionMetric.Detection> detections = new ArrayList<>();
        long correct = 0;
        long total = 0;
        for (Encoded e : streams) {
            float[][] probs = StreamWindows.interpolate(e.frameLabels().length, e.frames(),
                    softmax(head, e.features(), classes + 1));
            for (int t = 0; t < probs.length; t++) {
                correct += argmax(probs[t]) == e.frameLabels()[t] ? 1 : 0;
            }
            total += probs.length;
            for (FrameSegments.Found f : FrameSegments.detect(probs, dc.smoothing(), dc.threshold())) {
                detections.add(new DetectionMetric.Detection(e.name(), f.label(), f.start(), f.end(), f.confidence()));
            }
        }
        List<DetectionMetric.Scores> scores = new ArrayList<>();
        for (double iou : dc.iou()) {
            scores.add(DetectionMetric.score(detections, truths, iou));
        }
        return new Scored(scores, 100.0 * correct / total, detections);
    }

    private static float[][] softmax(ProbeHead head, float[][] rows, int width) {
        int dim = rows[0].length;
        float[] x = new float[rows.length * dim];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, x, i * dim, dim);
        }
        float[] logits = head.logits(x, rows.length);
        float[][] out = new float[rows.length][width];
        for (int i = 0; i < rows.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < width; c++) {
                max = Math.max(max, logits[i * width + c]);
            }
            double sum = 0;
            for (int c = 0; c < width; c++) {
                sum += Math.exp(logits[i * width + c] - max);
            }
            for (int c = 0; c < width; c++) {
                out[i][c] = (float) (Math.exp(logits[i * width + c] - max) / sum);
            }
        }
        return out;
    }

    private static int argmax(float[] row) {
        int best = 0;
        for (int c = 1; c < row.length; c++) {
            if (row[c] > row[best]) {
                best = c;
            }
        }
        return best;
    }
}
