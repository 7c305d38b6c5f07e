package io.skeletonssl.methods.mamp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.engine.Engines;
import io.skeletonssl.engine.InPlace;
import io.skeletonssl.engine.MachineInfo;
import io.skeletonssl.formats.torch.TorchArchive;
import io.skeletonssl.formats.torch.TorchTensor;
import io.skeletonssl.io.AtomicDirectory;
import io.skeletonssl.models.mamp.MampConfig;
import io.skeletonssl.models.mamp.MampModel;
import io.skeletonssl.models.mamp.MampPresets;
import io.skeletonssl.report.CodeVersion;
import io.skeletonssl.training.ConfigTree;
import io.skeletonssl.training.FiniteWeights;
import io.skeletonssl.training.RunDirectory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * {@code import-checkpoint --from mamp-official}: turns an official MAMP PyTorch checkpoint into a
 * run folder that reads like a pretrain run (config.yaml, {@code checkpoint-E} with the model
 * parameters and no optimizer state, metrics.json, import-report.json).
 *
 * <p>Names are the official ones on both sides; the joint embedding, a Conv2d weight (dim, 3, u, 1)
 * in the file, becomes our Linear (dim, 3·u) by {@link MampModel#fromConvWeight}. The model
 * configuration is {@code --preset} (+ {@code --config}, {@code --set}) when a preset is given, and
 * otherwise inferred: the preset of the checkpoint's decoder depth, overridden by the saved
 * arguments, then by the tensor shapes, then by {@code --config}/{@code --set}. Every tensor's shape
 * is checked against the model built from that configuration before anything is written.
 * Model parameters absent from the file keep their seeded initialisation and are reported; a tensor
 * holding NaN or ±Inf is refused, naming its key.
 */
public final class MampCheckpointImporter {

    public static final String SOURCE = "mamp-official";
    public static final String REPORT = "import-report.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code preset}, {@code configFile} may be null; {@code strict} fails on any missing or unexpected key. */
    public record Options(Path file, Path out, String preset, Path configFile, List<String> sets, boolean strict) {
        public Options {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(out, "out");
            sets = sets == null ? List.of() : List.copyOf(sets);
        }
    }

    /** What was imported; {@code epoch} is null when the file held only a state dict. */
    public record Result(Path runDir, Integer epoch, int checkpointEpoch, String basePreset, MampConfig config,
                         List<String> imported, List<String> missing, List<String> unexpected) {
    }

    private final PrintStream log;

    public MampCheckpointImporter(PrintStream log) {
        this.log = log;
    }

    public Result run(Options o) throws IOException {
        Path out = o.out().toAbsolutePath().normalize();
        if (Files.exists(out) && !isEmptyDir(out)) {
            throw new FileAlreadyExistsException(out.toString(), null, "already exists; choose another --out");
        }
        try (TorchArchive archive = TorchArchive.open(o.file())) {
            OfficialCheckpoint ckpt = OfficialCheckpoint.of(archive.root(), o.file());
            Map<String, String> sources = new LinkedHashMap<>();
            String base = o.preset() != null ? o.preset() : ckpt.defaultPreset();
            ObjectNode tree = ConfigTree.preset(base);
            if (o.preset() == null) {
                ckpt.inferInto(tree, sources);
            }
            if (o.configFile() != null) {
                ConfigTree.mergeFile(tree, o.configFile());
            }
            for (String s : o.sets()) {
                ConfigTree.applySet(tree, s);
            }
            if (!"mamp".equals(tree.path("method").asText())) {
                throw new IllegalArgumentException("preset " + base + " is for method '" + tree.path("method").asText()
                        + "', not mamp");
            }
            MampConfig cfg;
            try {
                cfg = MampPresets.fromTree(tree);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("model configuration for " + o.file() + ": " + e.getMessage()
                        + " (state it with --preset/--set)", e);
            }
            return importInto(o, out, archive, ckpt, base, tree, cfg, sources);
        }
    }

    private Result importInto(Options o, Path out, TorchArchive archive, OfficialCheckpoint ckpt, String base,
                              ObjectNode tree, MampConfig cfg, Map<String, String> sources) throws IOException {
        String what = o.preset() != null ? "preset " + base + (o.sets().isEmpty() ? "" : " with " + o.sets())
                : "the configuration inferred from the checkpoint (base " + base + ")";
        long seed = tree.path("pretrain").path("seed").asLong();
        try (NDManager manager = Engines.cpu().newManager()) {
            MampModel model = new MampModel(cfg);
            model.initializeSeeded(manager, seed);
            Map<String, Parameter> params = model.namedParameters();
            List<String> imported = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                Object v = ckpt.stateDict().get(e.getKey());
                if (v == null) {
                    missing.add(e.getKey());
                    continue;
                }
                checkShape(o.file(), e.getKey(), v, e.getValue(), what);
                imported.add(e.getKey());
            }
            List<String> unexpected = new ArrayList<>(ckpt.stateDict().keySet());
            unexpected.removeAll(params.keySet());
            if (imported.isEmpty()) {
                throw new IOException(o.file() + ": none of the model's parameters is in the checkpoint (it has "
                        + ckpt.stateDict().keySet().stream().limit(8).toList() + (ckpt.stateDict().size() > 8 ? ", ..." : "")
                        + "); is it a MAMP checkpoint?");
            }
            if (o.strict() && (!missing.isEmpty() || !unexpected.isEmpty())) {
                throw new IllegalArgumentException(o.file() + ": --strict: missing " + missing + ", unexpected "
                        + unexpected);
            }
            for (String name : imported) {
                copy(manager, o.file(), (TorchTensor) ckpt.stateDict().get(name), name, params.get(name));
            }
            int epoch = ckpt.epoch() == null ? 0 : Math.max(0, ckpt.epoch());
            writeRun(o, out, ckpt, base, tree, sources, new PairList<>(params), seed, epoch, imported, missing,
                    unexpected);
            if (!missing.isEmpty()) {
                log.println("missing (kept their initial values): " + missing);
            }
            if (!unexpected.isEmpty()) {
                log.println("unexpected (not imported): " + unexpected);
            }
            return new Result(out, ckpt.epoch(), epoch, base, cfg, imported, missing, unexpected);
        }
    }

    /** The file's tensor must be floating and have the model's shape (the Conv2d layout for the embedding). */
    private static void checkShape(Path file, String name, Object value, Parameter p, String what) {
        if (!(value instanceof TorchTensor t)) {
            throw new IllegalArgumentException(file + ": state dict entry " + name + " is not a tensor");
        }
        if (!t.dtype().isFloating()) {
            throw new IllegalArgumentException(file + ": parameter " + name + " is " + t.dtype()
                    + ", expected a floating-point tensor");
        }
        long[] expected = p.getArray().getShape().getShape();
        if (name.equals(OfficialCheckpoint.EMBED)) {
            // ours (dim, 3·u) is the official Conv2d (dim, 3, u, 1) flattened
            expected = new long[] {expected[0], 3, expected[1] / 3, 1};
        }
        if (!Arrays.equals(expected, t.shape())) {
            throw new IllegalArgumentException(file + ": parameter " + name + " has shape " + new Shape(t.shape())
                    + " in the checkpoint, but " + what + " expects " + new Shape(expected)
                    + "; state the checkpoint's model with --preset and --set model.*=...");
        }
    }

    private static void copy(NDManager manager, Path file, TorchTensor t, String name, Parameter p)
            throws IOException {
        float[] values = t.toFloatArray();
        // refused here, before the run folder is written: an imported NaN would only show up as a 0% probe
        FiniteWeights.require(values, file + ": tensor '" + name + "'");
        if (name.equals(OfficialCheckpoint.EMBED)) {
            try (NDManager sub = manager.newSubManager()) {
                NDArray conv = sub.create(values, new Shape(t.shape()));
                values = MampModel.fromConvWeight(conv).toFloatArray();
            }
        }
        InPlace.overwrite(p.getArray(), values);
    }

    private void writeRun(Options o, Path out, OfficialCheckpoint ckpt, String base, ObjectNode tree,
                          Map<String, String> sources, PairList<String, Parameter> params, long seed, int epoch,
                          List<String> imported, List<String> missing, List<String> unexpected) throws IOException {
        String source = o.file().toAbsolutePath().normalize().toString();
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("imported_from", source);
        metrics.put("format", SOURCE);
        metrics.put("code_version", CodeVersion.current());
        metrics.put("environment", MachineInfo.current().toMap());
        metrics.put("epoch", ckpt.epoch());
        metrics.put("checkpoint", "checkpoint-" + epoch);
        metrics.put("missing", missing);
        metrics.put("unexpected", unexpected);
        Map<String, Object> report = new LinkedHashMap<>(metrics);
        report.put("base_preset", base);
        report.put("config_from", o.preset() != null ? "preset" : "inferred");
        report.put("inferred", sources);
        report.put("imported", imported);
        Map<String, Object> shapes = new LinkedHashMap<>();
        for (String u : unexpected) {
            Object v = ckpt.stateDict().get(u);
            shapes.put(u, v instanceof TorchTensor t ? t.shape() : String.valueOf(v));
        }
        report.put("unexpected_shapes", shapes);
        report.put("not_imported_entries", ckpt.ignored());
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("method", "mamp");
        extra.put("imported_from", source);
        extra.put("format", SOURCE);
        // built beside the target and renamed into place: never a half-written run folder
        try (AtomicDirectory dir = AtomicDirectory.create(out, true)) {
            RunDirectory run = RunDirectory.open(dir.temp());
            run.writeConfig(tree);
            run.saveCheckpoint(epoch, 0, seed, params, null, tree, extra, 0, epoch + 1);
            run.writeMetricsJson(metrics);
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.temp().resolve(REPORT).toFile(), report);
            dir.commit();
        }
    }

    private static boolean isEmptyDir(Path p) throws IOException {
        if (!Files.isDirectory(p)) {
            return false;
        }
        try (Stream<Path> s = Files.list(p)) {
            return s.findAny().isEmpty();
        }
    }
}
