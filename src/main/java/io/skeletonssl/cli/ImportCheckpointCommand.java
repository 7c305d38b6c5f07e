package io.skeletonssl.cli;

import io.skeletonssl.methods.mamp.MampCheckpointImporter;
import io.skeletonssl.models.mamp.MampConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code import-checkpoint --from mamp-official FILE.pth --out RUN}: a released checkpoint as a run folder. */
@Command(name = "import-checkpoint", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Import a PyTorch checkpoint (torch.save zip archive, read without Python) as a run folder",
                "that eval and embed read like a pretrain run: config.yaml, checkpoint-E (model parameters, no",
                "optimizer state), metrics.json and import-report.json (missing and unexpected keys).",
                "The pickle is untrusted: only tensors, storages, dicts, OrderedDicts, argparse Namespaces and",
                "plain values are accepted; anything else is refused without being executed.",
                "Without --preset the model sizes come from the checkpoint (shapes, saved args)."})
final class ImportCheckpointCommand implements Callable<Integer>, GuardedOutput {

    static final List<String> FORMATS = List.of(MampCheckpointImporter.SOURCE);

    @Option(names = "--from", required = true, description = "Checkpoint format; accepted: ${COMPLETION-CANDIDATES}.",
            completionCandidates = Formats.class)
    String from;

    @Parameters(index = "0", paramLabel = "FILE.pth", description = "The checkpoint file.")
    Path file;

    @Option(names = {"-o", "--out"}, required = true, description = "Run folder to create (must not exist).")
    Path out;

    @Option(names = "--preset", description = "State the model configuration explicitly (default: inferred).")
    String preset;

    @Option(names = "--config", description = "A YAML file whose values override the configuration.")
    Path config;

    @Option(names = "--set", description = "Override one value, e.g. --set model.heads=8 (repeatable).")
    List<String> sets = new ArrayList<>();

    @Option(names = "--strict", description = "Fail if any model parameter is missing or any key unexpected.")
    boolean strict;

    static final class Formats extends ArrayList<String> {
        Formats() {
            super(FORMATS);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (!FORMATS.contains(from)) {
            throw new IllegalArgumentException("unknown --from '" + from + "'; accepted: " + String.join(", ", FORMATS));
        }
        MampCheckpointImporter.Result r = new MampCheckpointImporter(System.out).run(
                new MampCheckpointImporter.Options(file, out, preset, config, sets, strict));
        MampConfig c = r.config();
        System.out.printf(Locale.ROOT, "imported %d parameter tensors (epoch %s; model dim %d, depth %d, heads %d, "
                        + "decoder %d x %d, frames %d, segment %d, joints %d); %d missing, %d unexpected; run %s%n",
                r.imported().size(), r.epoch() == null ? "unknown" : r.epoch(), c.dim(), c.depth(), c.heads(),
                c.decoderDim(), c.decoderDepth(), c.frames(), c.segment(), c.joints(), r.missing().size(),
                r.unexpected().size(), r.runDir());
        return 0;
    }
}
