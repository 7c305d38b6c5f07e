package io.skeletonssl.cli;

import picocli.CommandLine.Option;

/** The linear-probe overrides shared by {@code eval linear}, {@code eval occlusion} and {@code eval ensemble}. */
final class ProbeOptions {

    @Option(names = "--epochs", description = "Override linear_probe.epochs.")
    Integer epochs;

    @Option(names = "--seed", description = "Probe seed: head init, batch order, augmentation (linear_probe.seed).")
    Long seed;

    @Option(names = "--val-fraction", defaultValue = "0", description = {"Hold out this stratified, seeded fraction of the",
            "training split, used only to select an epoch: val_selected_test_top1 is reported next to the",
            "final-epoch headline; 0 (default): none."})
    double valFraction;
}
