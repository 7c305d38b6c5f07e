package io.skeletonssl.methods.mamp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.PairList;
import com.fasterxml.jackson.databind.JsonNode;
import io.skeletonssl.api.SequenceEncoder;
import io.skeletonssl.engine.Engines;
import io.skeletonssl.engine.NoGradient;
import io.skeletonssl.models.mamp.MampConfig;
import io.skeletonssl.models.mamp.MampModel;
import io.skeletonssl.models.mamp.MampPresets;
import io.skeletonssl.training.RunCheckpoint;

import java.io.IOException;
import java.util.Arrays;

/**
 * The frozen MAMP encoder (spec §2.9): all tokens, no masking, eval mode; the feature of a clip is
 * {@link MampModel#pooledFeature}, the final-LayerNorm output averaged over persons, time tokens
 * and joints. Built from a checkpoint (encoder parameters only; decoder entries are ignored) or as
 * the seeded random initialisation a pretraining run with the same config starts from.
 */
public final class MampEncoder implements SequenceEncoder {

    /** Bytes of attention scores allowed per forward pass: bounds memory for the 750-token official model. */
    private static final long ATTENTION_BYTES = 512L << 20;

    private final NDManager manager;
    private final MampModel model;
    private final MampConfig cfg;
    private final String source;
    private final int chunk;

    private MampEncoder(NDManager manager, MampModel model, String source) {
        this.manager = manager;
        this.model = model;
        this.cfg = model.config();
        this.source = source;
        long perClip = 4L * cfg.persons() * cfg.heads() * (long) cfg.tokens() * cfg.tokens();
        this.chunk = (int) Math.max(1, Math.min(256, ATTENTION_BYTES / perClip));
    }

    /** The encoder of a checkpoint; an error naming the key if a parameter is missing or has another shape. */
    public static MampEncoder load(RunCheckpoint rc) throws IOException {
        if (!rc.method().equals("mamp")) {
            throw new IllegalArgumentException(rc.checkpoint().dir() + ": checkpoint of method '" + rc.method()
                    + "', not mamp");
        }
        MampConfig cfg = MampPresets.fromTree(rc.config());
        NDManager manager = Engines.cpu().newManager();
        try {
            MampModel model = new MampModel(cfg);
            model.initializeSeeded(manager, 0); // every encoder value is overwritten below
            rc.checkpoint().loadInto(new PairList<>(model.encoderParameters()), true);
            return new MampEncoder(manager, model, rc.describe());
        } catch (RuntimeException | IOException e) {
            manager.close();
            throw e;
        }
    }

    /** A random-init encoder: the weights a pretraining run of this config starts from ({@code pretrain.seed}). */
    public static MampEncoder random(JsonNode tree) {
        MampConfig cfg = MampPresets.fromTree(tree);
        long seed = tree.path("pretrain").path("seed").asLong(0);
        NDManager manager = Engines.cpu().newManager();
        MampModel model = new MampModel(cfg);
        model.initializeSeeded(manager, seed);
        return new MampEncoder(manager, model, "random init (seed " + seed + ")");
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
        return cfg.dim();
    }

    @Override
    public String source() {
        return source;
    }

    public MampConfig config() {
        return cfg;
    }

    @Override
    public float[][] encode(float[] batch, int n) {
        int size = clipSize();
        if (n < 0 || (long) n * size != batch.length) {
            throw new IllegalArgumentException("expected " + n + " clips of (3, " + frames() + ", " + joints() + ", "
                    + persons() + ") = " + (long) n * size + " values, got " + batch.length);
        }
        float[][] out = new float[n][];
        int dim = featureDim();
        for (int from = 0; from < n; from += chunk) {
            int k = Math.min(chunk, n - from);
            float[] part = k == n ? batch : Arrays.copyOfRange(batch, from * size, (from + k) * size);
            float[] f;
            try (NoGradient ignored = NoGradient.enter(); NDManager m = manager.newSubManager();
                 NDScope scope = new NDScope()) {
                NDArray x = m.create(part, new Shape(k, 3, frames(), joints(), persons()));
                f = model.pooledFeature(x).toFloatArray();
            }
            for (int i = 0; i < k; i++) {
                out[from + i] = Arrays.copyOfRange(f, i * dim, (i + 1) * dim);
            }
        }
        return out;
    }

    /** Arrays held by the encoder's manager (the weights): constant across {@link #encode} calls. */
    long managedArrays() {
        return manager.getManagedArrays().size();
    }

    @Override
    public void close() {
        manager.close();
    }
}
