package io.skeletonssl.cli;

import io.skeletonssl.engine.Autocast;
import io.skeletonssl.engine.Precision;
import io.skeletonssl.dataset.Manifest;
import io.skeletonssl.dataset.SkeletonDataset;
import io.skeletonssl.eval.Encoders;
import io.skeletonssl.eval.FeatureExport;
import io.skeletonssl.eval.FeatureExtractor;
import io.skeletonssl.eval.Features;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code embed --checkpoint RUN --data DATASET --out features.npy}: one feature vector per clip. */
@Command(name = "embed", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Writes the frozen encoder's feature of every clip (test-time crop) as an (N, dim) float32 .npy,",
                "and the labels as (N,) int32 in NAME.labels.npy beside it. Rows follow the split order;",
                "with --split all, the dataset's clip splits one after the other."})
final class EmbedCommand implements Callable<Integer>, GuardedOutput {

    @Option(names = "--checkpoint", required = true,
            description = "A pretraining run folder (newest checkpoint), a checkpoint-E folder, or 'random' (with --preset).")
    String checkpoint;

    @Option(names = "--data", required = true, description = "Prepared dataset folder.")
    Path data;

    @Option(names = {"-o", "--out"}, required = true, description = "Features file (.npy).")
    Path out;

    @Option(names = "--split", defaultValue = "test", description = "A split name, or all (default ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--preset", description = "Model preset for 'random'.")
    String preset;

    @Option(names = {"-j", "--threads"}, description = "Data loader threads (default: all cores).")
    Integer threads;

    @Option(names = "--force", description = "Replace existing output files.")
    boolean force;

    @Option(names = "--precision", defaultValue = "fp32", description = "fp32 (default) or bf16: the encoder's matrix "
            + "products and MLPs in bfloat16, attention and norms in float32 (needs AVX512-BF16 or AMX).")
    String precision;

    @Override
    public Integer call() throws Exception {
        Path labels = FeatureExport.labelsPath(out);
        if (!force && (Files.exists(out) || Files.exists(labels))) {
            throw new IllegalArgumentException((Files.exists(out) ? out : labels) + ": already exists (use --force to replace it)");
        }
        try (SkeletonDataset ds = SkeletonDataset.open(data)) {
            List<String> names = split.equals("all") ? ds.splitNames().stream()
                    .filter(n -> ds.manifest().splits().get(n).kind() == Manifest.Kind.clips).toList() : List.of(split);
            if (names.isEmpty() || !ds.splitNames().containsAll(names)) {
                throw new IllegalArgumentException(data + ": no split '" + split + "' (the dataset has "
                        + ds.splitNames() + ", or use all)");
            }
            SkeletonDataset.ClipSplit first = ds.clips(names.get(0));
            try (Encoders.Loaded enc = Encoders.open(checkpoint, preset, List.of(), ds.manifest().layout(),
                    first.persons(), System.out)) {
                FeatureExtractor fx = new FeatureExtractor(enc.encoder(), threads == null
                        ? Runtime.getRuntime().availableProcessors() : threads);
                List<float[]> rows = new ArrayList<>();
                List<Integer> ys = new ArrayList<>();
                int skipped = 0;
                Precision arithmetic = Precision.parse(precision, "--precision");
                for (String name : names) {
                    Features f;
                    try (Autocast ignored = Autocast.enter(arithmetic)) { // the encoder runs on this thread
                        f = fx.extract(ds.clips(name), enc.testTransform(), 0, 0, "embed " + name);
                    }
                    rows.addAll(List.of(f.rows()));
                    for (int y : f.labels()) {
                        ys.add(y);
                    }
                    skipped += f.skipped();
                }
                Features all = new Features(rows.toArray(float[][]::new), ys.stream().mapToInt(Integer::intValue).toArray(),
                        skipped);
                FeatureExport.write(out, all, enc.encoder().featureDim());
                System.out.printf("embedded %d clip(s) of %s (%s) into %d-d features: %s and %s%s%n", all.size(),
                        names, enc.encoder().source(), enc.encoder().featureDim(), out, labels,
                        skipped > 0 ? "; " + skipped + " clip(s) skipped" : "");
            }
        }
        return 0;
    }
}
