package io.skeletonssl.eval.detection;

import io.skeletonssl.eval.detection.DetectionMetric.Detection;
import io.skeletonssl.eval.detection.DetectionMetric.Scores;
import io.skeletonssl.eval.detection.DetectionMetric.Truth;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The detection mAP against hand-computed segment cases. */
class DetectionMetricTest {

    private static final double EPS = 1e-12;

    @Test
    void iouOfHalfOpenFrameRanges() {
        assertThat(DetectionMetric.iou(0, 10, 5, 15)).isCloseTo(5.0 / 15, within(EPS));
        assertThat(DetectionMetric.iou(0, 10, 0, 10)).isEqualTo(1.0);
        assertThat(DetectionMetric.iou(0, 10, 10, 20)).isEqualTo(0.0); // touching, no common frame
        assertThat(DetectionMetric.iou(0, 100, 20, 30)).isCloseTo(0.1, within(EPS));
    }

    @Test
    void perfectDetectionScoresOne() {
        List<Truth> gt = List.of(new Truth("a", 0, 10, 50), new Truth("a", 1, 60, 90), new Truth("b", 0, 0, 30));
        List<Detection> det = List.of(new Detection("a", 0, 10, 50, 0.9), new Detection("a", 1, 60, 90, 0.2),
                new Detection("b", 0, 0, 30, 0.5));
        Scores s = DetectionMetric.score(det, gt, 0.5);
        assertThat(s.mapAction()).isEqualTo(1.0);
        assertThat(s.mapVideo()).isEqualTo(1.0);
        assertThat(s.apPerClass()).containsOnlyKeys(0, 1);
    }

    @Test
    void falsePositiveRankedAboveTruePositiveHalvesTheAp() {
        // ranks: FP (p 0, r 0), TP (p 1/2, r 1) -> envelope 1/2 over recall 0..1
        List<Truth> gt = List.of(new Truth("a", 0, 0, 20));
        List<Detection> det = List.of(new Detection("a", 0, 50, 70, 0.9), new Detection("a", 0, 0, 20, 0.8));
        assertThat(DetectionMetric.averagePrecision(det, gt, 0.5)).isCloseTo(0.5, within(EPS));
        // the same FP ranked below the TP does not cost anything once recall is complete
        List<Detection> after = List.of(new Detection("a", 0, 50, 70, 0.1), new Detection("a", 0, 0, 20, 0.8));
        assertThat(DetectionMetric.averagePrecision(after, gt, 0.5)).isEqualTo(1.0);
    }

    @Test
    void apUsesTheMonotonePrecisionEnvelope() {
        // TP, FP, TP with 2 ground truths: precision 1, 1/2, 2/3 at recall 1/2, 1/2, 1;
        // envelope 1 on (0, 1/2], 2/3 on (1/2, 1] -> 1/2 + 1/3
        List<Truth> gt = List.of(new Truth("a", 0, 0, 20), new Truth("a", 0, 100, 120));
        List<Detection> det = List.of(new Detection("a", 0, 0, 20, 0.9), new Detection("a", 0, 40, 60, 0.8),
                new Detection("a", 0, 100, 120, 0.7));
        assertThat(DetectionMetric.averagePrecision(det, gt, 0.5)).isCloseTo(0.5 + 1.0 / 3, within(EPS));
    }

    @Test
    void iouThresholdDecidesTruePositives() {
        List<Truth> gt = List.of(new Truth("a", 0, 0, 100));
        List<Detection> det = List.of(new Detection("a", 0, 0, 40, 0.9)); // IoU 0.4
        assertThat(DetectionMetric.score(det, gt, 0.1).mapAction()).isEqualTo(1.0);
        assertThat(DetectionMetric.score(det, gt, 0.3).mapAction()).isEqualTo(1.0);
        assertThat(DetectionMetric.score(det, gt, 0.4).mapAction()).isEqualTo(1.0); // >= threshold
        assertThat(DetectionMetric.score(det, gt, 0.5).mapAction()).isEqualTo(0.0);
    }

    @Test
    void aDuplicateOfAMatchedSegmentIsAFalsePositive() {
        // gt1 found twice (0.9, 0.8), gt2 at 0.7: TP, FP, TP -> 1/2 + 1/3 as above
        List<Truth> gt = List.of(new Truth("a", 0, 0, 20), new Truth("a", 0, 100, 120));
        List<Detection> det = List.of(new Detection("a", 0, 0, 20, 0.9), new Detection("a", 0, 2, 20, 0.8),
                new Detection("a", 0, 100, 120, 0.7));
        assertThat(DetectionMetric.averagePrecision(det, gt, 0.5)).isCloseTo(0.5 + 1.0 / 3, within(EPS));
    }

    @Test
    void wrongClassOrVideoNeverMatches() {
        List<Truth> gt = List.of(new Truth("a", 0, 0, 20));
        assertThat(DetectionMetric.averagePrecision(List.of(new Detection("b", 0, 0, 20, 0.9)), gt, 0.1)).isZero();
        Scores s = DetectionMetric.score(List.of(new Detection("a", 1, 0, 20, 0.9)), gt, 0.1);
        assertThat(s.mapAction()).isZero(); // class 1 has no ground truth: ignored in mAP_a, FP in mAP_v
        assertThat(s.apPerClass()).containsOnlyKeys(0);
        assertThat(s.mapVideo()).isZero();
    }

    @Test
    void perVideoAndPerActionMapsDiffer() {
        // video a: one TP (0.9); video b: only a FP (0.95) and a missed ground truth.
        // mAP_v = (1 + 0) / 2. mAP_a (one class, 2 ground truths): FP (p 0, r 0), TP (p 1/2, r 1/2) -> 1/4.
        List<Truth> gt = List.of(new Truth("a", 0, 0, 20), new Truth("b", 0, 0, 20));
        List<Detection> det = List.of(new Detection("a", 0, 0, 20, 0.9), new Detection("b", 0, 50, 70, 0.95));
        Scores s = DetectionMetric.score(det, gt, 0.5);
        assertThat(s.mapVideo()).isCloseTo(0.5, within(EPS));
        assertThat(s.mapAction()).isCloseTo(0.25, within(EPS));
    }

    @Test
    void missedGroundTruthLowersRecall() {
        List<Truth> gt = List.of(new Truth("a", 0, 0, 20), new Truth("a", 0, 100, 120), new Truth("a", 0, 200, 220));
        List<Detection> det = List.of(new Detection("a", 0, 0, 20, 0.9));
        assertThat(DetectionMetric.averagePrecision(det, gt, 0.5)).isCloseTo(1.0 / 3, within(EPS));
        assertThat(DetectionMetric.averagePrecision(List.of(), gt, 0.5)).isZero();
    }
}
