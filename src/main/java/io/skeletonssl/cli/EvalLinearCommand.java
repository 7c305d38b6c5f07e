package io.skeletonssl.cli;

import io.skeletonssl.eval.LinearProbe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code eval linear --checkpoint RUN|random --data DATASET --out DIR}: the linear-probe protocol. */
@Command(name = "linear", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Linear probing: frozen encoder, BatchNorm (no affine) + linear head trained with SGD and cosine lr.",
                "Writes config.yaml, metrics.csv (per epoch) and metrics.json (final_top1 = last epoch, the headline;",
                "best_top1 = maximum over epochs, selected on the test set) to --out."})
final class EvalLinearCommand implements Callable<Integer> {

    @Option(names = "--checkpoint", required = true,
            description = "A pretraining run folder (newest checkpoint), a checkpoint-E folder, or 'random'.")
    String checkpoint;

    @Option(names = "--data", required = true, description = "Prepared dataset folder with train and test splits.")
    Path data;

    @Option(names = {"-o", "--out"}, required = true, description = "Output folder (must not exist unless --force).")
    Path out;

    @Option(names = "--preset", description = "Model preset for 'random'; with a run, its linear_probe section is used.")
    String preset;

    @Option(names = "--epochs", description = "Override linear_probe.epochs.")
    Integer epochs;

    @Option(names = "--set", description = "Override one value, e.g. --set linear_probe.feature_views=4 (repeatable).")
    List<String> sets = new ArrayList<>();

    @Option(names = {"-j", "--threads"}, description = "Data loader threads (default: all cores).")
    Integer threads;

    @Option(names = "--seed", description = "Probe seed: head init, batch order, augmentation (linear_probe.seed).")
    Long seed;

    @Option(names = "--train-split", defaultValue = "train", description = "Training split (default ${DEFAULT-VALUE}).")
    String trainSplit;

    @Option(names = "--test-split", defaultValue = "test", description = "Test split (default ${DEFAULT-VALUE}).")
    String testSplit;

    @Option(names = "--force", description = "Replace an existing --out folder.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        new LinearProbe(System.out).run(new LinearProbe.Options(checkpoint, preset, sets, data, out, epochs, seed,
                threads == null ? 0 : threads, trainSplit, testSplit, force));
        return 0;
    }
}
