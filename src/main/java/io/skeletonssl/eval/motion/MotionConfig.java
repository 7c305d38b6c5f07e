package io.skeletonssl.eval.motion;

import com.fasterxml.jackson.databind.JsonNode;
import io.skeletonssl.training.ConfigTree;

/**
 * The {@code motion_prediction} section of a configuration (Martinez et al. 2017, as PCM3 Table 6
 * cites it).
 *
 * @param observe      observed frames fed to the encoder (50)
 * @param predict      frames predicted autoregressively (10)
 * @param hidden       GRU decoder units (Martinez: 1024)
 * @param epochs       training epochs; every epoch draws one random window per training clip
 * @param batchSize    windows per step (Martinez: 16); the last short batch is kept
 * @param lr           SGD learning rate of the decoder (Martinez: 0.005, no momentum)
 * @param encoderLr    SGD learning rate of the encoder with {@code --finetune}
 * @param clipNorm     global gradient-norm clipping (Martinez: 5)
 * @param seed         decoder init, batch order and window draws
 */
public record MotionConfig(int observe, int predict, int hidden, int epochs, int batchSize, double lr,
                           double encoderLr, double clipNorm, long seed) {

    public static final String SECTION = "motion_prediction";

    public MotionConfig {
        if (observe < 2 || predict < 1 || hidden < 1 || epochs < 1 || batchSize < 1) {
            throw new IllegalArgumentException(SECTION + ": observe must be >= 2 and predict, hidden, epochs, "
                    + "batch_size >= 1; got " + observe + ", " + predict + ", " + hidden + ", " + epochs + ", " + batchSize);
        }
        if (!(lr > 0) || !(encoderLr >= 0) || !(clipNorm > 0)) {
            throw new IllegalArgumentException(SECTION + ": lr and clip_norm must be > 0 and encoder_lr >= 0; got "
                    + lr + ", " + clipNorm + ", " + encoderLr);
        }
    }

    /** Frames a window spans: observed + predicted. */
    public int window() {
        return observe + predict;
    }

    public static MotionConfig of(JsonNode tree) {
        JsonNode s = tree.get(SECTION);
        if (s == null || !s.isObject()) {
            throw new IllegalArgumentException("the configuration has no " + SECTION + " section; pass --preset");
        }
        return ConfigTree.bind(s, MotionConfig.class, SECTION);
    }
}
