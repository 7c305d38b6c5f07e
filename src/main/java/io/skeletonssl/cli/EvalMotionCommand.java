package io.skeletonssl.cli;

import io.skeletonssl.eval.motion.MotionPrediction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code eval motion-prediction --checkpoint RUN|random --data DATASET --out DIR}: PCM3 Table 6's protocol. */
@Command(name = "motion-prediction", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Motion prediction (PCM3 Table 6, after Martinez et al. 2017): observe 50 frames of one person,",
                "predict the next 10 with a GRU decoder (residual velocity, autoregressive, fed its own predictions in",
                "training too) that starts from the frozen encoder's feature of the observed frames. Loss: mean squared",
                "error of positions; SGD with gradient-norm clipping; settings in the motion_prediction section.",
                "Clips with an active second person or fewer than 60 valid frames are skipped and counted.",
                "Writes config.yaml, metrics.csv (per epoch), metrics.json (final_mpjpe_mm = last epoch, the headline,",
                "in millimetres, with frames 2/4/8/10 and the zero-velocity baseline) and per_frame_mpjpe.csv to --out."})
final class EvalMotionCommand implements Callable<Integer>, GuardedOutput {

    @Mixin
    EvalTargetOptions target;

    @Option(names = "--finetune", description = "Train the encoder too (at motion_prediction.encoder_lr).")
    boolean finetune;

    @Option(names = "--epochs", description = "Override motion_prediction.epochs.")
    Integer epochs;

    @Option(names = "--seed", description = "Decoder init, batch order and window draws (motion_prediction.seed).")
    Long seed;

    @Option(names = "--units", description = {"Coordinate unit of the dataset (metres, centimetres, millimetres)",
            "when its manifest does not say it; errors are reported in millimetres."})
    String units;

    @Option(names = "--val-fraction", defaultValue = "0", description = {"Hold out this seeded fraction of the usable",
            "training clips (at least one) with fixed windows for model selection: the lowest validation MPJPE",
            "picks val_selected_epoch (default 0: none)."})
    double valFraction;

    @Override
    public Integer call() throws Exception {
        new MotionPrediction(System.out).run(new MotionPrediction.Options(target.checkpoint, target.preset,
                target.sets, target.data, target.out, epochs, seed, target.trainSplit, target.testSplit,
                target.force, finetune, units, valFraction));
        return 0;
    }
}
