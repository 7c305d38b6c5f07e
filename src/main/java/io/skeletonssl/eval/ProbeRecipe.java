package io.skeletonssl.eval;

import com.fasterxml.jackson.databind.JsonNode;
import io.skeletonssl.methods.pcm3.Pcm3Downstream;
import io.skeletonssl.methods.pcm3.Pcm3Settings;
import io.skeletonssl.training.LrSchedule;
import io.skeletonssl.training.WarmupCosine;

import java.util.Objects;

/**
 * How a linear-probe head is built and trained, whatever the method: the optimiser is SGD with
 * {@code momentum} and {@code weightDecay}, the learning rate follows {@code schedule} per
 * iteration (fractional epoch), full batches only. Built from a configuration by {@link #of}:
 * MAMP's {@code linear_probe} section (§2.9: BatchNorm1d(affine=False) + Linear, cosine) or
 * PCM3's (§3.13: Linear only, step decay).
 *
 * @param batchNormEps eps of the head's BatchNorm1d(affine=False), or NaN for a plain Linear head
 * @param featureViews 0: a fresh augmented train view every epoch; K &gt; 0: K views encoded once, epoch e uses e mod K
 * @param seed         seed of the head init, batch order and train augmentation
 */
public record ProbeRecipe(int epochs, int batchSize, LrSchedule schedule, double momentum, double weightDecay,
                          double batchNormEps, int featureViews, long seed) {

    public ProbeRecipe {
        Objects.requireNonNull(schedule, "schedule");
        if (epochs < 1 || batchSize < (hasBatchNorm(batchNormEps) ? 2 : 1)) {
            throw new IllegalArgumentException("linear_probe.epochs must be >= 1 and linear_probe.batch_size >= "
                    + (hasBatchNorm(batchNormEps) ? "2 (BatchNorm needs two rows)" : "1") + ", got " + epochs + " and "
                    + batchSize);
        }
        if (featureViews < 0) {
            throw new IllegalArgumentException("linear_probe.feature_views must be >= 0, got " + featureViews);
        }
    }

    /** The recipe of a resolved configuration, by its {@code method}. */
    public static ProbeRecipe of(JsonNode tree) {
        String method = tree.path("method").asText("mamp");
        return switch (method) {
            case "mamp" -> mamp(ProbeConfig.of(tree));
            case "pcm3" -> pcm3(Pcm3Downstream.settings(tree).linearProbe());
            default -> throw new IllegalArgumentException("no linear probe for method '" + method + "'");
        };
    }

    /** MAMP (§2.9): BatchNorm1d(affine=False) + Linear, warm-up cosine to {@code min_lr} over the epochs. */
    public static ProbeRecipe mamp(ProbeConfig pc) {
        return new ProbeRecipe(pc.epochs(), pc.batchSize(),
                new WarmupCosine(pc.lr(), pc.minLr(), pc.warmupEpochs(), pc.epochs()), pc.momentum(),
                pc.weightDecay(), pc.bnEps(), pc.featureViews(), pc.seed());
    }

    /** PCM3 (§3.13): a plain Linear head; lr × gamma from each milestone epoch on. */
    public static ProbeRecipe pcm3(Pcm3Settings.LinearProbe lp) {
        return new ProbeRecipe(lp.epochs(), lp.batchSize(), lp.schedule(), lp.momentum(), lp.weightDecay(), Double.NaN,
                lp.featureViews(), lp.seed());
    }

    /** The same recipe with a BatchNorm1d(affine=False) of {@code eps} before the Linear layer. */
    public ProbeRecipe withBatchNorm(double eps) {
        if (!(eps > 0)) {
            throw new IllegalArgumentException("BatchNorm eps must be > 0, got " + eps);
        }
        return new ProbeRecipe(epochs, batchSize, schedule, momentum, weightDecay, eps, featureViews, seed);
    }

    public boolean hasBatchNorm() {
        return hasBatchNorm(batchNormEps);
    }

    private static boolean hasBatchNorm(double eps) {
        return !Double.isNaN(eps);
    }

    /** A short description for reports, e.g. {@code BatchNorm1d + Linear} or {@code Linear}. */
    public String headDescription() {
        return hasBatchNorm() ? "BatchNorm1d(affine=False) + Linear" : "Linear";
    }
}
