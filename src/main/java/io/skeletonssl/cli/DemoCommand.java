package io.skeletonssl.cli;

import io.skeletonssl.demo.Demo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code demo}: the main job on the built-in data, end to end. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The main job on the built-in synthetic data: generate it, pretrain mamp-small (or pcm3-small),",
                "then evaluate the pretrained and a random-init encoder by the linear probe (final-epoch test top-1,",
                "the headline) and 1-NN retrieval, and compare.",
                "Writes DIR/metrics.json, DIR/pretrain-loss.png and the data, run and probe folders under DIR.",
                "About 6 minutes on 2 cores; --quick is a sub-minute smoke version."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--method", defaultValue = "mamp", description = "mamp (default) or pcm3.")
    String method;

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

    @Option(names = "--set", description = "Override a value of the method's small preset, including its demo section, "
            + "e.g. --set demo.pretrain_epochs=20 (repeatable).")
    List<String> sets = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        new Demo(System.out).run(new Demo.Options(Demo.Method.parse(method), out, quick, seed, n, sets));
        return 0;
    }
}
