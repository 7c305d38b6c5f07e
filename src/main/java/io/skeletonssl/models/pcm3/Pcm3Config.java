package io.skeletonssl.models.pcm3;

/**
 * Sizes and the GRU mode of a PCM3 encoder and its masked-prediction decoder (official-code-facts
 * §3.3, §3.7, §3.12). Immutable; the frame count is not part of it because the GRU takes any length.
 *
 * @param joints joints V
 * @param persons persons M; each frame holds {@code 3·V·M} values ({@link #channels})
 * @param hidden GRU hidden size per direction (1024); the feature has {@code 2·hidden} channels
 * @param layers GRU layers (3)
 * @param gruMode how the second direction of every layer runs
 * @param projectorHidden hidden width of the projector (2048)
 * @param projectorOut projector output, the contrastive embedding (128)
 * @param decoderHidden width of the decoder's linear part and GRU (512)
 * @param decoderLayers layers of the decoder's unidirectional GRU (2)
 */
public record Pcm3Config(int joints, int persons, int hidden, int layers, GruMode gruMode,
                         int projectorHidden, int projectorOut, int decoderHidden, int decoderLayers) {

    /** How the second direction of each GRU layer runs. */
    public enum GruMode {
        /**
         * The released code (§3.3): the GRU is stepped one frame at a time, so both direction weight
         * sets of every layer run forward in time; a layer's output concatenates the two.
         */
        OFFICIAL,
        /** A true bidirectional GRU as the paper describes: the second direction runs from the last frame back. */
        BIDIRECTIONAL
    }

    /** Bidirectional GRU layers always have two directions. */
    public static final int DIRECTIONS = 2;

    public Pcm3Config {
        positive("joints", joints);
        positive("persons", persons);
        positive("hidden", hidden);
        positive("layers", layers);
        positive("projectorHidden", projectorHidden);
        positive("projectorOut", projectorOut);
        positive("decoderHidden", decoderHidden);
        positive("decoderLayers", decoderLayers);
        if (gruMode == null) {
            throw new IllegalArgumentException("gruMode must be set (OFFICIAL or BIDIRECTIONAL)");
        }
    }

    private static void positive(String name, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException("PCM3 " + name + " must be positive, got " + v);
        }
    }

    /** The official sizes (§3.3, §3.7) for a skeleton of {@code joints} × {@code persons}. */
    public static Pcm3Config official(int joints, int persons, GruMode mode) {
        return new Pcm3Config(joints, persons, 1024, 3, mode, 2048, 128, 512, 2);
    }

    /** NTU RGB+D: 25 joints, 2 persons, 150 values per frame. */
    public static Pcm3Config ntu(GruMode mode) {
        return official(25, 2, mode);
    }

    public Pcm3Config withGruMode(GruMode mode) {
        return new Pcm3Config(joints, persons, hidden, layers, mode, projectorHidden, projectorOut,
                decoderHidden, decoderLayers);
    }

    public Pcm3Config withSizes(int newHidden, int newLayers, int newProjectorHidden, int newProjectorOut,
            int newDecoderHidden, int newDecoderLayers) {
        return new Pcm3Config(joints, persons, newHidden, newLayers, gruMode, newProjectorHidden, newProjectorOut,
                newDecoderHidden, newDecoderLayers);
    }

    /** Values per frame, 3·V·M (150 for NTU). */
    public int channels() {
        return 3 * joints * persons;
    }

    /** Width of the sequence feature, both directions of the last layer (2048). */
    public int featureDim() {
        return DIRECTIONS * hidden;
    }

    // ---- parameter counts from the sizes alone (§3.12); the model's tests check them against its shapes ----

    /** The encoder GRU (44,998,656 for NTU). */
    public long gruParameterCount() {
        return GruStack.parameterCount(channels(), hidden, layers, DIRECTIONS);
    }

    /** The input BatchNorm's affine weight and bias (300 for NTU); running statistics are not trained. */
    public long inputNormParameterCount() {
        return 2L * channels();
    }

    /** Linear(2H, ph) → ReLU → Linear(ph, out). */
    public long projectorParameterCount() {
        return linear(featureDim(), projectorHidden) + linear(projectorHidden, projectorOut);
    }

    /** The pretraining encoder: input norm, GRU and projector (49,457,580 for NTU). */
    public long encoderParameterCount() {
        return inputNormParameterCount() + gruParameterCount() + projectorParameterCount();
    }

    /** The decoder's per-frame Linear → BatchNorm → ReLU → Linear part (1,312,768 for NTU). */
    public long decoderLinearParameterCount() {
        return linear(featureDim(), decoderHidden) + 2L * decoderHidden + linear(decoderHidden, decoderHidden);
    }

    /** The decoder's GRU and output Linear (3,228,822 for NTU). */
    public long decoderGruParameterCount() {
        return GruStack.parameterCount(decoderHidden, decoderHidden, decoderLayers, 1)
                + linear(decoderHidden, channels());
    }

    private static long linear(long in, long out) {
        return in * out + out;
    }
}
