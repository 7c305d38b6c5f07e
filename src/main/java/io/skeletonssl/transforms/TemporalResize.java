package io.skeletonssl.transforms;

/**
 * Linear resampling along time, as {@code F.interpolate(mode='bilinear', align_corners=False)}
 * does it in MAMP's and PCM3's crop-resize (the other image axis keeps its size, so this is 1-D
 * linear interpolation with half-pixel centres, channel by channel).
 *
 * <p>For output frame i of W, with input length L:
 * <pre>
 *   scale = (float) L / W                       (float32 division)
 *   s     = scale·(i + 0.5) − 0.5               (double), s &lt; 0 → 0
 *   i0    = (int) s,  i1 = i0 + 1 if i0 &lt; L − 1 else i0
 *   λ1    = (float) (s − i0),  λ0 = 1f − λ1     (float32)
 *   y     = (float) (x[i0]·λ0 + x[i1]·λ1)       (products and sum in double, one rounding)
 * </pre>
 * and L = W copies the input. This is bit for bit what PyTorch 1.13.1's CPU kernel returns for
 * MAMP's (1, 1, C·V·M, L) layout (checked over every L in 1..300 for W = 120 and 64); for PCM3's
 * (1, C·V·M, L, 1) layout that build fuses the last multiply-add, which differs from this by at
 * most one float32 ulp. Other PyTorch versions differ in the last bits of the weights (1.8 rounds
 * s to float32 before taking λ1; 2.x computes s in float32), never by more than about 1e-7·L.
 */
public final class TemporalResize {

    private TemporalResize() {
    }

    /** Source indices and weights of each output frame. */
    public record Weights(int[] index0, int[] index1, float[] lambda0, float[] lambda1) {
        public int length() {
            return index0.length;
        }
    }

    public static Weights weights(int inputLength, int outputLength) {
        if (inputLength <= 0 || outputLength <= 0) {
            throw new IllegalArgumentException("cannot resize " + inputLength + " frames to " + outputLength
                    + ": both lengths must be positive");
        }
        int[] i0 = new int[outputLength];
        int[] i1 = new int[outputLength];
        float[] l0 = new float[outputLength];
        float[] l1 = new float[outputLength];
        if (inputLength == outputLength) {
            for (int i = 0; i < outputLength; i++) {
                i0[i] = i;
                i1[i] = i;
                l0[i] = 1f;
            }
            return new Weights(i0, i1, l0, l1);
        }
        float scale = (float) inputLength / (float) outputLength;
        for (int i = 0; i < outputLength; i++) {
            double s = (double) scale * (i + 0.5) - 0.5;
            if (s < 0) {
                s = 0;
            }
            int lo = Math.min((int) s, inputLength - 1);
            i0[i] = lo;
            i1[i] = lo < inputLength - 1 ? lo + 1 : lo;
            l1[i] = (float) (s - lo);
            l0[i] = 1f - l1[i];
        }
        return new Weights(i0, i1, l0, l1);
    }

    /** Interpolates one value. */
    public static float mix(float a, float b, float lambda0, float lambda1) {
        return (float) ((double) a * lambda0 + (double) b * lambda1);
    }

    /**
     * Frames [start, start + length) of {@code clip}, resized to {@code outputLength} frames, every
     * (channel, joint, person) independently. The result has all frames valid.
     */
    public static Clip resize(Clip clip, int start, int length, int outputLength) {
        if (length <= 0) {
            throw new IllegalArgumentException("cannot resize an empty window (" + length + " frames)");
        }
        if (start < 0 || start + length > clip.frames()) {
            throw new IllegalArgumentException("window [" + start + ", " + (start + length)
                    + ") outside the clip's " + clip.frames() + " frames");
        }
        Weights w = weights(length, outputLength);
        int t = clip.frames();
        int vm = clip.joints() * clip.persons();
        float[] in = clip.data();
        float[] out = new float[Clip.CHANNELS * outputLength * vm];
        for (int c = 0; c < Clip.CHANNELS; c++) {
            for (int i = 0; i < outputLength; i++) {
                int a = (c * t + start + w.index0[i]) * vm;
                int b = (c * t + start + w.index1[i]) * vm;
                int o = (c * outputLength + i) * vm;
                float l0 = w.lambda0[i];
                float l1 = w.lambda1[i];
                for (int k = 0; k < vm; k++) {
                    out[o + k] = mix(in[a + k], in[b + k], l0, l1);
                }
            }
        }
        return Clip.of(out, outputLength, clip.joints(), clip.persons());
    }
}
