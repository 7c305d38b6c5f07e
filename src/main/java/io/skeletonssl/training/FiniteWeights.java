package io.skeletonssl.training;

/**
 * Refuses weights holding NaN or ±Inf. Every path that copies saved values into a model (checkpoint
 * loading for resume and evaluation, importing official PyTorch checkpoints) calls this once per
 * tensor on the host floats it already read: a model with such values only ever yields NaN logits,
 * which would otherwise turn into a silent 0% (or chance-level) result.
 */
public final class FiniteWeights {

    private FiniteWeights() {
    }

    /**
     * Throws {@link IllegalArgumentException} if {@code values} holds a non-finite value;
     * {@code subject} names the tensor and where it came from, e.g.
     * {@code "RUN/checkpoint-4: parameter 'encoder.blocks.0.attn.qkv.weight'"}.
     */
    public static void require(float[] values, String subject) {
        long nan = 0;
        long posInf = 0;
        long negInf = 0;
        for (float v : values) {
            // one cheap test per value; the kinds are only told apart on the rare bad value
            if (!Float.isFinite(v)) {
                if (Float.isNaN(v)) {
                    nan++;
                } else if (v > 0) {
                    posInf++;
                } else {
                    negInf++;
                }
            }
        }
        long bad = nan + posInf + negInf;
        if (bad > 0) {
            throw new IllegalArgumentException(subject + " has " + bad + " non-finite value" + (bad == 1 ? "" : "s")
                    + " (" + kinds(nan, posInf, negInf) + ") of " + values.length + "; the checkpoint is unusable");
        }
    }

    private static String kinds(long nan, long posInf, long negInf) {
        if ((nan > 0 ? 1 : 0) + (posInf > 0 ? 1 : 0) + (negInf > 0 ? 1 : 0) == 1) {
            return nan > 0 ? "NaN" : posInf > 0 ? "+Inf" : "-Inf";
        }
        StringBuilder sb = new StringBuilder();
        append(sb, nan, "NaN");
        append(sb, posInf, "+Inf");
        append(sb, negInf, "-Inf");
        return sb.toString();
    }

    private static void append(StringBuilder sb, long n, String kind) {
        if (n == 0) {
            return;
        }
        if (sb.length() > 0) {
            sb.append(", ");
        }
        sb.append(n).append(' ').append(kind);
    }
}
