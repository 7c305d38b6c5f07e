package io.skeletonssl.cli;

import io.skeletonssl.eval.Ensemble;
import io.skeletonssl.eval.ScoreFusion;
import io.skeletonssl.eval.ScoringProtocol;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code eval ensemble}: score-level fusion of runs on different input streams. */
@Command(name = "ensemble", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Score-level fusion of classifiers on different input streams (joint, bone, motion).",
                "Either --scores DIR (repeated): eval output folders holding test_scores.npy, test_labels.npy and",
                "test_names.txt of the same test clips; or --checkpoint RUN (repeated) with --data: runs --protocol on",
                "each into OUT/<stream>/ first. Writes config.yaml, metrics.json (per member and fused top-1/top-5),",
                "metrics.csv and the fused test scores to --out."})
final class EvalEnsembleCommand implements Callable<Integer>, GuardedOutput {

    @Option(names = "--scores", description = "An eval output folder with test scores (repeatable).")
    List<Path> scores = new ArrayList<>();

    @Option(names = "--checkpoint", description = "A pretraining run folder, checkpoint folder or 'random' (repeatable).")
    List<String> checkpoints = new ArrayList<>();

    @Option(names = "--protocol", defaultValue = "linear",
            description = "Protocol run on each --checkpoint: linear or finetune (default ${DEFAULT-VALUE}).")
    String protocol;

    @Option(names = "--weights", description = "One weight per member in order, e.g. 1,1,0.5 (default: all 1).")
    String weights;

    @Option(names = "--fuse", defaultValue = "logits", description = {"logits (default): add the weighted raw class",
            "scores, as the field's ensemble scripts do with their saved scores; softmax: add the weighted softmax",
            "probabilities, which puts members with differently scaled logits on one scale."})
    String fuse;

    @Option(names = {"-o", "--out"}, required = true, description = "Output folder (must not exist unless --force).")
    Path out;

    @Option(names = "--data", description = "Prepared dataset (with --checkpoint).")
    Path data;

    @Option(names = "--preset", description = "Model preset for 'random'; with runs it replaces their linear_probe section.")
    String preset;

    @Option(names = "--set", description = "Override one config value for every member run (repeatable).")
    List<String> sets = new ArrayList<>();

    @Option(names = {"-j", "--threads"}, description = "Data loader threads (default: all cores).")
    Integer threads;

    @Option(names = "--train-split", defaultValue = "train", description = "Training split (default ${DEFAULT-VALUE}).")
    String trainSplit;

    @Option(names = "--test-split", defaultValue = "test", description = "Test split (default ${DEFAULT-VALUE}).")
    String testSplit;

    @Option(names = "--force", description = "Replace an existing --out folder.")
    boolean force;

    @Mixin
    ProbeOptions probe;

    @Override
    public Integer call() throws Exception {
        ScoringProtocol.Shared shared = null;
        if (!checkpoints.isEmpty()) {
            if (data == null) {
                throw new IllegalArgumentException("--checkpoint members need --data (the dataset to evaluate on)");
            }
            shared = new ScoringProtocol.Shared(preset, sets, data, probe.epochs, probe.seed, threads == null ? 0 : threads,
                    trainSplit, testSplit, probe.valFraction);
        }
        new Ensemble(System.out).run(new Ensemble.Options(scores, checkpoints, protocol,
                weights == null ? null : ScoreFusion.parseWeights(weights), ScoreFusion.mode(fuse), out, force, shared));
        return 0;
    }
}
