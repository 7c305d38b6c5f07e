package io.skeletonssl.cli;

import io.skeletonssl.eval.LinearProbe;
import io.skeletonssl.eval.Occlusion;
import io.skeletonssl.eval.OcclusionEval;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code eval occlusion --checkpoint RUN|random --data DATASET --out DIR}: linear evaluation on occluded skeletons. */
@Command(name = "occlusion", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Occluded-skeleton linear evaluation (PCM3 Table 4, following RA-GCN). Per clip a severity",
                "r ~ U[0.3, 0.7]; spatial: max(1, round(P·r)) of the layout's P body parts hidden in every frame;",
                "temporal: one block of round(r·T) of the clip's T valid frames hidden. Clips are occluded before the",
                "method's transform; test masks are fixed by --mask-seed and the clip index, training masks are new",
                "every epoch. The method's linear-probe recipe, trained on occluded clips (or --train clean, RA-GCN's",
                "variant), plus the clean probe for the drop. Writes config.yaml, metrics.json (per kind: final_top1,",
                "clean_final_top1, drop_top1), metrics.csv, and clean/, spatial/, temporal/ with each probe's files."})
final class EvalOcclusionCommand implements Callable<Integer>, GuardedOutput {

    @Mixin
    EvalTargetOptions target;

    @Option(names = "--kind", defaultValue = "both",
            description = "spatial, temporal or both (default ${DEFAULT-VALUE}).")
    String kind;

    @Option(names = "--train", defaultValue = "occluded",
            description = "Classifier training clips: occluded (default) or clean (RA-GCN's variant).")
    String train;

    @Option(names = "--mask-seed", defaultValue = "0", description = "Seed of the fixed test masks (default ${DEFAULT-VALUE}).")
    long maskSeed;

    @Mixin
    ProbeOptions probe;

    @Override
    public Integer call() throws Exception {
        List<Occlusion.Kind> kinds = switch (kind) {
            case "spatial" -> List.of(Occlusion.Kind.SPATIAL);
            case "temporal" -> List.of(Occlusion.Kind.TEMPORAL);
            case "both" -> List.of(Occlusion.Kind.SPATIAL, Occlusion.Kind.TEMPORAL);
            default -> throw new IllegalArgumentException("--kind must be spatial, temporal or both, got '" + kind + "'");
        };
        boolean clean = switch (train) {
            case "occluded" -> false;
            case "clean" -> true;
            default -> throw new IllegalArgumentException("--train must be occluded or clean, got '" + train + "'");
        };
        new OcclusionEval(System.out).run(new OcclusionEval.Options(new LinearProbe.Options(target.checkpoint,
                target.preset, target.sets, target.data, target.out, probe.epochs, probe.seed, target.threadsOrAll(),
                target.trainSplit, target.testSplit, target.force, probe.valFraction), kinds, clean, maskSeed));
        return 0;
    }
}
