package io.skeletonssl.methods.pcm3;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.models.pcm3.Pcm3Encoder;
import io.skeletonssl.training.ConfigTree;
import io.skeletonssl.training.RunDirectory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A PCM3 pretraining run folder as the pretrainer leaves it, built without pretraining: config.yaml
 * and a checkpoint holding the query encoder under {@code encoder_q.} next to entries evaluation
 * must ignore (a key encoder {@code encoder_k.*} of other values).
 */
public final class Pcm3RunFixture {

    /** A tiny PCM3 (GRU 2 × 8 per direction, 16-d feature) on 16-frame clips. */
    public static final List<String> TINY = List.of("model.hidden=8", "model.layers=2", "model.projector_hidden=16",
            "model.projector_out=8", "model.decoder_hidden=8", "model.decoder_layers=1", "data.frames=16",
            "linear_probe.min_frames=8", "linear_probe.batch_size=12");

    private Pcm3RunFixture() {
    }

    /** The resolved pcm3-small tree with {@link #TINY} and {@code more} applied. */
    public static ObjectNode tinyTree(String... more) throws Exception {
        List<String> sets = new ArrayList<>(TINY);
        sets.addAll(List.of(more));
        return ConfigTree.resolve("pcm3-small", null, sets);
    }

    /** An encoder of {@code tree} seeded with {@code seed}, with input-norm running statistics far from (0, 1). */
    public static Pcm3Encoder trainedLike(ObjectNode tree, NDManager manager, long seed) {
        Pcm3Encoder enc = new Pcm3Encoder(Pcm3Presets.fromTree(tree).modelConfig());
        enc.initializeSeeded(manager, seed);
        int c = enc.config().channels();
        float[] mean = new float[c];
        float[] var = new float[c];
        Random r = new Random(seed);
        for (int i = 0; i < c; i++) {
            mean[i] = (float) (0.5 + r.nextGaussian());
            var[i] = (float) (0.2 + 3 * r.nextDouble());
        }
        enc.inputNorm().runningMean().getArray().set(mean);
        enc.inputNorm().runningVar().getArray().set(var);
        return enc;
    }

    /**
     * Writes run folder {@code dir}: config.yaml ({@code tree} with {@code data.path} = {@code data})
     * and checkpoint {@code epoch} of {@code query} as {@code encoder_q.*} plus a differently seeded
     * {@code encoder_k.*}.
     */
    public static Path writeRun(Path dir, ObjectNode tree, Path data, Pcm3Encoder query, int epoch,
                                NDManager manager) throws Exception {
        ObjectNode cfg = tree.deepCopy();
        cfg.with("data").put("path", data.toAbsolutePath().normalize().toString());
        Pcm3Encoder key = new Pcm3Encoder(query.config());
        key.initializeSeeded(manager, 99);
        PairList<String, Parameter> params = new PairList<>();
        for (Map.Entry<String, Parameter> e : query.namedParameters().entrySet()) {
            params.add("encoder_q." + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Parameter> e : key.namedParameters().entrySet()) {
            params.add("encoder_k." + e.getKey(), e.getValue());
        }
        RunDirectory run = RunDirectory.open(dir);
        run.writeConfig(cfg);
        run.saveCheckpoint(epoch, 10L * (epoch + 1), 0, params, null, cfg, Map.of(), 0, epoch + 1);
        return dir;
    }
}
