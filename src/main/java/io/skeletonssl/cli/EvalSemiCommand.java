package io.skeletonssl.cli;

import io.skeletonssl.eval.finetune.SemiSupervised;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code eval semi --ratio R --repeats N}: fine-tuning on labelled fractions of the training split. */
@Command(name = "semi", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Semi-supervised evaluation: fine-tuning (the finetune recipe) on a labelled fraction of the",
                "training split, tested on the whole test split; each repeat draws its own subset from its own seed.",
                "Writes repeat-R/ folders, repeats.csv and metrics.json (mean and sample std over repeats) to --out."})
final class EvalSemiCommand implements Callable<Integer>, GuardedOutput {

    @Mixin
    EvalTargetOptions target;

    @Option(names = "--ratio", required = true, description = "Labelled fraction of the training split, e.g. 0.01 or 0.1.")
    double ratio;

    @Option(names = "--repeats", defaultValue = "" + SemiSupervised.DEFAULT_REPEATS,
            description = "Repeats, each with its own subset (default ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--stratified", description = "Draw per class, at least one labelled clip per class.")
    boolean stratified;

    @Option(names = "--from-scratch", description = "Random weights and no layer-wise decay (the 'w/o pre-training' baseline).")
    boolean fromScratch;

    @Option(names = "--val-fraction", defaultValue = "0", description = {"Hold out this stratified fraction of every"
            + " repeat's labelled subset", "for model selection (val_selected_* in metrics.json; default 0: none)."})
    double valFraction;

    @Option(names = "--epochs", description = "Override finetune.epochs.")
    Integer epochs;

    @Option(names = "--seed", description = "Base seed (finetune.seed); repeat r uses seed * 1000003 + r.")
    Long seed;

    @Override
    public Integer call() throws Exception {
        new SemiSupervised(System.out).run(new SemiSupervised.Options(
                EvalFinetuneCommand.options(target, fromScratch, valFraction, epochs, seed), ratio, repeats, stratified));
        return 0;
    }
}
