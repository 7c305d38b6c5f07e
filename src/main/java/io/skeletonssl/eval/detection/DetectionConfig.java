package io.skeletonssl.eval.detection;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.training.ConfigTree;
import io.skeletonssl.training.StepDecay;

import java.io.IOException;
import java.util.List;

/**
 * The {@code detection} section of a configuration: the PKU-MMD detection protocol of spec §3.13
 * (DET), adapted to a frozen whole-clip encoder.
 *
 * @param window           sampled frames per window around a frame; 0 = the encoder's frame count
 * @param stride           raw stream frames between two sampled frames at test time
 * @param trainStrides     training windows draw their stride uniformly from these (DET: 3, 4, 5)
 * @param windowsPerStream training windows drawn per stream and epoch (DET: 16)
 * @param epochs           classifier epochs (DET: 60)
 * @param batchSize        windows per SGD step (DET: 64); a short last batch is kept
 * @param lr               initial learning rate (DET: 0.01), × gamma from each milestone epoch on
 * @param momentum         SGD momentum (DET: 0.9, Nesterov; here plain momentum)
 * @param weightDecay      SGD weight decay (DET: 0)
 * @param milestones       epochs where the learning rate drops (DET: 40)
 * @param gamma            the drop factor (DET: 0.1)
 * @param smoothing        mean-filter length over per-frame probabilities (DET: 10)
 * @param threshold        a frame belongs to an action where 1 − p(background) ≥ this (DET: 0.4)
 * @param testStride       encode every k-th test frame and interpolate the probabilities in between
 *                         (1 = every frame, the protocol)
 * @param iou              IoU thresholds of the reported mAPs (DET: 0.1, 0.3, 0.5)
 * @param head             {@code linear}: DET's plain Linear(dim, C + 1); {@code batchnorm-linear}:
 *                         BatchNorm1d(affine=False, eps 1e-6) before it, like MAMP's linear-probe head
 *                         (spec §2.9), which makes the head's learning rate independent of the feature scale
 * @param seed             classifier init, window draws and batch order
 */
public record DetectionConfig(int window, int stride, List<Integer> trainStrides, int windowsPerStream, int epochs,
                              int batchSize, double lr, double momentum, double weightDecay, List<Integer> milestones,
                              double gamma, int smoothing, double threshold, int testStride, List<Double> iou,
                              String head, long seed) {

    /** Heads: DET's and MAMP's linear-probe head. */
    public static final List<String> HEADS = List.of("linear", "batchnorm-linear");
    private static final double BN_EPS = 1e-6;

    public DetectionConfig {
        trainStrides = List.copyOf(trainStrides);
        milestones = List.copyOf(milestones);
        iou = List.copyOf(iou);
        require(window >= 0, "window must be >= 0 (0 = the encoder's frames), got " + window);
        require(stride >= 1, "stride must be >= 1, got " + stride);
        require(!trainStrides.isEmpty() && trainStrides.stream().allMatch(s -> s >= 1),
                "train_strides must be a non-empty list of strides >= 1, got " + trainStrides);
        require(windowsPerStream >= 1 && epochs >= 1 && batchSize >= 1,
                "windows_per_stream, epochs and batch_size must be >= 1");
        require(smoothing >= 1, "smoothing must be >= 1 (1 = none), got " + smoothing);
        require(threshold > 0 && threshold <= 1, "threshold must be in (0, 1], got " + threshold);
        require(testStride >= 1, "test_stride must be >= 1, got " + testStride);
        require(HEADS.contains(head), "head must be one of " + HEADS + ", got '" + head + "'");
        require(!iou.isEmpty() && iou.stream().allMatch(v -> v > 0 && v <= 1), "iou must list values in (0, 1]");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("detection." + message);
        }
    }

    /** The section of a resolved tree; a run saved before the section existed gets its method's small preset's. */
    public static DetectionConfig of(ObjectNode tree) throws IOException {
        if (!tree.path("detection").isObject()) {
            String method = tree.path("method").asText("mamp");
            tree.set("detection", ConfigTree.preset(method + "-small").path("detection").deepCopy());
        }
        return ConfigTree.bind(tree.get("detection"), DetectionConfig.class, "detection");
    }

    /** Sampled frames per window for an encoder of {@code encoderFrames}. */
    public int windowFor(int encoderFrames) {
        return window == 0 ? encoderFrames : window;
    }

    /** The eps of the head's BatchNorm, NaN for a plain Linear head (as {@code ProbeHead} takes it). */
    public double batchNormEps() {
        return head.equals("linear") ? Double.NaN : BN_EPS;
    }

    public StepDecay schedule() {
        return new StepDecay(lr, milestones.stream().mapToInt(Integer::intValue).toArray(), gamma);
    }
}
