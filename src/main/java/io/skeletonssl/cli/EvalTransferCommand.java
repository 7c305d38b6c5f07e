package io.skeletonssl.cli;

import io.skeletonssl.eval.finetune.Transfer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code eval transfer --checkpoint RUN --data TARGET}: fine-tuning on another dataset. */
@Command(name = "transfer", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Transfer: an encoder pretrained on one dataset fine-tuned (finetune recipe, new head for the",
                "target's classes) and tested on another with the same skeleton layout. metrics.json records the",
                "source (the run's data.path) and the target dataset."})
final class EvalTransferCommand implements Callable<Integer>, GuardedOutput {

    @Mixin
    EvalTargetOptions target;

    @Option(names = "--val-fraction", defaultValue = "0",
            description = "Hold out this stratified, seeded fraction of the training split for epoch selection (default 0).")
    double valFraction;

    @Option(names = "--epochs", description = "Override finetune.epochs.")
    Integer epochs;

    @Option(names = "--seed", description = "Override finetune.seed.")
    Long seed;

    @Override
    public Integer call() throws Exception {
        new Transfer(System.out).run(EvalFinetuneCommand.options(target, false, valFraction, epochs, seed));
        return 0;
    }
}
