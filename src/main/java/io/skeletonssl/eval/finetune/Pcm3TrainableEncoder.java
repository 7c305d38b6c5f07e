package io.skeletonssl.eval.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import io.skeletonssl.engine.Engines;
import io.skeletonssl.methods.pcm3.Pcm3FrozenEncoder;
import io.skeletonssl.models.pcm3.Pcm3Config;
import io.skeletonssl.models.pcm3.Pcm3Encoder;
import io.skeletonssl.training.RunCheckpoint;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The PCM3 query encoder for fine-tuning (§3.13, CMD's semi-supervised recipe: the whole network
 * in train mode): input BatchNorm (batch statistics in training, updating its running ones) and
 * GRU, no prompts, no projector; the feature is the layer-3 output at the last step, as for the
 * frozen encoder. Trainable: input-norm weight/bias and the GRU; the projector {@code fc} is
 * neither loaded nor trained. No layers for layer-wise decay (every parameter is layer
 * {@link #numLayers()}).
 */
public final class Pcm3TrainableEncoder implements TrainableEncoder {

    private final NDManager manager;
    private final Pcm3Encoder encoder;
    private final int frames;
    private final Map<String, Parameter> params;
    private final String source;

    private Pcm3TrainableEncoder(NDManager manager, Pcm3Encoder encoder, int frames, String source) {
        this.manager = manager;
        this.encoder = encoder;
        this.frames = frames;
        this.source = source;
        Map<String, Parameter> p = new LinkedHashMap<>();
        encoder.namedParameters().forEach((n, v) -> {
            if (!n.startsWith("fc.") && v.requiresGradient()) {
                p.put(n, v);
            }
        });
        this.params = Collections.unmodifiableMap(p);
    }

    /** The query encoder ({@code encoder_q.*}, input norm with running statistics and GRU) of a PCM3 checkpoint. */
    public static Pcm3TrainableEncoder load(RunCheckpoint rc, Pcm3Config cfg, int frames) throws IOException {
        NDManager manager = Engines.cpu().newManager();
        try {
            Pcm3Encoder encoder = new Pcm3Encoder(cfg);
            encoder.initializeSeeded(manager, 0); // every value used is overwritten below
            rc.checkpoint().loadInto(Pcm3FrozenEncoder.frozenParameters(encoder), true);
            return new Pcm3TrainableEncoder(manager, encoder, frames, rc.describe());
        } catch (RuntimeException | IOException e) {
            manager.close();
            throw e;
        }
    }

    public static Pcm3TrainableEncoder random(Pcm3Config cfg, int frames, long seed) {
        NDManager manager = Engines.cpu().newManager();
        Pcm3Encoder encoder = new Pcm3Encoder(cfg);
        encoder.initializeSeeded(manager, seed);
        return new Pcm3TrainableEncoder(manager, encoder, frames, "random init (seed " + seed + ")");
    }

    public Pcm3Config config() {
        return encoder.config();
    }

    @Override
    public NDArray pooled(NDArray batch, boolean training, Random rng) {
        return encoder.feature(batch, training);
    }

    @Override
    public String method() {
        return "pcm3";
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public int frames() {
        return frames;
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
        return config().featureDim();
    }

    @Override
    public Map<String, Parameter> trainableParameters() {
        return params;
    }

    @Override
    public int layerOf(String parameterName) {
        if (!params.containsKey(parameterName)) {
            throw new IllegalArgumentException("no trainable encoder parameter named " + parameterName);
        }
        return numLayers();
    }

    @Override
    public int numLayers() {
        return 1;
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
