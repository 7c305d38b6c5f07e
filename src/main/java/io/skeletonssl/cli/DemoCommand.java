package io.skeletonssl.cli;

import io.skeletonssl.demo.MampDemo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code demo}: the main job on the built-in data, end to end. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The main job on the built-in synthetic data: generate it, pretrain mamp-small, then linear-probe",
                "the pretrained and a random-init encoder and compare (final-epoch test top-1).",
                "Writes DIR/metrics.json, DIR/pretrain-loss.png and the data, run and probe folders under DIR.",
                "About 10 minutes on 2 cores; --quick is a sub-minute smoke version."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = {"-o", "--out"}, defaultValue = "runs/demo",
            description = "Output folder (default ${DEFAULT-VALUE}); an earlier demo output there is replaced.")
    Path out;

    @Option(names = "--quick", description = "Tiny data and one epoch: checks that everything runs, in under a minute.")
    boolean quick;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the data, the initialisation and the probes "
            + "(default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-j", "--threads"}, description = "Data threads (default: all cores).")
    Integer threads;

    @Option(names = "--set", description = "Override a value of the mamp-small preset, including its demo section, "
            + "e.g. --set demo.pretrain_epochs=20 (repeatable).")
    List<String> sets = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        new MampDemo(System.out).run(new MampDemo.Options(out, quick, seed, n, sets));
        return 0;
    }
}
