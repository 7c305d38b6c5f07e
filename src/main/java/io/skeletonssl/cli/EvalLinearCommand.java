package io.skeletonssl.cli;

import io.skeletonssl.eval.LinearProbe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code eval linear --checkpoint RUN|random|raw --data DATASET --out DIR}: the linear-probe protocol. */
@Command(name = "linear", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Linear probing: frozen encoder, head trained with SGD on its features (MAMP: BatchNorm (no affine)",
                "+ linear, cosine lr; PCM3: linear, step-decay lr), the recipe from the config's linear_probe section.",
                "--checkpoint raw --preset P: the raw-coordinate baseline (P's transforms, resampled",
                "to raw.frames, flattened) with P's recipe and a BatchNorm (no affine) + linear head,",
                "as raw coordinates need standardising.",
                "Writes config.yaml, metrics.csv (per epoch) and metrics.json (final_top1 = last epoch, the headline;",
                "best_top1 = maximum over epochs, selected on the test set) and the final epoch's test scores",
                "(test_scores.npy, test_labels.npy, test_names.txt, for eval ensemble) to --out."})
final class EvalLinearCommand implements Callable<Integer>, GuardedOutput {

    @Mixin
    EvalTargetOptions target;

    @Mixin
    ProbeOptions probe;

    @Override
    public Integer call() throws Exception {
        new LinearProbe(System.out).run(new LinearProbe.Options(target.checkpoint, target.preset, target.sets,
                target.data, target.out, probe.epochs, probe.seed, target.threadsOrAll(), target.trainSplit, target.testSplit,
                target.force, probe.valFraction));
        return 0;
    }
}
