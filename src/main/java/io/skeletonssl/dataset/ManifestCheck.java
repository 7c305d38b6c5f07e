package io.skeletonssl.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skeletonssl.io.MappedNpy;
import io.skeletonssl.io.NpyHeader;
import io.skeletonssl.layout.SkeletonLayout;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a dataset folder's {@code manifest.json} and checks it before anything trusts it: every
 * key the {@link Manifest} record needs is present with the right JSON type (Jackson would turn a
 * missing number into 0 and a missing object into null), the format version and layout are ones
 * this build reads, and the declared shapes, counts and labels agree with the {@code .npy} arrays
 * on disk (headers only, plus the clip labels). Every error names the manifest file and the key.
 */
final class ManifestCheck {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Required top-level keys, in the order they are reported, with what each must hold. */
    private static final Map<String, Type> REQUIRED = new LinkedHashMap<>();
    /** Optional top-level keys: checked for their type when present. */
    private static final Map<String, Type> OPTIONAL = new LinkedHashMap<>();
    private static final Map<String, Type> SPLIT_REQUIRED = new LinkedHashMap<>();
    private static final Map<String, Type> SPLIT_OPTIONAL = new LinkedHashMap<>();

    static {
        REQUIRED.put("formatVersion", Type.INT.as("an integer, " + Manifest.FORMAT_VERSION));
        REQUIRED.put("name", Type.STRING.as("a string: the dataset name"));
        REQUIRED.put("layout", Type.OBJECT.as("an object: the skeleton layout {name, joints, bones, ...}"));
        REQUIRED.put("channels", Type.INT.as("an integer: C, " + Sample.CHANNELS));
        REQUIRED.put("maxFrames", Type.INT.as("an integer: T of the clip arrays"));
        REQUIRED.put("joints", Type.INT.as("an integer: V"));
        REQUIRED.put("persons", Type.INT.as("an integer: M"));
        REQUIRED.put("numClasses", Type.INT.as("an integer: the number of action classes"));
        REQUIRED.put("splits", Type.OBJECT.as("an object of split name -> {kind, count, totalFrames, classCounts,"
                + " files}"));
        OPTIONAL.put("classNames", Type.STRINGS.as("a list of strings"));
        OPTIONAL.put("source", Type.OBJECT.as("an object"));
        OPTIONAL.put("options", Type.OBJECT.as("an object"));
        OPTIONAL.put("skipped", Type.ARRAY.as("a list of {name, reason}"));
        OPTIONAL.put("warnings", Type.STRINGS.as("a list of strings"));
        OPTIONAL.put("created", Type.STRING.as("a string"));
        SPLIT_REQUIRED.put("kind", Type.STRING.as("\"clips\" or \"streams\""));
        SPLIT_REQUIRED.put("count", Type.INT.as("an integer: the number of clips or streams"));
        SPLIT_OPTIONAL.put("totalFrames", Type.INT.as("an integer"));
        SPLIT_OPTIONAL.put("classCounts", Type.INTS.as("a list of integers, one per class"));
        SPLIT_OPTIONAL.put("files", Type.STRINGS.as("a list of file names"));
    }

    /** A JSON type with the description used in messages. */
    private record Type(String kind, String expected) {
        static final Type INT = new Type("int", null);
        static final Type STRING = new Type("string", null);
        static final Type OBJECT = new Type("object", null);
        static final Type ARRAY = new Type("array", null);
        static final Type STRINGS = new Type("strings", null);
        static final Type INTS = new Type("ints", null);

        Type as(String expected) {
            return new Type(kind, expected);
        }

        boolean matches(JsonNode n) {
            return switch (kind) {
                case "int" -> n.isIntegralNumber() && n.canConvertToLong();
                case "string" -> n.isTextual();
                case "object" -> n.isObject();
                case "array" -> n.isArray();
                case "strings" -> n.isArray() && all(n, JsonNode::isTextual);
                case "ints" -> n.isArray() && all(n, e -> e.isIntegralNumber() && e.canConvertToInt());
                default -> throw new IllegalStateException(kind);
            };
        }

        private static boolean all(JsonNode array, java.util.function.Predicate<JsonNode> p) {
            for (JsonNode e : array) {
                if (!p.test(e)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final Path dir;
    private final Path file;

    private ManifestCheck(Path dir) {
        this.dir = dir;
        this.file = dir.resolve(Manifest.FILE);
    }

    /** The checked manifest of dataset folder {@code dir}; an {@link IOException} naming the file and key if not. */
    static Manifest read(Path dir) throws IOException {
        return new ManifestCheck(dir).read();
    }

    private Manifest read() throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": unreadable manifest: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw fail("expected a JSON object, found " + describe(root));
        }
        keys(root, "", REQUIRED, OPTIONAL);
        int version = root.get("formatVersion").asInt();
        if (version != Manifest.FORMAT_VERSION || !root.get("formatVersion").canConvertToInt()) {
            throw fail("dataset format version " + root.get("formatVersion") + ", this build reads version "
                    + Manifest.FORMAT_VERSION);
        }
        int channels = positive(root, "channels");
        if (channels != Sample.CHANNELS) {
            throw fail("channels is " + channels + ", expected " + Sample.CHANNELS + " (x, y, z)");
        }
        int frames = positive(root, "maxFrames");
        int joints = positive(root, "joints");
        int persons = positive(root, "persons");
        int classes = nonNegative(root, "numClasses");
        SkeletonLayout layout = layout(root.get("layout"));
        JsonNode names = root.get("classNames");
        if (names != null && classes > 0 && names.size() != classes) {
            throw fail("classNames has " + names.size() + " names but numClasses is " + classes);
        }
        Shapes declared = new Shapes(channels, frames, joints, persons, classes);
        for (Iterator<Map.Entry<String, JsonNode>> it = root.get("splits").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            split(e.getKey(), e.getValue(), declared);
        }
        // after the arrays: a wrong 'joints' is reported against the data, the truth on disk
        if (layout.numJoints() != joints) {
            throw fail("layout '" + layout.name() + "' has " + layout.numJoints() + " joints but joints is " + joints);
        }
        try {
            return JSON.treeToValue(root, Manifest.class);
        } catch (IOException e) {
            throw new IOException(file + ": unreadable manifest: " + e.getMessage(), e);
        }
    }

    private record Shapes(int channels, int frames, int joints, int persons, int classes) {
    }

    /** Required keys present with their type, optional ones of their type if present; all missing ones in one message. */
    private void keys(JsonNode node, String prefix, Map<String, Type> required, Map<String, Type> optional)
            throws IOException {
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Type> k : required.entrySet()) {
            if (!node.has(k.getKey())) {
                missing.add("'" + prefix + k.getKey() + "' (expected " + k.getValue().expected() + ")");
            }
        }
        if (!missing.isEmpty()) {
            throw fail("missing key" + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing));
        }
        Map<String, Type> all = new LinkedHashMap<>(required);
        all.putAll(optional);
        for (Map.Entry<String, Type> k : all.entrySet()) {
            JsonNode v = node.get(k.getKey());
            if (v != null && !(v.isNull() && optional.containsKey(k.getKey())) && !k.getValue().matches(v)) {
                throw fail(prefix + k.getKey() + " must be " + k.getValue().expected() + ", found " + describe(v));
            }
        }
    }

    private SkeletonLayout layout(JsonNode node) throws IOException {
        if (!node.has("joints")) {
            throw fail("missing key 'layout.joints' (expected the list of joint names)");
        }
        try {
            return JSON.treeToValue(node, SkeletonLayout.class);
        } catch (IOException | RuntimeException e) {
            Throwable t = e;
            while (t.getCause() != null && t.getCause() != t) {
                t = t.getCause(); // the layout's own check, not Jackson's wrapping of it
            }
            throw fail("layout is not a valid skeleton layout: " + t.getMessage());
        }
    }

    private void split(String name, JsonNode s, Shapes d) throws IOException {
        String at = "splits." + name;
        if (!s.isObject()) {
            throw fail(at + " must be an object {kind, count, totalFrames, classCounts, files}, found " + describe(s));
        }
        keys(s, at + ".", SPLIT_REQUIRED, SPLIT_OPTIONAL);
        String kind = s.get("kind").asText();
        if (!kind.equals(Manifest.Kind.clips.name()) && !kind.equals(Manifest.Kind.streams.name())) {
            throw fail(at + ".kind is '" + kind + "', expected \"clips\" or \"streams\"");
        }
        long count = s.get("count").asLong();
        if (count < 0) {
            throw fail(at + ".count is " + count + ", expected >= 0");
        }
        JsonNode classCounts = s.get("classCounts");
        if (classCounts != null && !classCounts.isNull() && classCounts.size() != d.classes()) {
            throw fail(at + ".classCounts has " + classCounts.size() + " entries but numClasses is " + d.classes());
        }
        Path folder = dir.resolve(name);
        if (!Files.isDirectory(folder)) {
            throw fail(at + ": the split folder " + folder + " does not exist");
        }
        JsonNode files = s.get("files");
        if (files != null && !files.isNull()) {
            for (JsonNode f : files) {
                if (!Files.isRegularFile(folder.resolve(f.asText()))) {
                    throw fail(at + ".files lists " + f.asText() + " but " + folder.resolve(f.asText())
                            + " does not exist");
                }
            }
        }
        if (kind.equals(Manifest.Kind.clips.name())) {
            clips(at, folder, count, d);
        } else {
            streams(at, folder, count, s.has("totalFrames") ? s.get("totalFrames").asLong() : -1, d);
        }
    }

    private void clips(String at, Path folder, long count, Shapes d) throws IOException {
        Path data = folder.resolve("data.npy");
        NpyHeader h = header(data, "f4");
        long[] shape = h.shape();
        String has = " but " + data + " has shape " + h.shapeString();
        if (shape.length != 5) {
            throw fail(at + " holds clips (N, C, T, V, M)" + has);
        }
        agree("channels", d.channels(), shape[1], has);
        agree("maxFrames", d.frames(), shape[2], has);
        agree("joints", d.joints(), shape[3], has);
        agree("persons", d.persons(), shape[4], has);
        agree(at + ".count", count, shape[0], has);
        vector(folder.resolve("frames.npy"), at, count);
        Path labels = folder.resolve("labels.npy");
        vector(labels, at, count);
        if (d.classes() > 0) {
            int[] y;
            try (MappedNpy l = new MappedNpy(labels)) {
                y = l.readAllInts();
            }
            for (int i = 0; i < y.length; i++) {
                // -1 marks an unlabelled clip (DatasetWriter accepts it)
                if (y[i] < -1 || y[i] >= d.classes()) {
                    throw fail("numClasses is " + d.classes() + " but " + labels + " has label " + y[i] + " (clip "
                            + i + "); labels must lie in 0.." + (d.classes() - 1));
                }
            }
        }
    }

    private void streams(String at, Path folder, long count, long totalFrames, Shapes d) throws IOException {
        Path data = folder.resolve("data.npy");
        NpyHeader h = header(data, "f4");
        long[] shape = h.shape();
        String has = " but " + data + " has shape " + h.shapeString();
        if (shape.length != 4) {
            throw fail(at + " holds streams (frames, C, V, M)" + has);
        }
        agree("channels", d.channels(), shape[1], has);
        agree("joints", d.joints(), shape[2], has);
        agree("persons", d.persons(), shape[3], has);
        if (totalFrames >= 0) {
            agree(at + ".totalFrames", totalFrames, shape[0], has);
        }
        Path offsets = folder.resolve("offsets.npy");
        NpyHeader o = header(offsets, null);
        if (o.shape().length != 1 || o.shape()[0] != count + 1) {
            throw fail(at + ".count is " + count + " but " + offsets + " has shape " + o.shapeString()
                    + " (expected (" + (count + 1) + ",): one offset per stream plus the end)");
        }
        Path frameLabels = folder.resolve("frame_labels.npy");
        NpyHeader f = header(frameLabels, null);
        if (f.shape().length != 1 || f.shape()[0] != shape[0]) {
            throw fail(frameLabels + " has shape " + f.shapeString() + " but " + data + " has " + shape[0] + " frames");
        }
    }

    /** A one-dimensional array of {@code count} entries (frames.npy, labels.npy). */
    private void vector(Path file, String at, long count) throws IOException {
        NpyHeader h = header(file, null);
        if (h.shape().length != 1 || h.shape()[0] != count) {
            throw fail(at + ".count is " + count + " but " + file + " has shape " + h.shapeString());
        }
    }

    private void agree(String key, long declared, long actual, String has) throws IOException {
        if (declared != actual) {
            throw fail(key + " is " + declared + has);
        }
    }

    private NpyHeader header(Path npy, String dtype) throws IOException {
        if (!Files.isRegularFile(npy)) {
            throw new NoSuchFileException(npy.toString(), null, "missing array of the dataset described by " + file);
        }
        NpyHeader h;
        try (InputStream in = Files.newInputStream(npy)) {
            h = NpyHeader.read(in, npy.toString());
        }
        if (dtype != null && !h.dtype().equals(dtype)) {
            throw new IOException(npy + ": expected dtype " + dtype + ", found " + h.dtype());
        }
        return h;
    }

    private int positive(JsonNode root, String key) throws IOException {
        long v = root.get(key).asLong();
        if (v < 1 || v > Integer.MAX_VALUE) {
            throw fail(key + " is " + root.get(key) + ", expected a positive integer");
        }
        return (int) v;
    }

    private int nonNegative(JsonNode root, String key) throws IOException {
        long v = root.get(key).asLong();
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw fail(key + " is " + root.get(key) + ", expected an integer >= 0");
        }
        return (int) v;
    }

    private IOException fail(String what) {
        return new IOException(file + ": " + what);
    }

    private static String describe(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "nothing";
        }
        if (n.isNull()) {
            return "null";
        }
        String text = n.toString();
        if (text.length() > 60) {
            text = text.substring(0, 57) + "...";
        }
        return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + text;
    }
}
