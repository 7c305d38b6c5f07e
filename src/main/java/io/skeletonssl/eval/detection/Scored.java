package io.skeletonssl.eval.detection;

import io.skeletonssl.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** One epoch's test outcome: scores per IoU threshold, per-frame accuracy (percent), the detections. */
record Scored(List<DetectionMetric.Scores> scores, double frameAccuracy, List<DetectionMetric.Detection> detections) {

    /** detections.csv: video, label (0-based class), start, end (exclusive), confidence. */
    void writeDetections(Path file) throws IOException {
        StringBuilder sb = new StringBuilder("video,label,start,end,confidence\n");
        for (DetectionMetric.Detection d : detections) {
            sb.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%.6f%n", d.video(), d.label(), d.start(), d.end(),
                    d.confidence()));
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> out.write(bytes));
    }
}
