package io.skeletonssl.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What every {@code eval} protocol reads and writes: the encoder, the dataset and its splits, the output folder. */
final class EvalTargetOptions {

    @Option(names = "--checkpoint", required = true, description = {"A pretraining run folder (newest checkpoint), a "
            + "checkpoint-E folder, 'random' (--preset's initial weights) or 'raw': no encoder, the feature is the clip "
            + "itself after the preset's transforms, resampled to raw.frames frames (--set raw.frames=N; default "
            + "the preset's data.frames) and flattened (3 x T x V x M): the baseline a pretrained encoder must beat "
            + "(frozen-encoder protocols; its linear head always standardises with BatchNorm (no affine))."})
    String checkpoint;

    @Option(names = "--data", required = true, description = "Prepared dataset folder with train and test splits.")
    Path data;

    @Option(names = {"-o", "--out"}, required = true, description = "Output folder (must not exist unless --force).")
    Path out;

    @Option(names = "--preset", description = {"Model preset for 'random'. With a run, the run's configuration is used",
            "and the preset (of the same method) only replaces its evaluation sections (linear_probe, knn,",
            "finetune, detection, motion_prediction); a .yaml file (e.g. a run's config.yaml) also serves as a preset."})
    String preset;

    @Option(names = "--set", description = "Override one value, e.g. --set linear_probe.feature_views=4 (repeatable).")
    List<String> sets = new ArrayList<>();

    @Option(names = {"-j", "--threads"}, description = "Data loader threads (default: all cores).")
    Integer threads;

    @Option(names = "--train-split", defaultValue = "train",
            description = "Training split (the gallery for knn; default ${DEFAULT-VALUE}).")
    String trainSplit;

    @Option(names = "--test-split", defaultValue = "test",
            description = "Test split (the queries for knn; default ${DEFAULT-VALUE}).")
    String testSplit;

    @Option(names = "--force", description = "Replace an existing --out folder.")
    boolean force;

    int threadsOrAll() {
        return threads == null ? 0 : threads;
    }
}
