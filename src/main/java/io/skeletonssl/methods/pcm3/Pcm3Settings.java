package io.skeletonssl.methods.pcm3;

import io.skeletonssl.models.pcm3.Pcm3Config;
import io.skeletonssl.engine.Precision;
import io.skeletonssl.training.DataSection;
import io.skeletonssl.training.DivergenceGuard;
import io.skeletonssl.training.LinearWarmup;
import io.skeletonssl.training.LrSchedule;
import io.skeletonssl.training.SettingChecks;
import io.skeletonssl.training.StepDecay;

import java.util.List;

import static io.skeletonssl.training.SettingChecks.nonNegative;
import static io.skeletonssl.training.SettingChecks.positive;
import static io.skeletonssl.training.SettingChecks.ratioRange;
import static io.skeletonssl.training.SettingChecks.unit;

/**
 * Everything a PCM3 preset sets (official-code-facts §3.1-§3.13), bound from the resolved tree by
 * {@link Pcm3Presets#fromTree}: one record per YAML section, snake_case keys, unknown keys an error.
 */
public record Pcm3Settings(String method, DataSection data, Augment augment, Model model, Moco moco, Masking masking,
                           Mixing mixing, Prompts prompts, Loss loss, Pretrain pretrain, LinearProbe linearProbe,
                           Knn knn) {

    /** How the prompts are placed (§3.9): as released, where they act as the paper says, or not at all. */
    public enum PromptMode { OFFICIAL, EFFECTIVE, NONE }

    /** The input stream (§3.10): joint positions, bone vectors or temporal differences. */
    public enum Stream { JOINT, BONE, MOTION }

    /** Temporal crop ratio range of the three views and the corruption probability of views 1 and 2. */
    public record Augment(double cropMin, double cropMax, double corruptionP) {
        public Augment {
            ratioRange("augment.crop_min/crop_max", cropMin, cropMax);
            unit("augment.corruption_p", corruptionP);
        }
    }

    public record Model(int hidden, int layers, String gruMode, int projectorHidden, int projectorOut,
                        int decoderHidden, int decoderLayers) {
        public Model {
            SettingChecks.choice(gruMode, "model.gru_mode", Pcm3Config.GruMode.class);
        }
    }

    public record Moco(int queue, double momentum, double temperature, double teacherTemperature,
                       double studentTemperature) {
        public Moco {
            positive("moco.queue", queue);
            unit("moco.momentum", momentum);
            positive("moco.temperature", temperature);
            positive("moco.teacher_temperature", teacherTemperature);
            positive("moco.student_temperature", studentTemperature);
        }
    }

    /** {@code int(5·ratio)} of the 5 body parts masked in each of {@code clips} equal clips (§3.6). */
    public record Masking(double ratio, int clips) {
        public Masking {
            unit("masking.ratio", ratio);
            positive("masking.clips", clips);
        }
    }

    /** Body parts {@code spa_min..spa_max} and 4-frame time units {@code tem_min..tem_max} mixed (§3.5). */
    public record Mixing(int spaMin, int spaMax, int temMin, int temMax) {
        public Mixing {
            if (spaMin < 1 || spaMax < spaMin || spaMax > 5) {
                throw new IllegalArgumentException("mixing.spa_min..spa_max must lie in 1..5 and be ordered, got "
                        + spaMin + ".." + spaMax);
            }
            if (temMin < 1 || temMax < temMin) {
                throw new IllegalArgumentException("mixing.tem_min..tem_max must be >= 1 and ordered, got "
                        + temMin + ".." + temMax);
            }
        }
    }

    /** {@code width}: the task prompts' channel window in each feature half (128 of 1024). */
    public record Prompts(String mode, int width) {
        public Prompts {
            SettingChecks.choice(mode, "prompts.mode", PromptMode.class);
            positive("prompts.width", width);
        }

        public PromptMode promptMode() {
            return SettingChecks.choice(mode, "prompts.mode", PromptMode.class);
        }
    }

    /**
     * Loss weights (§3.8 step 11) and the synergy ablation (paper Table 9): whether the masked view
     * and the predicted (filled-in) view count as extra positives of the key.
     */
    public record Loss(double reconstructionWeight, double kdWeight, boolean maskedPositive,
                       boolean predictedPositive) {
        public Loss {
            nonNegative("loss.reconstruction_weight", reconstructionWeight);
            nonNegative("loss.kd_weight", kdWeight);
        }
    }

    /**
     * The pretraining recipe (§3.11) and the options for small batches and CPU runs, all off in the
     * official presets: {@code clipGradNorm} (global L2 gradient-norm clipping before SGD, 0 = off),
     * {@code warmupEpochs} (linear per-step warm-up in front of the step decay, 0 = off),
     * {@code lrReferenceBatch} (when &gt; 0 the rate is {@code lr × batch_size / lr_reference_batch},
     * the linear scaling rule; 0 = lr as given); the divergence guard ({@code divergence_*}, see
     * {@link DivergenceGuard.Settings}) and {@code collapseStdFraction}: a warning when the epoch's mean
     * {@code feature_std} of the query embeddings falls below this fraction of 1/√D (0 = off).
     */
    public record Pretrain(String stream, String precision, int epochs, int batchSize, double lr,
                           int lrReferenceBatch, double momentum, double weightDecay, List<Integer> milestones,
                           double gamma, double warmupEpochs, double clipGradNorm, int divergenceRollbacks,
                           double divergenceLrFactor, double divergenceLossFactor, double collapseStdFraction,
                           long clipBudget, int checkpointEvery, long seed) {
        public Pretrain {
            io.skeletonssl.training.ClipBudget.check(clipBudget);
            SettingChecks.choice(stream, "pretrain.stream", Stream.class);
            Precision.parse(precision, "pretrain.precision");
            positive("pretrain.epochs", epochs);
            positive("pretrain.batch_size", batchSize);
            positive("pretrain.checkpoint_every", checkpointEvery);
            if (lrReferenceBatch < 0) {
                throw new IllegalArgumentException("pretrain.lr_reference_batch must be >= 0 (0 = use pretrain.lr as "
                        + "given; N = pretrain.lr is the rate for batch N, scaled linearly to pretrain.batch_size), got "
                        + lrReferenceBatch);
            }
            finiteNonNegative("pretrain.warmup_epochs", warmupEpochs, "0 = no warm-up");
            finiteNonNegative("pretrain.clip_grad_norm", clipGradNorm, "0 = no clipping");
            if (!(collapseStdFraction >= 0 && collapseStdFraction < 1)) {
                throw new IllegalArgumentException("pretrain.collapse_std_fraction must lie in [0, 1) (a fraction of "
                        + "1/sqrt(projector_out), the spread of unit vectors in every direction; 0 = no warning), got "
                        + collapseStdFraction);
            }
            milestones = List.copyOf(milestones);
            stepDecay("pretrain", lr, milestones, gamma);
            divergence(divergenceRollbacks, divergenceLrFactor, divergenceLossFactor);
        }

        public Stream inputStream() {
            return SettingChecks.choice(stream, "pretrain.stream", Stream.class);
        }

        /** The arithmetic of the step: fp32, or bf16 products (not the GRU cells) with float32 master weights. */
        public Precision arithmetic() {
            return Precision.parse(precision, "pretrain.precision");
        }

        /** The base rate: {@code lr}, or {@code lr × batch_size / lr_reference_batch} with a reference batch. */
        public double effectiveLr() {
            return lrReferenceBatch > 0 ? lr * batchSize / lrReferenceBatch : lr;
        }

        /** The effective rate × gamma from each milestone epoch on (§3.11), after the warm-up if any. */
        public LrSchedule schedule() {
            return new LinearWarmup(stepDecay("pretrain", effectiveLr(), milestones, gamma), warmupEpochs);
        }

        public DivergenceGuard.Settings divergence() {
            return divergence(divergenceRollbacks, divergenceLrFactor, divergenceLossFactor);
        }

        private static DivergenceGuard.Settings divergence(int rollbacks, double lrFactor, double lossFactor) {
            return new DivergenceGuard.Settings(rollbacks, lrFactor, lossFactor);
        }

        private static void finiteNonNegative(String key, double v, String zero) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(key + " must be a finite number >= 0 (" + zero + "), got " + v);
            }
        }
    }

    /**
     * The linear evaluation of §3.13: frozen encoder, Linear(2H, C), step-decay SGD, crop U[crop_min, crop_max).
     * {@code featureViews}: 0 encodes a fresh augmented train view every epoch (the protocol); K &gt; 0 encodes
     * K views once and epoch e uses view e mod K (saves encoder passes on a CPU).
     */
    public record LinearProbe(int epochs, int batchSize, double lr, double momentum, double weightDecay,
                              List<Integer> milestones, double gamma, double cropMin, double cropMax, int minFrames,
                              double testCrop, int featureViews, long seed) {
        public LinearProbe {
            positive("linear_probe.epochs", epochs);
            nonNegative("linear_probe.feature_views", featureViews);
            positive("linear_probe.batch_size", batchSize);
            positive("linear_probe.min_frames", minFrames);
            ratioRange("linear_probe.crop_min/crop_max", cropMin, cropMax);
            ratioRange("linear_probe.test_crop", testCrop, testCrop);
            milestones = List.copyOf(milestones);
            stepDecay("linear_probe", lr, milestones, gamma);
        }

        public StepDecay schedule() {
            return stepDecay("linear_probe", lr, milestones, gamma);
        }
    }

    public record Knn(int neighbors, double testCrop) {
        public Knn {
            positive("knn.neighbors", neighbors);
            ratioRange("knn.test_crop", testCrop, testCrop);
        }
    }

    public Pcm3Settings {
        if (!"pcm3".equals(method)) {
            throw new IllegalArgumentException("not a PCM3 configuration: method is '" + method + "'");
        }
    }

    /** The encoder and decoder sizes (validated by {@link Pcm3Config}). */
    public Pcm3Config modelConfig() {
        return new Pcm3Config(data.joints(), data.persons(), model.hidden(), model.layers(),
                SettingChecks.choice(model.gruMode(), "model.gru_mode", Pcm3Config.GruMode.class),
                model.projectorHidden(), model.projectorOut(), model.decoderHidden(), model.decoderLayers());
    }

    private static StepDecay stepDecay(String section, double lr, List<Integer> milestones, double gamma) {
        positive(section + ".lr", lr);
        positive(section + ".gamma", gamma);
        return new StepDecay(lr, milestones.stream().mapToInt(Integer::intValue).toArray(), gamma);
    }
}
