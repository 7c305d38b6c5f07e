package io.skeletonssl.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.api.SequenceEncoder;
import io.skeletonssl.methods.mamp.MampEncoder;
import io.skeletonssl.methods.mamp.MampPretrainer;
import io.skeletonssl.training.ConfigTree;
import io.skeletonssl.training.RunCheckpoint;
import io.skeletonssl.transforms.Transform;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Opens the frozen encoder that {@code --checkpoint} names: a pretraining run folder (its newest
 * checkpoint), a {@code checkpoint-E} folder, or {@code random} (the seeded initial weights of
 * {@code --preset}), together with its resolved configuration and the method's train and test
 * transforms.
 */
public final class Encoders {

    public static final String RANDOM = "random";

    private Encoders() {
    }

    /** An open encoder; closing it frees the weights. */
    public record Loaded(SequenceEncoder encoder, ObjectNode config, Transform trainTransform, Transform testTransform)
            implements AutoCloseable {
        @Override
        public void close() {
            encoder.close();
        }
    }

    /**
     * For a dataset of V joints and M persons. A checkpoint's config must have the same V and M; a
     * random encoder adapts to them (as the pretrainer does). {@code sets} override config values;
     * {@code preset} is required for {@code random} and, with a checkpoint, supplies the
     * {@code linear_probe} section.
     */
    public static Loaded open(String checkpoint, String preset, List<String> sets, int joints, int persons,
                              PrintStream log) throws IOException {
        if (checkpoint == null || checkpoint.isBlank()) {
            throw new IllegalArgumentException("--checkpoint is required: a run folder, a checkpoint folder or 'random'");
        }
        if (checkpoint.equals(RANDOM)) {
            if (preset == null) {
                throw new IllegalArgumentException("--checkpoint random needs --preset (the model to initialise)");
            }
            ObjectNode tree = ConfigTree.resolve(preset, null, sets);
            requireMamp(tree, "preset " + preset);
            ObjectNode data = (ObjectNode) tree.path("data");
            if (data.path("joints").asInt() != joints || data.path("persons").asInt() != persons) {
                log.printf("adapting the model to the dataset: joints %d -> %d, persons %d -> %d%n",
                        data.path("joints").asInt(), joints, data.path("persons").asInt(), persons);
            }
            data.put("joints", joints);
            data.put("persons", persons);
            return loaded(MampEncoder.random(tree), tree);
        }
        RunCheckpoint rc = RunCheckpoint.locate(Path.of(checkpoint), null);
        ObjectNode tree = rc.config();
        if (preset != null) {
            tree.set("linear_probe", ConfigTree.preset(preset).path("linear_probe").deepCopy());
        }
        ProbeConfig.fillDefaults(tree); // configs written before these keys existed
        for (String s : sets) {
            ConfigTree.applySet(tree, s);
        }
        int v = tree.path("data").path("joints").asInt();
        int m = tree.path("data").path("persons").asInt();
        if (v != joints || m != persons) {
            throw new IllegalArgumentException("the dataset has V=" + joints + " joints and M=" + persons
                    + " persons, but the checkpoint " + rc.checkpoint().dir() + " was trained with V=" + v + ", M=" + m);
        }
        return load(rc, tree);
    }

    /** The encoder of a run folder or checkpoint folder ({@code epoch} null: the newest checkpoint). */
    public static Loaded fromRun(Path run, Integer epoch) throws IOException {
        RunCheckpoint rc = RunCheckpoint.locate(run, epoch);
        return load(rc, rc.config());
    }

    private static Loaded load(RunCheckpoint rc, ObjectNode tree) throws IOException {
        requireMamp(tree, rc.checkpoint().dir().toString());
        return loaded(MampEncoder.load(new RunCheckpoint(rc.checkpoint(), tree)), tree);
    }

    private static Loaded loaded(SequenceEncoder enc, ObjectNode tree) {
        return new Loaded(enc, tree, MampPretrainer.trainPipeline(tree), MampPretrainer.testPipeline(tree));
    }

    private static void requireMamp(ObjectNode tree, String where) {
        String method = tree.path("method").asText("");
        if (!method.equals("mamp")) {
            throw new IllegalArgumentException(where + ": method '" + method + "' has no encoder here (only mamp)");
        }
    }
}
