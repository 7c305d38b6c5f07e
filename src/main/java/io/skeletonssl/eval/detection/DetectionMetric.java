package io.skeletonssl.eval.detection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Temporal action-detection mAP in the PKU-MMD / DET convention (spec §3.13). Segments are frame
 * ranges [start, end); their IoU is |intersection| / |union| in frames (the same number as DET's
 * inclusive {@code end − start + 1} with inclusive ends).
 *
 * <p>Average precision of a list of detections: sort by decreasing confidence (ties keep their
 * order); each detection takes the ground truth of its video and class with the largest IoU; it
 * is a true positive if that IoU ≥ the threshold and that ground truth is not matched yet (then it
 * is), otherwise a false positive (so duplicates of a matched segment count against it). AP is
 * the area under the precision-recall curve with the Pascal VOC (2010+) all-point interpolation:
 * precision made monotone (running maximum from the right), summed over every recall step;
 * recall is over all ground truths, so missed segments lower it.
 *
 * <p>mAP_a: AP per action class over all videos, averaged over the classes present in the ground
 * truth (a detected class with no ground truth is ignored, as DET does). mAP_v: per video, AP of
 * all its detections (any class; a detection matches only ground truth of its own class) against
 * all its ground truths, averaged over the videos that have ground truth.
 */
public final class DetectionMetric {

    private DetectionMetric() {
    }

    /** A ground-truth action instance: class {@code label} (0-based) on frames [start, end) of {@code video}. */
    public record Truth(String video, int label, int start, int end) {
        public Truth {
            checkRange(start, end);
        }
    }

    /** A detected segment with its confidence. */
    public record Detection(String video, int label, int start, int end, double confidence) {
        public Detection {
            checkRange(start, end);
        }
    }

    /** mAP_a and mAP_v at one IoU threshold, with the per-class APs behind mAP_a. */
    public record Scores(double iou, double mapAction, double mapVideo, Map<Integer, Double> apPerClass) {
    }

    private static void checkRange(int start, int end) {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("segment [" + start + ", " + end + ") is empty or negative");
        }
    }

    /** IoU of [s1, e1) and [s2, e2) in frames. */
    public static double iou(int s1, int e1, int s2, int e2) {
        int inter = Math.min(e1, e2) - Math.max(s1, s2);
        if (inter <= 0) {
            return 0;
        }
        return (double) inter / ((e1 - s1) + (e2 - s2) - inter);
    }

    /** Both mAPs at one threshold. */
    public static Scores score(List<Detection> detections, List<Truth> truths, double iouThreshold) {
        Map<Integer, Double> perClass = new TreeMap<>();
        for (int c : new TreeSet<>(truths.stream().map(Truth::label).toList())) {
            perClass.put(c, averagePrecision(detections.stream().filter(d -> d.label() == c).toList(),
                    truths.stream().filter(t -> t.label() == c).toList(), iouThreshold));
        }
        Map<String, List<Truth>> truthByVideo = new LinkedHashMap<>();
        truths.forEach(t -> truthByVideo.computeIfAbsent(t.video(), k -> new ArrayList<>()).add(t));
        List<Double> perVideo = new ArrayList<>();
        for (Map.Entry<String, List<Truth>> e : truthByVideo.entrySet()) {
            perVideo.add(averagePrecision(detections.stream().filter(d -> d.video().equals(e.getKey())).toList(),
                    e.getValue(), iouThreshold));
        }
        return new Scores(iouThreshold, mean(perClass.values()), mean(perVideo), perClass);
    }

    private static double mean(java.util.Collection<Double> values) {
        return values.isEmpty() ? Double.NaN : values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    /** AP of {@code detections} against {@code truths} (see the class comment); 0 when there is no ground truth. */
    public static double averagePrecision(List<Detection> detections, List<Truth> truths, double iouThreshold) {
        if (truths.isEmpty()) {
            return 0;
        }
        List<Detection> ranked = new ArrayList<>(detections);
        ranked.sort(Comparator.comparingDouble(Detection::confidence).reversed());
        Map<String, List<Integer>> byKey = new HashMap<>();
        for (int j = 0; j < truths.size(); j++) {
            byKey.computeIfAbsent(key(truths.get(j).video(), truths.get(j).label()), k -> new ArrayList<>()).add(j);
        }
        boolean[] matched = new boolean[truths.size()];
        boolean[] tp = new boolean[ranked.size()];
        for (int i = 0; i < ranked.size(); i++) {
            Detection d = ranked.get(i);
            int best = -1;
            double bestIou = 0;
            for (int j : byKey.getOrDefault(key(d.video(), d.label()), List.of())) {
                Truth t = truths.get(j);
                double o = iou(d.start(), d.end(), t.start(), t.end());
                if (o > bestIou) {
                    bestIou = o;
                    best = j;
                }
            }
            if (best >= 0 && bestIou >= iouThreshold && !matched[best]) {
                matched[best] = true;
                tp[i] = true;
            }
        }
        return vocAp(tp, truths.size());
    }

    private static String key(String video, int label) {
        return video + '\u0000' + label;
    }

    /** VOC all-point AP of ranked hits {@code tp} with {@code positives} ground truths. */
    static double vocAp(boolean[] tp, int positives) {
        int n = tp.length;
        double[] precision = new double[n];
        double[] recall = new double[n];
        int hits = 0;
        for (int i = 0; i < n; i++) {
            hits += tp[i] ? 1 : 0;
            precision[i] = (double) hits / (i + 1);
            recall[i] = (double) hits / positives;
        }
        for (int i = n - 2; i >= 0; i--) {
            precision[i] = Math.max(precision[i], precision[i + 1]);
        }
        double ap = 0;
        double previousRecall = 0;
        for (int i = 0; i < n; i++) {
            if (recall[i] != previousRecall) {
                ap += (recall[i] - previousRecall) * precision[i];
                previousRecall = recall[i];
            }
        }
        return ap;
    }
}
