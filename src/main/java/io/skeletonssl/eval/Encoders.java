package io.skeletonssl.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.api.SequenceEncoder;
import io.skeletonssl.dataset.SkeletonDataset;
import io.skeletonssl.layout.SkeletonLayout;
import io.skeletonssl.methods.mamp.MampEncoder;
import io.skeletonssl.methods.mamp.MampPretrainer;
import io.skeletonssl.methods.pcm3.Pcm3Downstream;
import io.skeletonssl.methods.pcm3.Pcm3FrozenEncoder;
import io.skeletonssl.methods.pcm3.Pcm3Settings;
import io.skeletonssl.training.ConfigTree;
import io.skeletonssl.training.RunCheckpoint;
import io.skeletonssl.transforms.Transform;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Opens the frozen encoder that {@code --checkpoint} names: a pretraining run folder (its newest
 * checkpoint), a {@code checkpoint-E} folder, {@code random} (the seeded initial weights of
 * {@code --preset}) or a {@link Baseline} such as {@code raw} ({@link RawEncoder}), together with its
 * resolved configuration and the method's transforms. The
 * configuration's {@code method} chooses the encoder: {@code mamp} ({@link MampEncoder}) or
 * {@code pcm3} ({@link Pcm3FrozenEncoder}, fed the run's input stream).
 */
public final class Encoders {

    public static final String RANDOM = "random";
    /** Methods with a frozen encoder here. */
    public static final List<String> METHODS = List.of("mamp", "pcm3");

    /**
     * A frozen encoder without pretrained weights that {@code --checkpoint} names by a word. It is built
     * from {@code --preset}'s resolved configuration (V and M those of the dataset, the {@code --set}s
     * applied) and the {@code --set NAME.key=value} overrides of its own settings, and gives the inputs of
     * the configuration's method ({@link #withInputs}).
     */
    @FunctionalInterface
    public interface Baseline {
        Loaded open(ObjectNode config, List<String> ownSets, SkeletonLayout layout);
    }

    /** The baselines by name: registering one is one line here. */
    private static final Map<String, Baseline> BASELINES = Map.of(RawEncoder.NAME, RawEncoder::open);

    /** Whether {@code checkpoint} names an encoder by a word ({@code random}, a baseline) rather than a folder. */
    public static boolean isNamed(String checkpoint) {
        return RANDOM.equals(checkpoint) || BASELINES.containsKey(checkpoint);
    }

    private Encoders() {
    }

    /**
     * An open encoder; closing it frees the weights. {@code trainTransform} and
     * {@code testTransform} are the linear probe's; {@code retrievalTransform} is what KNN applies
     * to gallery and query clips alike.
     */
    public record Loaded(SequenceEncoder encoder, ObjectNode config, Transform trainTransform, Transform testTransform,
                         Transform retrievalTransform, double standardiseEps, Map<String, Object> metrics)
            implements AutoCloseable {

        /**
         * {@code standardiseEps}: eps of the BatchNorm1d(affine=False) that a linear head on these features
         * needs in front of its Linear layer when the recipe has none (NaN: the recipe's head as it is);
         * {@code metrics}: what metrics.json records about the encoder besides its method and feature size.
         */
        public Loaded {
            metrics = Map.copyOf(metrics);
        }

        /** A pretrained or random-init encoder: the recipe's own head, nothing more to record. */
        public Loaded(SequenceEncoder encoder, ObjectNode config, Transform trainTransform, Transform testTransform,
                      Transform retrievalTransform) {
            this(encoder, config, trainTransform, testTransform, retrievalTransform, Double.NaN, Map.of());
        }

        /** The linear-probe recipe of the configuration, with a standardising BatchNorm if the encoder needs one. */
        public ProbeRecipe probeRecipe() {
            ProbeRecipe r = ProbeRecipe.of(config);
            return Double.isNaN(standardiseEps) || r.hasBatchNorm() ? r : r.withBatchNorm(standardiseEps);
        }

        @Override
        public void close() {
            encoder.close();
        }
    }

    /**
     * For a dataset with skeleton {@code layout} and M {@code persons}. A checkpoint's config must
     * have the same V and M; a random encoder adapts to them (as the pretrainer does). {@code sets}
     * override config values; {@code preset} is required for {@code random} and, with a checkpoint,
     * supplies the evaluation sections ({@code linear_probe}, and {@code knn} where it has one).
     */
    public static Loaded open(String checkpoint, String preset, List<String> sets, SkeletonLayout layout, int persons,
                              PrintStream log) throws IOException {
        Baseline baseline = checkpoint == null ? null : BASELINES.get(checkpoint);
        if (baseline != null) {
            String own = checkpoint + ".";
            List<String> ownSets = sets.stream().filter(s -> s.startsWith(own)).toList();
            List<String> configSets = sets.stream().filter(s -> !s.startsWith(own)).toList();
            ObjectNode tree = presetConfig(checkpoint, preset, configSets, layout, persons, log);
            return baseline.open(tree, ownSets, layout);
        }
        Target t = resolve(checkpoint, preset, sets, layout, persons, log);
        if (t.checkpoint() == null) {
            SequenceEncoder enc = t.method().equals("pcm3") ? Pcm3FrozenEncoder.random(t.config())
                    : MampEncoder.random(t.config());
            return loaded(enc, t.config(), layout);
        }
        return load(t.checkpoint(), layout);
    }

    /**
     * What {@code --checkpoint} names, before any weights are read: the resolved configuration
     * (with {@code sets} applied) and the checkpoint, which is null for {@code random}.
     */
    public record Target(ObjectNode config, RunCheckpoint checkpoint, String method) {
        public boolean isRandom() {
            return checkpoint == null;
        }
    }

    /**
     * Resolves {@code --checkpoint} as {@link #open} does (same checks and errors) without loading
     * weights, for protocols that build their own model from the configuration (e.g. fine-tuning).
     * Evaluation sections a run's config lacks ({@code finetune}) come from the method's default
     * preset ({@link #defaultPresetOf}).
     */
    public static Target resolve(String checkpoint, String preset, List<String> sets, SkeletonLayout layout,
                                 int persons, PrintStream log) throws IOException {
        if (checkpoint == null || checkpoint.isBlank()) {
            throw new IllegalArgumentException("--checkpoint is required: a run folder, a checkpoint folder, 'random' or 'raw'");
        }
        if (BASELINES.containsKey(checkpoint)) {
            throw new IllegalArgumentException("--checkpoint " + checkpoint + " is a baseline of the frozen-encoder "
                    + "protocols (eval linear, knn and the others that only read features): it has no weights to "
                    + "fine-tune; for a model trained from scratch use --checkpoint random");
        }
        if (checkpoint.equals(RANDOM)) {
            ObjectNode tree = presetConfig(checkpoint, preset, sets, layout, persons, log);
            return new Target(tree, null, tree.path("method").asText());
        }
        int joints = layout.numJoints();
        RunCheckpoint rc = RunCheckpoint.locate(Path.of(checkpoint), null);
        ObjectNode tree = rc.config();
        String method = requireKnown(tree, rc.checkpoint().dir().toString());
        if (preset != null) {
            evaluationSectionsFrom(preset, method, tree);
        }
        ProbeConfig.fillDefaults(tree); // configs written before these keys existed
        fillMissingSections(tree, method);
        for (String s : sets) {
            ConfigTree.applySet(tree, s);
        }
        int v = tree.path("data").path("joints").asInt();
        int m = tree.path("data").path("persons").asInt();
        if (v != joints || m != persons) {
            throw new IllegalArgumentException("the dataset has V=" + joints + " joints and M=" + persons
                    + " persons, but the checkpoint " + rc.checkpoint().dir() + " was trained with V=" + v + ", M=" + m);
        }
        return new Target(tree, new RunCheckpoint(rc.checkpoint(), tree), method);
    }

    /**
     * {@code --preset}'s resolved configuration for an encoder without checkpoint ({@code what}: random
     * or a baseline): evaluation sections filled in, {@code sets} applied, V and M set to the dataset's.
     */
    private static ObjectNode presetConfig(String what, String preset, List<String> sets, SkeletonLayout layout,
                                           int persons, PrintStream log) throws IOException {
        if (preset == null) {
            throw new IllegalArgumentException("--checkpoint " + what + " needs --preset ("
                    + (what.equals(RANDOM) ? "the model to initialise" : "its probe and KNN settings and transforms")
                    + ")");
        }
        ObjectNode tree = ConfigTree.resolve(preset, null, List.of());
        String method = requireKnown(tree, "preset " + preset);
        // a run's config.yaml used as the preset may predate some evaluation sections
        ProbeConfig.fillDefaults(tree);
        fillMissingSections(tree, method);
        for (String s : sets) {
            ConfigTree.applySet(tree, s);
        }
        int joints = layout.numJoints();
        ObjectNode data = (ObjectNode) tree.path("data");
        if (what.equals(RANDOM) && (data.path("joints").asInt() != joints || data.path("persons").asInt() != persons)) {
            log.printf("adapting the model to the dataset: joints %d -> %d, persons %d -> %d%n",
                    data.path("joints").asInt(), joints, data.path("persons").asInt(), persons);
        }
        data.put("joints", joints);
        data.put("persons", persons);
        return tree;
    }

    /** Sections newer than some run configs, filled from {@link #defaultPresetOf} when absent. */
    private static final List<String> DEFAULTED_SECTIONS = List.of("finetune", "detection",
            "motion_prediction");

    private static void fillMissingSections(ObjectNode tree, String method) throws IOException {
        for (String section : DEFAULTED_SECTIONS) {
            if (!tree.has(section)) {
                JsonNode p = ConfigTree.preset(defaultPresetOf(tree, method));
                if (p.has(section)) {
                    tree.set(section, p.path(section).deepCopy());
                }
            }
        }
    }

    /**
     * The preset whose evaluation sections a run config without them gets: the official NTU-60
     * xsub preset of the method when the run has its input length, else the small CPU preset.
     */
    public static String defaultPresetOf(JsonNode tree, String method) throws IOException {
        String official = method + "-ntu60-xsub";
        int frames = ConfigTree.preset(official).path("data").path("frames").asInt();
        return tree.path("data").path("frames").asInt() == frames ? official : method + "-small";
    }

    /**
     * The encoder of a run folder or checkpoint folder ({@code epoch} null: the newest). A bone-stream
     * run takes its skeleton layout from the dataset its config names.
     */
    public static Loaded fromRun(Path run, Integer epoch) throws IOException {
        RunCheckpoint rc = RunCheckpoint.locate(run, epoch);
        requireKnown(rc.config(), rc.checkpoint().dir().toString());
        return load(rc, layoutOfRunData(rc.config()));
    }

    private static Loaded load(RunCheckpoint rc, SkeletonLayout layout) throws IOException {
        SequenceEncoder enc = rc.method().equals("pcm3") ? Pcm3FrozenEncoder.load(rc) : MampEncoder.load(rc);
        return loaded(enc, rc.config(), layout);
    }

    private static Loaded loaded(SequenceEncoder enc, ObjectNode tree, SkeletonLayout layout) {
        return withInputs(enc, tree, layout, Double.NaN, Map.of());
    }

    /**
     * {@code enc} with the probe and KNN transforms of the configuration's method (PCM3's downstream
     * crops, or MAMP's pretraining augmentation and test crop), each followed by the run's input stream;
     * {@code standardiseEps} and {@code metrics} as in {@link Loaded}. The encoder is closed on failure.
     */
    public static Loaded withInputs(SequenceEncoder enc, ObjectNode tree, SkeletonLayout layout, double standardiseEps,
                                    Map<String, Object> metrics) {
        try {
            if (tree.path("method").asText().equals("pcm3")) {
                Pcm3Settings s = Pcm3Downstream.settings(tree);
                return new Loaded(enc, tree, Pcm3Downstream.train(s, layout), Pcm3Downstream.test(s, layout),
                        Pcm3Downstream.retrieval(s, layout), standardiseEps, metrics);
            }
            Transform test = MampPretrainer.testPipeline(tree, layout);
            return new Loaded(enc, tree, MampPretrainer.trainPipeline(tree, layout), test, test, standardiseEps, metrics);
        } catch (RuntimeException e) {
            enc.close();
            throw e;
        }
    }

    /** Replaces the run's evaluation sections by the preset's, which must be of the same method. */
    private static void evaluationSectionsFrom(String preset, String method, ObjectNode tree) throws IOException {
        JsonNode p = ConfigTree.preset(preset);
        String presetMethod = p.path("method").asText("");
        if (!presetMethod.equals(method)) {
            throw new IllegalArgumentException("--preset " + preset + " is a " + presetMethod
                    + " preset but the checkpoint is " + method + "; name a " + method + " preset or none");
        }
        for (String section : List.of("linear_probe", "knn", "detection", "finetune", "motion_prediction")) {
            if (p.has(section)) {
                tree.set(section, p.path(section).deepCopy());
            }
        }
    }

    /** The layout of the dataset a run was trained on ({@code data.path}), or null if it cannot be read there. */
    private static SkeletonLayout layoutOfRunData(JsonNode tree) {
        String path = tree.path("data").path("path").asText("");
        if (path.isEmpty() || !Files.isDirectory(Path.of(path))) {
            return null;
        }
        try (SkeletonDataset ds = SkeletonDataset.open(Path.of(path))) {
            return ds.manifest().layout();
        } catch (Exception e) {
            return null; // only the bone stream needs it, and it says so
        }
    }

    private static String requireKnown(JsonNode tree, String where) {
        String method = tree.path("method").asText("");
        if (!METHODS.contains(method)) {
            throw new IllegalArgumentException(where + ": method '" + method + "' has no encoder here (only "
                    + String.join(", ", METHODS) + ")");
        }
        return method;
    }
}
