package io.skeletonssl.cli;

import io.skeletonssl.eval.KnnEval;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code eval knn --checkpoint RUN|random --data DATASET --out DIR}: the KNN-retrieval protocol. */
@Command(name = "knn", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"KNN retrieval: frozen encoder, test-time crop for train (gallery) and test (queries) clips,",
                "L2-normalised features, nearest neighbour by cosine similarity (ties: lowest train index).",
                "Writes config.yaml and metrics.json (top1 = 1-NN accuracy, the headline; knn_top1 for --k) to --out."})
final class EvalKnnCommand implements Callable<Integer> {

    @Option(names = "--checkpoint", required = true,
            description = "A pretraining run folder (newest checkpoint), a checkpoint-E folder, or 'random'.")
    String checkpoint;

    @Option(names = "--data", required = true, description = "Prepared dataset folder with train and test splits.")
    Path data;

    @Option(names = {"-o", "--out"}, required = true, description = "Output folder (must not exist unless --force).")
    Path out;

    @Option(names = "--preset", description = "Model preset for 'random'.")
    String preset;

    @Option(names = "--k", defaultValue = "1",
            description = "Neighbours for the extra k-NN vote (ties to the nearest); default ${DEFAULT-VALUE}.")
    int k;

    @Option(names = "--set", description = "Override one config value (repeatable).")
    List<String> sets = new ArrayList<>();

    @Option(names = {"-j", "--threads"}, description = "Data loader threads (default: all cores).")
    Integer threads;

    @Option(names = "--train-split", defaultValue = "train", description = "Gallery split (default ${DEFAULT-VALUE}).")
    String trainSplit;

    @Option(names = "--test-split", defaultValue = "test", description = "Query split (default ${DEFAULT-VALUE}).")
    String testSplit;

    @Option(names = "--force", description = "Replace an existing --out folder.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        new KnnEval(System.out).run(new KnnEval.Options(checkpoint, preset, sets, data, out, k,
                threads == null ? 0 : threads, trainSplit, testSplit, force));
        return 0;
    }
}
