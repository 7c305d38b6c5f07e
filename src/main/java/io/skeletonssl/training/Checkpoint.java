package io.skeletonssl.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.engine.InPlace;
import io.skeletonssl.io.AtomicDirectory;
import io.skeletonssl.io.WriteFailure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A training checkpoint: a folder with {@code checkpoint.json} (epoch, global step, seed, extra
 * state such as RNG states, the resolved config, and an index of every tensor with its file and
 * shape) beside {@code params/*.npy} and {@code optimizer/*.npy} (float32, numpy-readable).
 * The folder is built under a temporary name and renamed into place, so a kill during a save leaves
 * the previous checkpoints intact; a folder without {@code checkpoint.json} is never a checkpoint.
 */
public final class Checkpoint {

    public static final String INDEX = "checkpoint.json";
    static final String FORMAT = "skeleton-ssl-checkpoint";
    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final JsonNode index;
    private final Map<String, Entry> parameters;
    private final Map<String, Entry> optimizer;

    private record Entry(String file, long[] shape) {
    }

    private Checkpoint(Path dir, JsonNode index) throws IOException {
        this.dir = dir;
        this.index = index;
        this.parameters = entries(index.path("parameters"), "parameters");
        this.optimizer = entries(index.path("optimizer").path("state"), "optimizer.state");
    }

    private Map<String, Entry> entries(JsonNode list, String what) throws IOException {
        if (!list.isArray()) {
            throw new IOException(dir.resolve(INDEX) + ": '" + what + "' must be a list");
        }
        Map<String, Entry> m = new LinkedHashMap<>();
        for (JsonNode e : list) {
            long[] shape = new long[e.path("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = e.path("shape").get(i).asLong();
            }
            if (!e.hasNonNull("name") || !e.hasNonNull("file")) {
                throw new IOException(dir.resolve(INDEX) + ": entry of '" + what + "' without name or file: " + e);
            }
            m.put(e.get("name").asText(), new Entry(e.get("file").asText(), shape));
        }
        return m;
    }

    /** Opens a complete checkpoint folder; a clear error if it is missing or incomplete. */
    public static Checkpoint open(Path dir) throws IOException {
        Path idx = dir.resolve(INDEX);
        if (!Files.isRegularFile(idx)) {
            throw new NoSuchFileException(dir.toString(), null, "not a checkpoint (no " + INDEX + ")");
        }
        JsonNode index;
        try {
            index = JSON.readTree(idx.toFile());
        } catch (IOException e) {
            throw new IOException(idx + ": unreadable checkpoint index: " + e.getMessage(), e);
        }
        if (!FORMAT.equals(index.path("format").asText()) || index.path("version").asInt() != VERSION) {
            throw new IOException(idx + ": not a " + FORMAT + " version " + VERSION + " index (format '"
                    + index.path("format").asText() + "', version " + index.path("version").asText() + ")");
        }
        return new Checkpoint(dir, index);
    }

    /**
     * Writes a checkpoint folder atomically at {@code target}. {@code optimizer} may be null (e.g. for
     * an imported or evaluation-only checkpoint); {@code config} and {@code extra} may be null.
     */
    public static Checkpoint write(Path target, int epoch, long globalStep, long seed,
                                   PairList<String, Parameter> params, ParamOptimizer optimizer,
                                   JsonNode config, Map<String, ?> extra) throws IOException {
        ObjectNode index = JSON.createObjectNode();
        index.put("format", FORMAT);
        index.put("version", VERSION);
        index.put("epoch", epoch);
        index.put("global_step", globalStep);
        index.put("seed", seed);
        index.set("extra", extra == null ? JSON.createObjectNode() : JSON.valueToTree(extra));
        index.set("config", config == null ? JSON.nullNode() : config);
        try (AtomicDirectory out = AtomicDirectory.create(target, true)) {
            Path current = out.temp().resolve("params"); // what is being written, for the error message
            try {
                Path pdir = Files.createDirectory(current);
                ArrayNode plist = index.putArray("parameters");
                int i = 0;
                for (Pair<String, Parameter> p : params) {
                    HostTensor t = HostTensor.of(p.getValue().getArray());
                    String file = TensorFiles.fileName(i++, p.getKey());
                    current = pdir.resolve(file);
                    TensorFiles.write(current, t);
                    plist.add(entry(p.getKey(), "params/" + file, t.shape()));
                }
                ObjectNode opt = index.putObject("optimizer");
                ArrayNode olist = opt.putArray("state");
                if (optimizer != null) {
                    opt.put("type", optimizer.getClass().getSimpleName());
                    opt.put("steps", optimizer.steps());
                    current = out.temp().resolve("optimizer");
                    Path odir = Files.createDirectory(current);
                    int j = 0;
                    for (Map.Entry<String, NDArray> e : optimizer.stateArrays().entrySet()) {
                        HostTensor t = HostTensor.of(e.getValue());
                        String file = TensorFiles.fileName(j++, e.getKey());
                        current = odir.resolve(file);
                        TensorFiles.write(current, t);
                        olist.add(entry(e.getKey(), "optimizer/" + file, t.shape()));
                    }
                }
                // the index goes last: a folder is a checkpoint only once it is complete
                current = out.temp().resolve(INDEX);
                JSON.writerWithDefaultPrettyPrinter().writeValue(current.toFile(), index);
            } catch (IOException e) {
                throw failure(epoch, current, e);
            }
            out.commit();
        }
        return open(target);
    }

    /** Names the epoch and the file as the user will find it (not the hidden temporary folder). */
    static IOException failure(int epoch, Path file, IOException cause) {
        return WriteFailure.writing("checkpoint of epoch " + epoch, file, cause);
    }

    private static ObjectNode entry(String name, String file, long[] shape) {
        ObjectNode e = JSON.createObjectNode();
        e.put("name", name);
        e.put("file", file);
        ArrayNode s = e.putArray("shape");
        for (long d : shape) {
            s.add(d);
        }
        e.put("dtype", "float32");
        return e;
    }

    public Path dir() {
        return dir;
    }

    public int epoch() {
        return index.path("epoch").asInt();
    }

    public long globalStep() {
        return index.path("global_step").asLong();
    }

    public long seed() {
        return index.path("seed").asLong();
    }

    /** The resolved config saved with the checkpoint (a null node if none). */
    public JsonNode config() {
        return index.path("config");
    }

    /** Free-form extra state, e.g. RNG states, as saved. */
    public JsonNode extra() {
        return index.path("extra");
    }

    public boolean hasOptimizerState() {
        return index.path("optimizer").has("steps");
    }

    /** Parameter names and shapes in saved order. */
    public Map<String, long[]> parameterShapes() {
        Map<String, long[]> m = new LinkedHashMap<>();
        parameters.forEach((k, v) -> m.put(k, v.shape().clone()));
        return m;
    }

    public HostTensor readParameter(String name) throws IOException {
        Entry e = parameters.get(name);
        if (e == null) {
            throw new IllegalArgumentException("checkpoint " + dir + ": no parameter " + name);
        }
        return TensorFiles.read(dir.resolve(e.file()), e.shape());
    }

    /**
     * Copies the saved values into {@code params}. Every model parameter must be in the checkpoint
     * with the same shape; checkpoint parameters the model lacks are an error unless
     * {@code ignoreUnexpected} (e.g. decoder weights when loading an encoder), and are returned.
     * All names and shapes are checked, and every value must be finite ({@link FiniteWeights}), before
     * anything is written.
     */
    public List<String> loadInto(PairList<String, Parameter> params, boolean ignoreUnexpected) throws IOException {
        List<String> missing = new ArrayList<>();
        for (Pair<String, Parameter> p : params) {
            Entry e = parameters.get(p.getKey());
            if (e == null) {
                missing.add(p.getKey());
                continue;
            }
            Shape expected = p.getValue().getArray().getShape();
            if (!Arrays.equals(expected.getShape(), e.shape())) {
                throw new IllegalArgumentException("checkpoint " + dir + ": parameter " + p.getKey() + " has shape "
                        + new Shape(e.shape()) + ", model expects " + expected);
            }
        }
        List<String> unexpected = new ArrayList<>(parameters.keySet());
        unexpected.removeAll(params.keys());
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("checkpoint " + dir + ": missing parameter(s) " + missing
                    + (unexpected.isEmpty() ? "" : "; it has instead " + unexpected));
        }
        if (!unexpected.isEmpty() && !ignoreUnexpected) {
            throw new IllegalArgumentException("checkpoint " + dir + ": unexpected parameter(s) " + unexpected
                    + " not in the model");
        }
        // everything is read and checked before the first value is written: a refused checkpoint leaves the model as it was
        List<HostTensor> values = new ArrayList<>(params.size());
        for (Pair<String, Parameter> p : params) {
            HostTensor t = readParameter(p.getKey());
            FiniteWeights.require(t.data(), dir + ": parameter '" + p.getKey() + "'");
            values.add(t);
        }
        for (int i = 0; i < params.size(); i++) {
            InPlace.overwrite(params.get(i).getValue().getArray(), values.get(i).data());
        }
        return unexpected;
    }

    /** Restores the optimizer's step count and state; an error if none was saved. */
    public void restoreOptimizer(ParamOptimizer opt) throws IOException {
        Objects.requireNonNull(opt);
        if (!hasOptimizerState()) {
            throw new IllegalStateException("checkpoint " + dir + " holds no optimizer state (cannot resume training from it)");
        }
        String type = index.path("optimizer").path("type").asText();
        if (!type.equals(opt.getClass().getSimpleName())) {
            throw new IllegalArgumentException("checkpoint " + dir + ": optimizer state is from " + type
                    + ", the run uses " + opt.getClass().getSimpleName());
        }
        Map<String, HostTensor> state = new LinkedHashMap<>();
        for (Map.Entry<String, Entry> e : optimizer.entrySet()) {
            HostTensor t = TensorFiles.read(dir.resolve(e.getValue().file()), e.getValue().shape());
            FiniteWeights.require(t.data(), dir + ": optimizer state '" + e.getKey() + "'");
            state.put(e.getKey(), t);
        }
        try {
            opt.loadState(index.path("optimizer").path("steps").asLong(), state);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("checkpoint " + dir + ": " + e.getMessage(), e);
        }
    }
}
