package io.skeletonssl.cli;

import io.skeletonssl.methods.mamp.MampPretrainer;
import io.skeletonssl.methods.pcm3.Pcm3Pretrainer;
import io.skeletonssl.training.Pretrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code pretrain --method mamp|pcm3 --preset P --data DATASET --out RUN}: self-supervised pretraining. */
@Command(name = "pretrain", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Self-supervised pretraining of an encoder on a prepared dataset's train split.",
                "Writes config.yaml, metrics.csv (one row per epoch), metrics.json and checkpoint-E folders to --out;",
                "--resume continues a killed run from its last checkpoint with the run's own method, dataset and settings;",
                "--force restarts a run folder from scratch.",
                "MAMP presets: mamp-ntu60-xsub, mamp-ntu60-xview, mamp-ntu120-xsub, mamp-ntu120-xset, mamp-pku1, mamp-pku2, mamp-small, mamp-cpu.",
                "PCM3 presets: pcm3-ntu60-xsub, pcm3-ntu60-xview, pcm3-ntu120-xsub, pcm3-ntu120-xset, pcm3-pku2-xsub, pcm3-small, pcm3-cpu."})
final class PretrainCommand implements Callable<Integer>, GuardedOutput {

    @Option(names = "--method", description = "mamp or pcm3. Default: the preset's method (mamp without a preset); "
            + "on --resume, the run's.")
    String method;

    @Option(names = "--preset", description = "Preset name (required unless --resume).")
    String preset;

    @Option(names = "--data", description = "Prepared dataset folder (on --resume: default the run's).")
    Path data;

    @Option(names = {"-o", "--out"}, required = true, description = "Run folder (must not exist unless --resume).")
    Path out;

    @Option(names = "--config", description = "A YAML file whose values override the preset's.")
    Path config;

    @Option(names = "--set", description = "Override one value, e.g. --set pretrain.batch_size=16 (repeatable).")
    List<String> sets = new ArrayList<>();

    @Option(names = "--target", description = "Ablation (paper Table 7): prediction target motion (MAMP, default) or joint "
            + "(SkeletonMAE-style positions); same as --set model.target=...")
    String target;

    @Option(names = "--input", description = "Ablation (Table 7): encoder input position (default) or motion; "
            + "same as --set model.input=...")
    String input;

    @Option(names = "--masking", description = "Ablation (Table 8): motion-aware (default) or random masking; "
            + "same as --set masking.kind=...")
    String masking;

    @Option(names = "--stream", description = "Input stream (MAMP and PCM3): joint (default), bone or motion; "
            + "same as --set pretrain.stream=...")
    String stream;

    @Option(names = "--precision", description = "fp32 (default) or bf16: matrix products, MLPs and GRUs in bfloat16 "
            + "with float32 master weights, norms and losses (needs AVX512-BF16 or AMX); same as --set pretrain.precision=...")
    String precision;

    @Option(names = "--prompts", description = "PCM3 prompts: official (as released), effective (where they act) or "
            + "none (the ablation, §3.10); same as --set prompts.mode=...")
    String prompts;

    @Option(names = "--gru-mode", description = "PCM3 GRU: official (both directions forward in time) or "
            + "bidirectional; same as --set model.gru_mode=...")
    String gruMode;

    @Option(names = "--resume", description = "Continue the run in --out from its last complete checkpoint, with the "
            + "method, dataset and settings in its config.yaml (--data, if given, must be the run's dataset).")
    boolean resume;

    @Option(names = "--force", description = "Restart the run folder --out from scratch: its checkpoints, metrics and "
            + "config are deleted first (only a run folder or an empty one).")
    boolean force;

    @Option(names = "--epochs", description = "Override pretrain.epochs.")
    Integer epochs;

    @Option(names = {"-j", "--threads"}, description = "Data loader threads (default: all cores).")
    Integer threads;

    @Option(names = "--stop-after-epoch", hidden = true, defaultValue = "-1",
            description = "Stop after this epoch as if killed (for testing --resume).")
    int stopAfterEpoch;

    @Override
    public Integer call() throws Exception {
        method = resolveMethod();
        boolean pcm3 = method.equals("pcm3");
        if (!resume && data == null) {
            throw new IllegalArgumentException("--data is required (unless --resume)");
        }
        List<String> all = new ArrayList<>(sets);
        add(all, "pretrain.stream", stream);
        add(all, "pretrain.precision", precision);
        if (pcm3) {
            refuse(target, "--target");
            refuse(input, "--input");
            refuse(masking, "--masking");
            add(all, "prompts.mode", prompts);
            add(all, "model.gru_mode", gruMode);
        } else {
            refuse(prompts, "--prompts");
            refuse(gruMode, "--gru-mode");
            add(all, "model.target", target);
            add(all, "model.input", input);
            add(all, "masking.kind", masking);
        }
        Pretrainer trainer = pcm3 ? Pcm3Pretrainer.create(System.out) : MampPretrainer.create(System.out);
        Pretrainer.Result r = trainer.run(new Pretrainer.Options(preset, config, all, data, out, resume, epochs,
                threads == null ? 0 : threads, stopAfterEpoch, force));
        System.out.printf(Locale.ROOT, "pretrained epochs %d..%d of %d in %.1f s: loss %.6f, %d skipped step(s); run %s%n",
                r.startEpoch(), r.lastEpoch(), r.epochs(), r.seconds(), r.finalLoss(), r.skippedSteps(), r.runDir());
        return 0;
    }

    /**
     * The method: the run's on --resume (a --method that disagrees is an error naming both), else
     * --method, else the preset's; a --method that disagrees with the preset is an error.
     */
    private String resolveMethod() throws java.io.IOException {
        if (method != null && !method.equals("mamp") && !method.equals("pcm3")) {
            throw new IllegalArgumentException("unknown --method '" + method + "': mamp or pcm3");
        }
        if (resume) {
            String run = Pretrainer.methodOfRun(out.toAbsolutePath().normalize()).orElseThrow(() ->
                    new IllegalArgumentException(out.toAbsolutePath().normalize() + ": not a run folder (no config.yaml), "
                            + "nothing to --resume"));
            if (method != null && !method.equals(run)) {
                throw new IllegalArgumentException("--method " + method + " disagrees with the run " + out + ", which is a "
                        + run + " run; --resume takes the method from the run (leave out --method)");
            }
            return run;
        }
        String presetMethod = preset == null ? null
                : io.skeletonssl.training.ConfigTree.preset(preset).path("method").asText("");
        if (method != null && presetMethod != null && !method.equals(presetMethod)) {
            throw new IllegalArgumentException("--method " + method + " disagrees with --preset " + preset
                    + ", which is a " + presetMethod + " preset");
        }
        String m = method != null ? method : presetMethod != null ? presetMethod : "mamp";
        if (!m.equals("mamp") && !m.equals("pcm3")) {
            throw new IllegalArgumentException("--preset " + preset + " is for method '" + m + "'; pretrain knows mamp and pcm3");
        }
        return m;
    }

    private void refuse(String value, String option) {
        if (value != null) {
            throw new IllegalArgumentException(option + " is not an option of --method " + method);
        }
    }

    private static void add(List<String> sets, String key, String value) {
        if (value != null) {
            sets.add(key + "=" + value);
        }
    }
}
