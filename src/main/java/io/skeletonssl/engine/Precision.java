package io.skeletonssl.engine;

import java.util.Locale;

/**
 * The arithmetic of matrix products, attention and recurrent cells: float32 throughout, or bfloat16
 * products with float32 master weights, norms, softmax statistics and losses (the CPU counterpart
 * of the official code's automatic mixed precision). Spelled {@code fp32} / {@code bf16}.
 */
public enum Precision {
    FP32, BF16;

    /** {@code fp32} or {@code bf16}; an error naming {@code key} otherwise. */
    public static Precision parse(String text, String key) {
        if (text != null) {
            for (Precision p : values()) {
                if (p.spelling().equals(text.trim().toLowerCase(Locale.ROOT))) {
                    return p;
                }
            }
        }
        throw new IllegalArgumentException("unknown value '" + text + "' for " + key + " (expected one of: fp32, bf16)");
    }

    public String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }
}
