package io.skeletonssl.cli;

import io.skeletonssl.eval.KnnEval;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code eval knn --checkpoint RUN|random|raw --data DATASET --out DIR}: the KNN-retrieval protocol. */
@Command(name = "knn", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"KNN retrieval: frozen encoder, test-time crop for train (gallery) and test (queries) clips,",
                "L2-normalised features, nearest neighbour by cosine similarity (ties: lowest train index).",
                "--checkpoint raw --preset P: retrieval by the raw coordinates (P's retrieval crop,",
                "resampled to raw.frames, flattened).",
                "Writes config.yaml and metrics.json (top1 = 1-NN accuracy, the headline; knn_top1 for --k) to --out."})
final class EvalKnnCommand implements Callable<Integer>, GuardedOutput {

    @Mixin
    EvalTargetOptions target;

    @Option(names = "--k", defaultValue = "1",
            description = "Neighbours for the extra k-NN vote (ties to the nearest); default ${DEFAULT-VALUE}.")
    int k;

    @Override
    public Integer call() throws Exception {
        new KnnEval(System.out).run(new KnnEval.Options(target.checkpoint, target.preset, target.sets, target.data,
                target.out, k, target.threadsOrAll(), target.trainSplit, target.testSplit, target.force));
        return 0;
    }
}
