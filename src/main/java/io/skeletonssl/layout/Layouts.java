package io.skeletonssl.layout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Built-in layouts and the loader for user layout files (JSON or YAML).
 *
 * <p>A layout file has {@code name}, {@code joints} (names), {@code bones} ([joint, parent] pairs),
 * {@code bodyParts} ([{name, joints}]), {@code center}, {@code mirror} and optionally {@code alignment}
 * ({spine: [hip, spine], shoulders: [left, right], torso: [a, b]}, for {@code prepare --normalize align}
 * and {@code --scale-body}). Indices are 0-based unless the file says {@code indexBase: 1}.
 */
public final class Layouts {

    public static final List<String> BUILT_IN = List.of("ntu25", "kinect-v1-20", "msr20");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private Layouts() {
    }

    public static SkeletonLayout ntu25() {
        return builtIn("ntu25");
    }

    public static SkeletonLayout kinectV1() {
        return builtIn("kinect-v1-20");
    }

    public static SkeletonLayout msr20() {
        return builtIn("msr20");
    }

    public static SkeletonLayout builtIn(String name) {
        if (!BUILT_IN.contains(name)) {
            throw new IllegalArgumentException("unknown layout '" + name + "': built-in layouts are "
                    + String.join(", ", BUILT_IN) + ", or give a .json/.yaml layout file");
        }
        try (InputStream in = Layouts.class.getResourceAsStream("/layouts/" + name + ".yaml")) {
            if (in == null) {
                throw new IllegalStateException("layout resource missing for " + name);
            }
            return fromTree(YAML.readTree(in), "built-in " + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A built-in name, or the path of a JSON/YAML layout file. */
    public static SkeletonLayout resolve(String nameOrPath) {
        if (BUILT_IN.contains(nameOrPath)) {
            return builtIn(nameOrPath);
        }
        Path p = Path.of(nameOrPath);
        if (Files.isRegularFile(p)) {
            return load(p);
        }
        String lower = nameOrPath.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".json") || lower.endsWith(".yaml") || lower.endsWith(".yml")) {
            throw new IllegalArgumentException("layout file not found: " + nameOrPath);
        }
        return builtIn(nameOrPath);
    }

    public static SkeletonLayout load(Path file) {
        String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
        ObjectMapper mapper = lower.endsWith(".json") ? JSON : YAML;
        JsonNode tree;
        try {
            tree = mapper.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("layout file " + file + ": not valid "
                    + (mapper == JSON ? "JSON" : "YAML") + ": " + e.getMessage(), e);
        }
        return fromTree(tree, file.toString());
    }

    static SkeletonLayout fromTree(JsonNode tree, String origin) {
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException("layout " + origin + ": expected an object with 'joints'");
        }
        ObjectNode node = ((ObjectNode) tree).deepCopy();
        int base = node.path("indexBase").asInt(0);
        if (base != 0 && base != 1) {
            throw new IllegalArgumentException("layout " + origin + ": indexBase must be 0 or 1");
        }
        node.remove("indexBase");
        if (!node.has("joints") || !node.get("joints").isArray()) {
            throw new IllegalArgumentException("layout " + origin + ": 'joints' (a list of joint names) is required");
        }
        if (!node.has("center")) {
            node.put("center", base);
        }
        if (base == 1) {
            shift(node, "bones", true);
            if (node.has("bodyParts")) {
                for (JsonNode part : node.get("bodyParts")) {
                    shift((ObjectNode) part, "joints", false);
                }
            }
            shift(node, "mirror", false);
            if (node.get("alignment") instanceof ObjectNode alignment) {
                for (String pair : new String[]{"spine", "shoulders", "torso"}) {
                    shift(alignment, pair, false);
                }
            }
            node.put("center", node.get("center").asInt() - 1);
        }
        try {
            return JSON.treeToValue(node, SkeletonLayout.class);
        } catch (IOException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
            throw new IllegalArgumentException("layout " + origin + ": " + cause.getMessage(), e);
        }
    }

    private static void shift(ObjectNode node, String field, boolean nested) {
        JsonNode arr = node.get(field);
        if (arr == null || !arr.isArray()) {
            return;
        }
        ArrayNode out = JSON.createArrayNode();
        for (JsonNode e : arr) {
            if (nested) {
                ArrayNode pair = JSON.createArrayNode();
                for (JsonNode x : e) {
                    pair.add(x.asInt() - 1);
                }
                out.add(pair);
            } else {
                out.add(e.asInt() - 1);
            }
        }
        node.set(field, out);
    }

    /** Writes a layout as JSON (0-based), the form stored in dataset manifests. */
    public static String toJson(SkeletonLayout layout) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(layout);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
