package io.skeletonssl.methods.pcm3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import com.fasterxml.jackson.databind.JsonNode;
import io.skeletonssl.api.ChunkedSequenceEncoder;
import io.skeletonssl.engine.Engines;
import io.skeletonssl.models.pcm3.Pcm3Config;
import io.skeletonssl.models.pcm3.Pcm3Encoder;
import io.skeletonssl.training.Checkpoint;
import io.skeletonssl.training.RunCheckpoint;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The frozen PCM3 encoder of the downstream protocols (§3.13): {@code input_norm} with its running
 * statistics (evaluation mode), the GRU in the configured mode, no prompts; the feature of a clip
 * is the layer-3 output at the last step, 2·hidden values. Built from a pretraining checkpoint
 * (the query encoder, {@code encoder_q.*}, without its projector {@code fc}; every other entry is
 * ignored) or as a seeded random initialisation.
 */
public final class Pcm3FrozenEncoder extends ChunkedSequenceEncoder {

    /** Prefix of the query encoder's parameters in a pretraining checkpoint. */
    public static final String PREFIX = "encoder_q.";
    /** Clips per forward pass: the GRU keeps a few (T, 2H) activations per clip, small next to MAMP's attention. */
    private static final int CHUNK = 128;

    private final Pcm3Encoder encoder;
    private final Pcm3Config cfg;
    private final int frames;

    private Pcm3FrozenEncoder(NDManager manager, Pcm3Encoder encoder, int frames, String source) {
        super(manager, source, CHUNK);
        this.encoder = encoder;
        this.cfg = encoder.config();
        this.frames = frames;
    }

    /**
     * The query encoder of a PCM3 checkpoint. A missing {@code encoder_q.} input-norm or GRU
     * entry, or one of another shape, is an error naming it and the checkpoint.
     */
    public static Pcm3FrozenEncoder load(RunCheckpoint rc) throws IOException {
        if (!rc.method().equals("pcm3")) {
            throw new IllegalArgumentException(rc.checkpoint().dir() + ": checkpoint of method '" + rc.method()
                    + "', not pcm3");
        }
        Pcm3Settings s = Pcm3Downstream.settings(rc.config());
        NDManager manager = Engines.cpu().newManager();
        try {
            Pcm3Encoder encoder = new Pcm3Encoder(s.modelConfig());
            encoder.initializeSeeded(manager, 0); // every value used is overwritten below
            PairList<String, Parameter> wanted = frozenParameters(encoder);
            requirePresent(rc.checkpoint(), wanted.keys());
            rc.checkpoint().loadInto(wanted, true);
            return new Pcm3FrozenEncoder(manager, encoder, s.data().frames(), rc.describe());
        } catch (RuntimeException | IOException e) {
            manager.close();
            throw e;
        }
    }

    /** A random-init encoder of this configuration, seeded with {@code pretrain.seed}. */
    public static Pcm3FrozenEncoder random(JsonNode tree) {
        Pcm3Settings s = Pcm3Downstream.settings(tree);
        long seed = s.pretrain().seed();
        NDManager manager = Engines.cpu().newManager();
        Pcm3Encoder encoder = new Pcm3Encoder(s.modelConfig());
        encoder.initializeSeeded(manager, seed);
        return new Pcm3FrozenEncoder(manager, encoder, s.data().frames(), "random init (seed " + seed + ")");
    }

    /**
     * The checkpoint names ({@code encoder_q.} + the encoder's own) of what the downstream model
     * uses: the input norm (weights and running statistics) and the GRU; the projector is dropped.
     */
    public static PairList<String, Parameter> frozenParameters(Pcm3Encoder encoder) {
        PairList<String, Parameter> out = new PairList<>();
        for (Map.Entry<String, Parameter> e : encoder.namedParameters().entrySet()) {
            if (!e.getKey().startsWith("fc.")) {
                out.add(PREFIX + e.getKey(), e.getValue());
            }
        }
        return out;
    }

    private static void requirePresent(Checkpoint c, List<String> names) {
        Map<String, long[]> saved = c.parameterShapes();
        List<String> missing = names.stream().filter(n -> !saved.containsKey(n)).toList();
        if (!missing.isEmpty()) {
            long queryEntries = saved.keySet().stream().filter(k -> k.startsWith(PREFIX)).count();
            throw new IllegalArgumentException("checkpoint " + c.dir() + ": missing PCM3 query-encoder parameter(s) "
                    + missing + " (it has " + queryEntries + " '" + PREFIX + "' entries; a PCM3 pretraining checkpoint"
                    + " holds the input norm and GRU of the query encoder under that prefix)");
        }
    }

    @Override
    protected NDArray features(NDArray x) {
        return encoder.feature(x, false);
    }

    @Override
    public String method() {
        return "pcm3";
    }

    @Override
    public int frames() {
        return frames;
    }

    @Override
    public int joints() {
        return cfg.joints();
    }

    @Override
    public int persons() {
        return cfg.persons();
    }

    /** 2·hidden: both directions of the last GRU layer. */
    @Override
    public int featureDim() {
        return cfg.featureDim();
    }

    public Pcm3Config config() {
        return cfg;
    }
}
