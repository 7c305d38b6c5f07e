package io.skeletonssl.models.pcm3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.skeletonssl.models.blocks.Dense;
import io.skeletonssl.models.blocks.SeededBlock;

import java.util.Map;

/**
 * The masked-prediction decoder (§3.7): per-frame {@code linear} = Linear(2H, D) → BatchNorm1d(D) over
 * the N·T rows → ReLU → Linear(D, D), then {@code dec}: a unidirectional GRU(D, D, layers) over the whole
 * sequence and Linear(D, 3·V·M) per frame. The output is in the {@link FrameLayout} order. PyTorch
 * default init throughout. Call {@link #initializeSeeded} before use.
 */
public final class Pcm3Decoder extends SeededBlock {

    private final Pcm3Config cfg;
    private final Dense linear0;
    private final AffineBatchNorm linear1;
    private final Dense linear3;
    private final GruStack gru;
    private final Dense out;

    public Pcm3Decoder(Pcm3Config cfg) {
        this.cfg = cfg;
        int f = cfg.featureDim();
        int d = cfg.decoderHidden();
        Sequential linear = child("linear", new Sequential());
        linear0 = linear.at(0, Dense.torchDefault(f, d, f));
        linear1 = linear.at(1, new AffineBatchNorm(d));
        linear3 = linear.at(3, Dense.torchDefault(d, d, d));
        Sequential dec = child("dec", new Sequential());
        gru = dec.at(0, GruStack.torchDefault(d, d, cfg.decoderLayers(), 1));
        out = dec.at(1, Dense.torchDefault(d, cfg.channels(), d));
    }

    /** Per-frame features (N, T, 2H) → reconstruction (N, T, 3·V·M). */
    public NDArray forward(NDArray features, boolean training) {
        return forward(features, null, training);
    }

    /**
     * As {@link #forward(NDArray, boolean)} with a constant feature row {@code prompt} (1, 2H) added
     * to every frame AFTER the BatchNorm has taken its statistics, so that the normalisation does not
     * subtract it again (the "effective" task-prompt placement; null for none).
     */
    public NDArray forward(NDArray features, NDArray prompt, boolean training) {
        Shape s = features.getShape();
        if (s.dimension() != 3 || s.get(2) != cfg.featureDim()) {
            throw new IllegalArgumentException("PCM3 decoder expects per-frame features (N, T, " + cfg.featureDim()
                    + "), got " + s);
        }
        NDArray rows = features.reshape(new Shape(-1, cfg.featureDim()));
        NDArray hidden = linear0.forward(rows);
        NDArray normalized = linear1.forward(hidden, training);
        if (prompt != null) {
            normalized = normalized.add(linear1.shiftOf(hidden, prompt.matMul(linear0.weight().getArray().transpose()), training));
        }
        NDArray y = linear3.forward(Activation.relu(normalized));
        NDArray seq = gru.forward(y.reshape(new Shape(s.get(0), s.get(1), cfg.decoderHidden())), training);
        return out.forward(seq);
    }

    /** Trained parameter counts: {@code linear} (with its BatchNorm), {@code dec} (GRU and output), {@code total}. */
    public Map<String, Long> parameterCounts() {
        return ParameterParts.count(this);
    }
}
