package io.skeletonssl.methods.mamp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.util.PairList;
import com.fasterxml.jackson.databind.JsonNode;
import io.skeletonssl.api.ChunkedSequenceEncoder;
import io.skeletonssl.engine.Engines;
import io.skeletonssl.engine.ScaledDotProduct;
import io.skeletonssl.models.mamp.MampConfig;
import io.skeletonssl.models.mamp.MampModel;
import io.skeletonssl.models.mamp.MampPresets;
import io.skeletonssl.models.mamp.MampSettings;
import io.skeletonssl.training.RunCheckpoint;

import java.io.IOException;

/**
 * The frozen MAMP encoder (spec §2.9): all tokens, no masking, eval mode; the feature of a clip is
 * {@link MampModel#pooledFeature}, the final-LayerNorm output averaged over persons, time tokens
 * and joints ({@code model.feature_pooling: mean}, the official protocol), or with {@code time}
 * {@link MampModel#timePooledFeature}, one such mean per time token, concatenated in time order. Built from a checkpoint (encoder parameters only; decoder entries are ignored) or as
 * the seeded random initialisation a pretraining run with the same config starts from.
 */
public final class MampEncoder extends ChunkedSequenceEncoder {

    /**
     * Bytes of attention scores (explicit attention) or of MLP activations (fused attention, which
     * holds no scores) allowed per forward pass: bounds memory for the 750-token official model.
     */
    private static final long ACTIVATION_BYTES = 512L << 20;

    private final MampModel model;
    private final MampConfig cfg;
    private final MampSettings.FeaturePooling pooling;

    private MampEncoder(NDManager manager, MampModel model, MampSettings.FeaturePooling pooling, String source) {
        super(manager, source, chunkOf(model.config()));
        this.model = model;
        this.cfg = model.config();
        this.pooling = pooling;
    }

    private static int chunkOf(MampConfig cfg) {
        long perClip = ScaledDotProduct.kernel() == ScaledDotProduct.Kernel.EXPLICIT
                ? 4L * cfg.persons() * cfg.heads() * (long) cfg.tokens() * cfg.tokens()
                : 4L * cfg.persons() * cfg.tokens() * (long) Math.round(cfg.dim() * cfg.mlpRatio());
        return (int) Math.max(1, Math.min(256, ACTIVATION_BYTES / perClip));
    }

    /** The encoder of a checkpoint; an error naming the key if a parameter is missing or has another shape. */
    public static MampEncoder load(RunCheckpoint rc) throws IOException {
        if (!rc.method().equals("mamp")) {
            throw new IllegalArgumentException(rc.checkpoint().dir() + ": checkpoint of method '" + rc.method()
                    + "', not mamp");
        }
        MampSettings settings = MampPresets.settings(rc.config());
        MampConfig cfg = settings.modelConfig();
        NDManager manager = Engines.cpu().newManager();
        try {
            MampModel model = new MampModel(cfg);
            model.initializeSeeded(manager, 0); // every encoder value is overwritten below
            rc.checkpoint().loadInto(new PairList<>(model.encoderParameters()), true);
            return new MampEncoder(manager, model, settings.model().pooling(), rc.describe());
        } catch (RuntimeException | IOException e) {
            manager.close();
            throw e;
        }
    }

    /** A random-init encoder: the weights a pretraining run of this config starts from ({@code pretrain.seed}). */
    public static MampEncoder random(JsonNode tree) {
        var settings = MampPresets.settings(tree);
        MampConfig cfg = settings.modelConfig();
        long seed = settings.pretrain().seed();
        NDManager manager = Engines.cpu().newManager();
        MampModel model = new MampModel(cfg);
        model.initializeSeeded(manager, seed);
        return new MampEncoder(manager, model, settings.model().pooling(), "random init (seed " + seed + ")");
    }

    @Override
    public String method() {
        return "mamp";
    }

    @Override
    public int frames() {
        return cfg.frames();
    }

    @Override
    public int joints() {
        return cfg.joints();
    }

    @Override
    public int persons() {
        return cfg.persons();
    }

    @Override
    public int featureDim() {
        return pooling == MampSettings.FeaturePooling.TIME ? cfg.timeTokens() * cfg.dim() : cfg.dim();
    }

    public MampConfig config() {
        return cfg;
    }

    @Override
    protected NDArray features(NDArray x) {
        return pooling == MampSettings.FeaturePooling.TIME ? model.timePooledFeature(x) : model.pooledFeature(x);
    }
}
