package io.skeletonssl.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.training.ConfigTree;

/**
 * The {@code linear_probe} section of a configuration (spec §2.9).
 *
 * @param epochs       training epochs (official 100)
 * @param batchSize    effective batch (official 256; PKU-I 128, PKU-II 32); the last short batch is dropped
 * @param lr           peak learning rate of the per-iteration cosine (official 0.1; PKU-II 0.01)
 * @param minLr        final learning rate (official 0)
 * @param warmupEpochs linear warm-up (official 0)
 * @param momentum     SGD momentum (0.9)
 * @param weightDecay  SGD weight decay (0)
 * @param bnEps        eps of the BatchNorm1d(affine=False) before the linear layer (1e-6)
 * @param featureViews 0: a fresh augmented view of the train set every epoch (the official protocol);
 *                     K &gt; 0: K views encoded once, epoch e uses view e mod K (an approximation that
 *                     saves encoder passes on a CPU; K &ge; epochs is exactly the official protocol)
 * @param seed         seed of the head init, batch order and train augmentation
 */
public record ProbeConfig(int epochs, int batchSize, double lr, double minLr, double warmupEpochs, double momentum,
                          double weightDecay, double bnEps, int featureViews, long seed) {

    public ProbeConfig {
        if (epochs < 1 || batchSize < 2) {
            throw new IllegalArgumentException("linear_probe.epochs must be >= 1 and linear_probe.batch_size >= 2 "
                    + "(BatchNorm needs two rows), got " + epochs + " and " + batchSize);
        }
        if (featureViews < 0) {
            throw new IllegalArgumentException("linear_probe.feature_views must be >= 0, got " + featureViews);
        }
    }

    /** Adds keys newer than some saved configs: {@code feature_views: 0}, {@code seed: 0}. */
    static void fillDefaults(ObjectNode tree) {
        if (tree.get("linear_probe") instanceof ObjectNode lp) {
            if (!lp.has("feature_views")) {
                lp.put("feature_views", 0);
            }
            if (!lp.has("seed")) {
                lp.put("seed", 0);
            }
        }
    }

    public static ProbeConfig of(JsonNode tree) {
        JsonNode lp = tree.get("linear_probe");
        if (lp == null || !lp.isObject()) {
            throw new IllegalArgumentException("the configuration has no linear_probe section; "
                    + "pass --preset to take it from a preset");
        }
        return ConfigTree.bind(lp, ProbeConfig.class, "linear_probe");
    }
}
