package io.skeletonssl.eval.finetune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.eval.Encoders;
import io.skeletonssl.layout.SkeletonLayout;
import io.skeletonssl.methods.mamp.MampPretrainer;
import io.skeletonssl.methods.pcm3.Pcm3Downstream;
import io.skeletonssl.methods.pcm3.Pcm3Settings;
import io.skeletonssl.models.mamp.MampPresets;
import io.skeletonssl.transforms.Pipeline;
import io.skeletonssl.transforms.Transform;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/**
 * Opens the {@link TrainableEncoder} that {@code --checkpoint} names, resolved exactly as the
 * frozen encoders of {@link Encoders#open} (a run folder, a {@code checkpoint-E} folder or
 * {@code random} with {@code --preset}; same V/M checks and errors), with the method's train and
 * test clip transforms: MAMP the pretraining augmentation and the centre crop (§2.10: as the linear
 * probe), PCM3 the {@code finetune} section's crops (or the linear probe's when the config has no
 * {@code finetune} section) followed by the run's input stream.
 *
 * <p>MAMP's drop-path rate is {@code finetune.drop_path} (0 without a finetune section). A random
 * encoder is seeded with {@code pretrain.seed}, the weights a pretraining run of that config starts from.
 */
public final class TrainableEncoders {

    private TrainableEncoders() {
    }

    /** An open encoder with its resolved configuration; closing it frees the weights. */
    public record Loaded(TrainableEncoder encoder, ObjectNode config, Transform trainTransform, Transform testTransform)
            implements AutoCloseable {
        @Override
        public void close() {
            encoder.close();
        }
    }

    /**
     * @param randomInit build the checkpoint's model with random weights instead of loading them
     *                   (training from scratch with a run's architecture); {@code random} is always random
     */
    public static Loaded open(String checkpoint, String preset, List<String> sets, SkeletonLayout layout, int persons,
                              boolean randomInit, PrintStream log) throws IOException {
        return open(Encoders.resolve(checkpoint, preset, sets, layout, persons, log), layout, randomInit);
    }

    /** The encoder of an already resolved target. */
    public static Loaded open(Encoders.Target t, SkeletonLayout layout, boolean randomInit) throws IOException {
        ObjectNode tree = t.config();
        boolean random = randomInit || t.isRandom();
        TrainableEncoder enc;
        if (t.method().equals("pcm3")) {
            Pcm3Settings s = Pcm3Downstream.settings(tree);
            long seed = s.pretrain().seed();
            enc = random ? Pcm3TrainableEncoder.random(s.modelConfig(), s.data().frames(), seed)
                    : Pcm3TrainableEncoder.load(t.checkpoint(), s.modelConfig(), s.data().frames());
        } else {
            var settings = MampPresets.settings(tree);
            var cfg = settings.modelConfig();
            long seed = settings.pretrain().seed();
            double dropPath = tree.has("finetune") ? ((MampFinetuneSettings) FinetuneRecipe.of(tree)).dropPath() : 0;
            enc = random ? MampTrainableEncoder.random(cfg, dropPath, seed)
                    : MampTrainableEncoder.load(t.checkpoint(), cfg, dropPath);
        }
        try {
            Transform[] tf = transforms(tree, layout);
            return new Loaded(enc, tree, tf[0], tf[1]);
        } catch (RuntimeException e) {
            enc.close();
            throw e;
        }
    }

    /** {train, test} clip transforms of a resolved tree. */
    static Transform[] transforms(JsonNode tree, SkeletonLayout layout) {
        if (tree.path("method").asText().equals("pcm3")) {
            Pcm3Settings s = Pcm3Downstream.settings(tree);
            if (tree.get("finetune") == null) {
                return new Transform[] {Pcm3Downstream.train(s, layout), Pcm3Downstream.test(s, layout)};
            }
            Pcm3FinetuneSettings ft = (Pcm3FinetuneSettings) FinetuneRecipe.of(tree);
            int frames = s.data().frames();
            Pipeline train = Pipeline.pcm3Train(ft.cropMin(), ft.cropMax(), ft.minFrames(), frames);
            Pipeline test = Pipeline.pcm3Test(ft.testCrop(), frames);
            return new Transform[] {Pcm3Downstream.withStream(train, s, layout), Pcm3Downstream.withStream(test, s, layout)};
        }
        return new Transform[] {MampPretrainer.trainPipeline(tree), MampPretrainer.testPipeline(tree)};
    }
}
