package io.skeletonssl.models.mamp;

import io.skeletonssl.engine.Precision;
import io.skeletonssl.training.DataSection;
import io.skeletonssl.training.DivergenceGuard;

import java.util.List;

import static io.skeletonssl.training.SettingChecks.choice;
import static io.skeletonssl.training.SettingChecks.nonNegative;
import static io.skeletonssl.training.SettingChecks.positive;
import static io.skeletonssl.training.SettingChecks.ratioRange;

/**
 * The method sections of a MAMP configuration (official-code-facts §2), bound strictly from the
 * resolved tree by {@link MampPresets#settings}: one record per YAML section, snake_case keys,
 * unknown keys, wrong types and out-of-range values an error naming the key. The evaluation
 * sections ({@code linear_probe}, {@code finetune}, ...) have records of their own.
 */
public record MampSettings(String method, DataSection data, Augment augment, Model model, Masking masking,
                           Pretrain pretrain) {

    /** Input stream of a run: joint positions, bone vectors or temporal differences (as PCM3's). */
    public enum Stream { JOINT, BONE, MOTION }

    public MampSettings {
        if (!"mamp".equals(method)) {
            throw new IllegalArgumentException("configuration is for method '" + method + "', not mamp");
        }
    }

    /** Train crop U[crop_min, crop_max) of the valid frames, at least {@code min_frames}; rotation ±{@code rotation}; test centre crop. */
    public record Augment(double cropMin, double cropMax, int minFrames, double rotation, double testCrop) {
        public Augment {
            ratioRange("augment.crop_min/crop_max", cropMin, cropMax);
            positive("augment.min_frames", minFrames);
            nonNegative("augment.rotation", rotation);
            ratioRange("augment.test_crop", testCrop, testCrop);
        }
    }

    public record Model(int segment, int dim, int depth, int heads, double mlpRatio, int decoderDim, int decoderDepth,
                        int decoderHeads, double dropPath, double layerNormEps, String target, String input,
                        String featurePooling) {
        public Model {
            positive("model.segment", segment);
            positive("model.dim", dim);
            positive("model.depth", depth);
            positive("model.heads", heads);
            positive("model.mlp_ratio", mlpRatio);
            positive("model.decoder_dim", decoderDim);
            positive("model.decoder_depth", decoderDepth);
            positive("model.decoder_heads", decoderHeads);
            if (!(dropPath >= 0 && dropPath < 1)) {
                throw new IllegalArgumentException("model.drop_path must lie in [0, 1), got " + dropPath);
            }
            // the LayerNorms use torch's default, as the official model does; another value would be ignored
            if (layerNormEps != 1e-5) {
                throw new IllegalArgumentException("model.layer_norm_eps is fixed at 1.0e-5 (torch's default, as in the "
                        + "official model), got " + layerNormEps);
            }
            choice(target, "model.target", MampConfig.Target.class);
            choice(input, "model.input", MampConfig.Input.class);
            choice(featurePooling, "model.feature_pooling", FeaturePooling.class);
        }

        /** How the frozen encoder turns its tokens into a clip feature (linear probe, k-NN, embed, detection). */
        public FeaturePooling pooling() {
            return choice(featurePooling, "model.feature_pooling", FeaturePooling.class);
        }
    }

    /**
     * The frozen encoder's clip feature: {@code MEAN} over persons, time tokens and joints (the official
     * protocol, dim values), or {@code TIME}: the mean over persons and joints of each time token,
     * concatenated in time order (T/u × dim values), which keeps the order of the motion phases.
     */
    public enum FeaturePooling { MEAN, TIME }

    /** Token masking: {@code kind}, the masked fraction in [0, 1), and the motion-aware temperature (≤ 0: random). */
    public record Masking(String kind, double ratio, double tau) {
        public Masking {
            choice(kind, "masking.kind", MampConfig.Masking.class);
            if (!(ratio >= 0 && ratio < 1)) {
                throw new IllegalArgumentException("masking.ratio must lie in [0, 1), got " + ratio);
            }
            if (!Double.isFinite(tau)) {
                throw new IllegalArgumentException("masking.tau must be a finite number, got " + tau);
            }
        }
    }

    /** AdamW with per-iteration warm-up + cosine from {@code lr} to {@code min_lr} (§2.7). */
    /** The recipe (§2.7) and the divergence guard ({@code divergence_*}, see {@link DivergenceGuard.Settings}). */
    public record Pretrain(String stream, String precision, int epochs, double warmupEpochs, int batchSize, double lr,
                           double minLr, double weightDecay, List<Double> betas, double eps, int divergenceRollbacks,
                           double divergenceLrFactor, double divergenceLossFactor, long clipBudget, int checkpointEvery,
                           long seed) {
        public Pretrain {
            io.skeletonssl.training.ClipBudget.check(clipBudget);
            choice(stream, "pretrain.stream", Stream.class);
            Precision.parse(precision, "pretrain.precision");
            positive("pretrain.epochs", epochs);
            nonNegative("pretrain.warmup_epochs", warmupEpochs);
            positive("pretrain.batch_size", batchSize);
            positive("pretrain.lr", lr);
            nonNegative("pretrain.min_lr", minLr);
            nonNegative("pretrain.weight_decay", weightDecay);
            betas = List.copyOf(betas);
            if (betas.size() != 2 || !betas.stream().allMatch(b -> b >= 0 && b < 1)) {
                throw new IllegalArgumentException("pretrain.betas must be two numbers in [0, 1), got " + betas);
            }
            positive("pretrain.eps", eps);
            positive("pretrain.checkpoint_every", checkpointEvery);
            new DivergenceGuard.Settings(divergenceRollbacks, divergenceLrFactor, divergenceLossFactor); // checks
        }

        public DivergenceGuard.Settings divergence() {
            return new DivergenceGuard.Settings(divergenceRollbacks, divergenceLrFactor, divergenceLossFactor);
        }

        public Stream inputStream() {
            return choice(stream, "pretrain.stream", Stream.class);
        }

        /** The arithmetic of the step: fp32, or bf16 products with float32 master weights. */
        public Precision arithmetic() {
            return Precision.parse(precision, "pretrain.precision");
        }
    }

    /** The model's sizes and switches; {@code tau <= 0} selects random masking, as in the official code. */
    public MampConfig modelConfig() {
        MampConfig.Masking kind = masking.tau() <= 0 ? MampConfig.Masking.RANDOM
                : choice(masking.kind(), "masking.kind", MampConfig.Masking.class);
        return new MampConfig(model.dim(), model.depth(), model.heads(), model.mlpRatio(), model.decoderDim(),
                model.decoderDepth(), model.decoderHeads(), model.segment(), data.frames(), data.joints(),
                data.persons(), masking.ratio(), masking.tau(), model.dropPath(),
                choice(model.target(), "model.target", MampConfig.Target.class),
                choice(model.input(), "model.input", MampConfig.Input.class), kind);
    }
}
