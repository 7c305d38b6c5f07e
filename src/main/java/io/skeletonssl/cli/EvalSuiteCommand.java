package io.skeletonssl.cli;

import io.skeletonssl.eval.suite.EvalSuite;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code eval suite --checkpoint RUN --data DATASET -o DIR}: every protocol that applies, and a report. */
@Command(name = "suite", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs every evaluation protocol that applies to a pretraining run and a dataset, each into its",
                "own subfolder of --out, with random-init / from-scratch / raw-coordinate baselines, and writes",
                "REPORT.md (a table like the papers': final-epoch headlines, test-selected figures labelled) and",
                "report.json.",
                "A failing protocol is reported and the suite goes on; repeating the command resumes a killed suite."})
final class EvalSuiteCommand implements Callable<Integer>, GuardedOutput {

    @Option(names = "--checkpoint", required = true, description = "A pretraining run folder or a checkpoint-E folder.")
    String checkpoint;

    @Option(names = "--data", required = true, description = "Prepared dataset with train and test clip splits "
            + "(and stream splits for detection).")
    Path data;

    @Option(names = {"-o", "--out"}, required = true, description = "Output folder (a new one, or an earlier suite's "
            + "folder with the same options to resume it).")
    Path out;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of every protocol (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--transfer-data", description = "A second dataset (same layout) for the transfer row.")
    Path transferData;

    @Option(names = "--detection-data", description = "A dataset with untrimmed stream splits (same layout) for the "
            + "detection rows, when --data has none (e.g. from synth --streams N).")
    Path detectionData;

    @Option(names = "--ensemble-run", description = "Runs of the other input streams (bone, motion) to fuse with "
            + "--checkpoint in the ensemble row (repeatable).")
    List<String> ensembleRuns = new ArrayList<>();

    @Option(names = "--no-baselines", negatable = false,
            description = "Skip the random-init, from-scratch and raw-coordinate rows.")
    boolean noBaselines;

    @Option(names = "--no-stratified-semi", negatable = false,
            description = "Draw the semi-supervised subsets without stratification (default: stratified, so that "
                    + "every class has a labelled clip even at 1%).")
    boolean unstratifiedSemi;

    @Option(names = "--only", split = ",", description = "Run only these protocols (ids as in report.json).")
    List<String> only = new ArrayList<>();

    @Option(names = "--set", description = "Override one value for every protocol, e.g. --set finetune.epochs=5.")
    List<String> sets = new ArrayList<>();

    @Option(names = "--val-fraction", defaultValue = "0", description = {"Hold out this fraction of the training "
            + "data in every protocol with epochs,", "to report the test figures at the val-selected epoch next to the "
            + "final-epoch headline (default 0: none)."})
    double valFraction;

    @Option(names = "--train-split", defaultValue = "train", description = "Training split (default ${DEFAULT-VALUE}).")
    String trainSplit;

    @Option(names = "--test-split", defaultValue = "test", description = "Test split (default ${DEFAULT-VALUE}).")
    String testSplit;

    @Option(names = {"-j", "--threads"}, defaultValue = "0", description = "Data loader threads (default: all cores).")
    int threads;

    @Override
    public Integer call() throws Exception {
        new EvalSuite(System.out).run(new EvalSuite.Options(checkpoint, data, out, seed, threads, trainSplit, testSplit,
                transferData, detectionData, ensembleRuns, !noBaselines, !unstratifiedSemi, only, sets, valFraction));
        return 0;
    }
}
