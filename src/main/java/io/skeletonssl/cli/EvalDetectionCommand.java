package io.skeletonssl.cli;

import io.skeletonssl.eval.detection.ActionDetection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code eval detection --checkpoint RUN|random --data DATASET --out DIR}: frame-level action detection. */
@Command(name = "detection", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Action detection on untrimmed streams (PKU-MMD I protocol of DET): frozen encoder, per-frame",
                "features of a window around each frame, a linear per-frame classifier (background = class 0)",
                "trained with SGD, smoothing and thresholding into segments; mAP_a (per action) and mAP_v (per video)",
                "at the IoUs of the config's detection section. Needs stream splits (prepare --mode streams|both,",
                "synth --streams N); --train-split train means train_streams where both exist. Writes config.yaml,",
                "metrics.csv (per epoch), metrics.json (final_* = last epoch, the headline) and detections.csv."})
final class EvalDetectionCommand implements Callable<Integer>, GuardedOutput {

    @Mixin
    EvalTargetOptions target;

    @Option(names = "--epochs", description = "Override detection.epochs.")
    Integer epochs;

    @Option(names = "--seed", description = "Classifier seed: init, window draws, batch order (detection.seed).")
    Long seed;

    @Option(names = "--test-stride", description = {"Encode every k-th test frame (and the last) and interpolate the",
            "probabilities linearly in between (detection.test_stride; 1 = every frame, the protocol)."})
    Integer testStride;

    @Option(names = "--val-fraction", defaultValue = "0", description = {"Hold out this seeded fraction of the usable",
            "training streams (at least one) for model selection: scored every epoch, the best validation mAP_a",
            "picks val_selected_epoch (default 0: none)."})
    double valFraction;

    @Override
    public Integer call() throws Exception {
        new ActionDetection(System.out).run(new ActionDetection.Options(target.checkpoint, target.preset, target.sets,
                target.data, target.out, epochs, seed, testStride, target.trainSplit, target.testSplit,
                target.force, valFraction));
        return 0;
    }
}
