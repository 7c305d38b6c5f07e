package io.skeletonssl.cli;

import io.skeletonssl.eval.finetune.Finetune;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code eval finetune --checkpoint RUN|random --data DATASET --out DIR}: encoder and head trained together. */
@Command(name = "finetune", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fine-tuning: the encoder and a new head trained together on the training split, in the recipe of",
                "the config's finetune section (MAMP: MLP head, drop path, label smoothing, AdamW with layer-wise lr",
                "decay, warm-up + cosine; PCM3: linear head, SGD with step decay, whole network in train mode).",
                "Writes config.yaml, metrics.csv, metrics.json (final_top1 = last epoch, the headline; best_top1",
                "test-selected) and the final epoch's test scores to --out."})
final class EvalFinetuneCommand implements Callable<Integer>, GuardedOutput {

    @Mixin
    EvalTargetOptions target;

    @Option(names = "--from-scratch", description = {"Random weights with the checkpoint's (or preset's) architecture and",
            "no layer-wise decay: the papers' 'w/o pre-training' baseline."})
    boolean fromScratch;

    @Option(names = "--val-fraction", defaultValue = "0",
            description = "Hold out this stratified, seeded fraction of the training split for epoch selection (default 0).")
    double valFraction;

    @Option(names = "--epochs", description = "Override finetune.epochs.")
    Integer epochs;

    @Option(names = "--seed", description = "Override finetune.seed (head init, batch order, augmentation, drop path).")
    Long seed;

    @Option(names = "--precision", description = "fp32 or bf16 (linear layers in bfloat16, float32 master weights; "
            + "needs AVX512-BF16 or AMX); same as --set finetune.precision=...")
    String precision;

    @Override
    public Integer call() throws Exception {
        if (precision != null) {
            target.sets.add("finetune.precision=" + precision);
        }
        new Finetune(System.out).run(options(target, fromScratch, valFraction, epochs, seed));
        return 0;
    }

    static Finetune.Options options(EvalTargetOptions t, boolean scratch, double val, Integer epochs, Long seed) {
        return new Finetune.Options(t.checkpoint, t.preset, t.sets, t.data, t.out, epochs, seed, scratch, val,
                t.threadsOrAll(), t.trainSplit, t.testSplit, t.force);
    }
}
