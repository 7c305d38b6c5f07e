package io.skeletonssl.models.pcm3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.skeletonssl.models.blocks.Dense;
import io.skeletonssl.models.blocks.InitRule;
import io.skeletonssl.models.blocks.SeededBlock;

import java.util.Map;

/**
 * The PCM3 "Bi-GRU" encoder with its pretraining projector (§3.3): frame vectors (order of
 * {@link FrameLayout}) → {@code input_norm} BatchNorm over batch × time → 3-layer GRU with two
 * directions ({@link Pcm3Config.GruMode}) → layer-3 output; the sequence feature is its last step
 * (N, 2H). {@code fc}: Linear(2H, ph) → ReLU → Linear(ph, out).
 *
 * <p>Init as the released code: GRU weight matrices xavier_uniform over the whole (3H, in) matrix,
 * GRU biases U(±1/sqrt(H)); {@code fc.2} (the original Linear(2048, 128)) xavier_uniform weight and
 * PyTorch-default bias; {@code fc.0}, created after that init, PyTorch default. Call
 * {@link #initializeSeeded} before use. Results live in the input's manager.
 */
public final class Pcm3Encoder extends SeededBlock {

    private final Pcm3Config cfg;
    private final FrameLayout layout;
    private final AffineBatchNorm inputNorm;
    private final GruStack gru;
    private final Dense fc0;
    private final Dense fc2;

    public Pcm3Encoder(Pcm3Config cfg) {
        this.cfg = cfg;
        this.layout = new FrameLayout(cfg.joints(), cfg.persons());
        int h = cfg.hidden();
        inputNorm = child("input_norm", new AffineBatchNorm(cfg.channels()));
        gru = child("gru", new GruStack(cfg.channels(), h, cfg.layers(), Pcm3Config.DIRECTIONS,
                InitRule.of(InitRule.Kind.XAVIER_UNIFORM), InitRule.torchDefault(h)));
        Sequential fc = child("fc", new Sequential());
        fc0 = fc.at(0, Dense.torchDefault(cfg.featureDim(), cfg.projectorHidden(), cfg.featureDim()));
        fc2 = fc.at(2, new Dense(cfg.projectorHidden(), cfg.projectorOut(), InitRule.of(InitRule.Kind.XAVIER_UNIFORM),
                InitRule.torchDefault(cfg.projectorHidden())));
    }

    public Pcm3Config config() {
        return cfg;
    }

    /** The input BatchNorm (its running statistics are buffers, not trained). */
    public AffineBatchNorm inputNorm() {
        return inputNorm;
    }

    GruStack gru() {
        return gru;
    }

    public FrameLayout layout() {
        return layout;
    }

    /** (N, 3, T, V, M) → (N, T, 3·V·M). */
    public NDArray flatten(NDArray clip) {
        return layout.flatten(clip);
    }

    /** Input BatchNorm over batch × time on frame vectors (N, T, 3·V·M). */
    public NDArray normalize(NDArray frames, boolean training) {
        Shape s = frames.getShape();
        if (s.dimension() != 3 || s.get(2) != cfg.channels()) {
            throw new IllegalArgumentException("PCM3 encoder expects frame vectors (N, T, " + cfg.channels()
                    + "), got " + s);
        }
        return inputNorm.forward(frames.reshape(new Shape(-1, cfg.channels())), training).reshape(s);
    }

    /** The GRU alone on normalised frame vectors: (N, T, 3·V·M) → (N, T, 2H), in the configured mode. */
    public NDArray recurrent(NDArray normalized, boolean training) {
        return cfg.gruMode() == Pcm3Config.GruMode.OFFICIAL
                ? gru.forwardEachDirectionForward(normalized, training)
                : gru.forward(normalized, training);
    }

    /** Every step's feature (the released {@code all_seq=True}): (N, 3, T, V, M) → (N, T, 2H). */
    public NDArray allSteps(NDArray clip, boolean training) {
        return recurrent(normalize(flatten(clip), training), training);
    }

    /** The sequence feature, layer-3 output at the last step: (N, 3, T, V, M) → (N, 2H). */
    public NDArray feature(NDArray clip, boolean training) {
        return lastStep(allSteps(clip, training));
    }

    /** (N, T, D) → (N, D) at t = T − 1. */
    public static NDArray lastStep(NDArray steps) {
        return steps.get(":, -1, :");
    }

    /** The projector on features (N, 2H) → (N, out). */
    public NDArray project(NDArray feature) {
        return fc2.forward(Activation.relu(fc0.forward(feature)));
    }

    // ---- parameters -----------------------------------------------------------------------

    /** Trained parameter counts by part: {@code input_norm}, {@code gru}, {@code fc}, {@code total}. */
    public Map<String, Long> parameterCounts() {
        return ParameterParts.count(this);
    }
}
