package io.skeletonssl.eval.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import io.skeletonssl.engine.Engines;
import io.skeletonssl.models.mamp.MampConfig;
import io.skeletonssl.models.mamp.MampModel;
import io.skeletonssl.training.RunCheckpoint;

import java.io.IOException;
import java.util.Map;
import java.util.Random;

/**
 * The MAMP encoder for fine-tuning (spec §2.10): all tokens, no masking, the configured drop-path
 * rate (linear per block, 0 for block 0). {@link #tokens} gives the final-LayerNorm output
 * (N, M, T/u, V, dim) that the MAMP fine-tune head reads; {@link #pooled} its mean over persons,
 * time tokens and joints (the linear probe's feature). Decoder parameters are neither loaded nor trained.
 */
public final class MampTrainableEncoder implements TrainableEncoder {

    private final NDManager manager;
    private final MampModel model;
    private final Map<String, Parameter> params;
    private final String source;

    private MampTrainableEncoder(NDManager manager, MampModel model, String source) {
        this.manager = manager;
        this.model = model;
        this.params = model.encoderParameters();
        this.source = source;
    }

    /** The encoder of a MAMP checkpoint, built with drop-path rate {@code dropPath}. */
    public static MampTrainableEncoder load(RunCheckpoint rc, MampConfig cfg, double dropPath) throws IOException {
        NDManager manager = Engines.cpu().newManager();
        try {
            MampModel model = new MampModel(cfg.withDropPath(dropPath));
            model.initializeSeeded(manager, 0); // every encoder value is overwritten below
            rc.checkpoint().loadInto(new PairList<>(model.encoderParameters()), true);
            return new MampTrainableEncoder(manager, model, rc.describe());
        } catch (RuntimeException | IOException e) {
            manager.close();
            throw e;
        }
    }

    /** A random-init encoder (the weights a pretraining run of this config with {@code seed} starts from). */
    public static MampTrainableEncoder random(MampConfig cfg, double dropPath, long seed) {
        NDManager manager = Engines.cpu().newManager();
        MampModel model = new MampModel(cfg.withDropPath(dropPath));
        model.initializeSeeded(manager, seed);
        return new MampTrainableEncoder(manager, model, "random init (seed " + seed + ")");
    }

    public MampConfig config() {
        return model.config();
    }

    /** Drop-path rate of each block. */
    public double[] dropPathRates() {
        return model.dropPathRates();
    }

    /** Final-LayerNorm tokens (N, M, T/u, V, dim). */
    public NDArray tokens(NDArray batch, boolean training, Random rng) {
        return model.forwardTokens(batch, training, rng);
    }

    @Override
    public NDArray pooled(NDArray batch, boolean training, Random rng) {
        NDArray f = tokens(batch, training, rng);
        return f.reshape(new Shape(f.getShape().get(0), -1, featureDim())).mean(new int[] {1});
    }

    @Override
    public String method() {
        return "mamp";
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public int frames() {
        return config().frames();
    }

    @Override
    public int joints() {
        return config().joints();
    }

    @Override
    public int persons() {
        return config().persons();
    }

    @Override
    public int featureDim() {
        return config().dim();
    }

    @Override
    public Map<String, Parameter> trainableParameters() {
        return params;
    }

    /** joints_embed, temp_embed, pos_embed → 0; blocks.i.* → i+1; the final norm → depth+1. */
    @Override
    public int layerOf(String name) {
        if (!params.containsKey(name)) {
            throw new IllegalArgumentException("no encoder parameter named " + name);
        }
        if (name.startsWith("joints_embed.") || name.equals("temp_embed") || name.equals("pos_embed")) {
            return 0;
        }
        if (name.startsWith("blocks.")) {
            int dot = name.indexOf('.', "blocks.".length());
            return Integer.parseInt(name.substring("blocks.".length(), dot)) + 1;
        }
        return numLayers();
    }

    /** depth + 1 (official 9). */
    @Override
    public int numLayers() {
        return config().depth() + 1;
    }

    @Override
    public NDManager manager() {
        return manager;
    }

    @Override
    public void close() {
        manager.close();
    }
}
