package io.skeletonssl.training;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Configuration as a tree: a built-in preset ({@code src/main/resources/presets/NAME.yaml}), then an
 * optional user YAML file, then {@code --set key.sub=value} overrides, each merged over the previous.
 * The preset defines the schema: a key in the user file or in a {@code --set} that the preset does
 * not have is an error naming the key and where it came from. {@link #bind} then maps the tree onto
 * the caller's immutable type (a record), with snake_case YAML keys matching camelCase components
 * ({@code decoder_depth} → {@code decoderDepth}); keys the type lacks are an error too.
 */
public final class ConfigTree {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper BINDER = strictBinder();

    private ConfigTree() {
    }

    /**
     * Jackson set to refuse every silent conversion a setting could suffer: a fraction where an
     * integer is expected (16.9 is not 16), an empty or null value for a number, text that is not a
     * number (Jackson already refuses "abc"); numerals written as text ("1e-3") are accepted.
     */
    private static ObjectMapper strictBinder() {
        ObjectMapper m = new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        m.coercionConfigDefaults().setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        m.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        return m;
    }

    /** The preset's tree; an error listing the built-in presets if there is no such preset. */
    public static ObjectNode preset(String name) throws IOException {
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return presetFile(Path.of(name));
        }
        String resource = "presets/" + name + ".yaml";
        try (InputStream in = ConfigTree.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null || !name.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("unknown preset '" + name + "'; built-in presets: " + Presets.BUILT_IN);
            }
            return asObject(YAML.readTree(in), "preset " + name);
        }
    }

    /**
     * A whole configuration file used as the preset, e.g. a run's {@code config.yaml}: a random-init
     * baseline with exactly that run's architecture ({@code --checkpoint random --preset RUN/config.yaml}).
     */
    static ObjectNode presetFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--preset " + file + ": no such configuration file (a preset is a "
                    + "built-in name, " + Presets.BUILT_IN + ", or a .yaml file such as a run's config.yaml)");
        }
        JsonNode tree;
        try {
            tree = YAML.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": not valid YAML: " + e.getOriginalMessage(), e);
        }
        ObjectNode o = asObject(tree, file.toString());
        if (!o.has("method")) {
            throw new IllegalArgumentException(file + ": not a full configuration (no 'method' key)");
        }
        return o;
    }

    /** Preset + optional user file (may be null) + {@code key.path=value} overrides (may be empty). */
    public static ObjectNode resolve(String preset, Path userFile, List<String> sets) throws IOException {
        ObjectNode tree = preset(preset);
        if (userFile != null) {
            mergeFile(tree, userFile);
        }
        for (String s : sets) {
            applySet(tree, s);
        }
        return tree;
    }

    /** Merges a YAML file over {@code tree}; every key must already exist in {@code tree}. */
    public static void mergeFile(ObjectNode tree, Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": config file not found");
        }
        JsonNode user;
        try {
            user = YAML.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), e);
        }
        if (user == null || user.isMissingNode() || user.isNull()) {
            return; // an empty file changes nothing
        }
        merge(tree, asObject(user, file.toString()), "", file.toString());
    }

    private static ObjectNode asObject(JsonNode n, String what) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException(what + ": expected a mapping of keys at the top level");
        }
        return (ObjectNode) n;
    }

    private static void merge(ObjectNode base, ObjectNode over, String prefix, String source) {
        Iterator<Map.Entry<String, JsonNode>> it = over.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix + e.getKey();
            JsonNode old = base.get(e.getKey());
            if (old == null) {
                throw unknownKey(key, base, prefix, source);
            }
            if (old.isObject()) {
                if (!e.getValue().isObject()) {
                    throw new IllegalArgumentException(source + ": key '" + key + "' is a section (keys "
                            + fieldNames(old) + "), got a value");
                }
                merge((ObjectNode) old, (ObjectNode) e.getValue(), key + ".", source);
            } else {
                if (e.getValue().isObject()) {
                    throw new IllegalArgumentException(source + ": key '" + key + "' is a value, got a section");
                }
                base.set(e.getKey(), e.getValue());
            }
        }
    }

    /** Applies one {@code key.sub=value} override; the value is read as YAML (numbers, booleans, [lists]). */
    public static void applySet(ObjectNode tree, String assignment) {
        String source = "--set " + assignment;
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException(source + ": expected key.path=value");
        }
        String[] path = assignment.substring(0, eq).trim().split("\\.");
        String text = assignment.substring(eq + 1).trim();
        JsonNode value;
        try {
            value = text.isEmpty() ? YAML.getNodeFactory().textNode("") : YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": value is not valid YAML: " + e.getOriginalMessage());
        }
        ObjectNode node = tree;
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < path.length - 1; i++) {
            JsonNode child = node.get(path[i]);
            if (child == null) {
                throw unknownKey(prefix + path[i], node, prefix.toString(), source);
            }
            if (!child.isObject()) {
                throw new IllegalArgumentException(source + ": '" + prefix + path[i] + "' is a value, not a section");
            }
            prefix.append(path[i]).append('.');
            node = (ObjectNode) child;
        }
        String leaf = path[path.length - 1];
        JsonNode old = node.get(leaf);
        if (old == null) {
            throw unknownKey(prefix + leaf, node, prefix.toString(), source);
        }
        if (old.isObject() && !value.isObject()) {
            throw new IllegalArgumentException(source + ": '" + prefix + leaf + "' is a section (keys " + fieldNames(old) + ")");
        }
        if (old.isTextual() && value.isValueNode() && !value.isNull()) {
            value = YAML.getNodeFactory().textNode(value.asText()); // keep strings strings: --set name=123
        }
        node.set(leaf, value);
    }

    private static IllegalArgumentException unknownKey(String key, JsonNode parent, String prefix, String source) {
        String where = prefix.isEmpty() ? "at the top level" : "under " + prefix.substring(0, prefix.length() - 1);
        return new IllegalArgumentException(source + ": unknown key '" + key + "' (known keys " + where + ": "
                + fieldNames(parent) + ")");
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /**
     * Binds the tree to {@code type} and writes the typed values back into it (when it is a mapping),
     * so that what a run records as its configuration is exactly what it ran with ({@code "1e-3"}
     * becomes {@code 0.001}). {@code source} names the tree for error messages (e.g. "preset
     * mamp-small", or a section such as "linear_probe", which then prefixes the keys named). Every
     * mismatch is an error naming the key, the value and what was expected; the range checks of the
     * records' constructors come through with their own messages.
     */
    public static <T> T bind(JsonNode tree, Class<T> type, String source) {
        T value;
        try {
            value = BINDER.treeToValue(tree, type);
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException(source + ": unknown key '" + keyPath(source, e) + "' for "
                    + type.getSimpleName() + " (known: " + e.getKnownPropertyIds() + ")", e);
        } catch (MismatchedInputException e) {
            throw new IllegalArgumentException(source + ": " + mismatch(source, tree, e), e);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException iae) {
                throw new IllegalArgumentException(source + ": " + iae.getMessage(), iae);
            }
            throw new IllegalArgumentException(source + ": bad value at '" + keyPath(source, e) + "' for "
                    + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            String path = e instanceof JsonMappingException m ? keyPath(source, m) : "?";
            throw new IllegalArgumentException(source + ": bad value at '" + path + "' for " + type.getSimpleName()
                    + ": " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            // Jackson passes some constructor failures through unwrapped
            throw e.getMessage() != null && e.getMessage().startsWith(source) ? e
                    : new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
        if (tree instanceof ObjectNode o) {
            writeBack(o, BINDER.valueToTree(value));
        }
        return value;
    }

    /** Overwrites the values of {@code target} with those of {@code typed}, section by section; other keys stay. */
    public static void writeBack(ObjectNode target, JsonNode typed) {
        Iterator<Map.Entry<String, JsonNode>> it = typed.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode old = target.get(e.getKey());
            if (old == null) {
                continue; // e.g. a derived property; the tree keeps only what it had
            }
            if (old.isObject() && e.getValue().isObject()) {
                writeBack((ObjectNode) old, e.getValue());
            } else if (!old.isObject()) {
                target.set(e.getKey(), e.getValue());
            }
        }
    }

    /** The typed values of {@code value} as a tree with the configuration's snake_case keys. */
    public static ObjectNode typedTree(Object value) {
        return BINDER.valueToTree(value);
    }

    /** "key 'pretrain.lr' = 'abc': expected a number (double)", with the key as the user writes it. */
    private static String mismatch(String source, JsonNode tree, MismatchedInputException e) {
        String key = keyPath(source, e);
        JsonNode bad = tree;
        for (JsonMappingException.Reference r : e.getPath()) {
            bad = bad == null ? null : r.getFieldName() != null ? bad.get(r.getFieldName()) : bad.get(r.getIndex());
        }
        Class<?> target = e.getTargetType();
        String got = bad == null || bad.isMissingNode() ? "nothing" : bad.isNull() ? "null (no value)"
                : bad.isTextual() ? "'" + bad.asText() + "'" : bad.isContainerNode() ? (bad.isArray() ? "a list" : "a section")
                : bad.toString();
        if (bad == null || bad.isMissingNode()) {
            return "missing key '" + key + "' (expected " + expected(target) + ")";
        }
        return "key '" + key + "' has value " + got + "; expected " + expected(target);
    }

    private static String expected(Class<?> t) {
        if (t == null) {
            return "a value of another type";
        }
        if (t == int.class || t == Integer.class || t == long.class || t == Long.class) {
            return "a whole number";
        }
        if (t == double.class || t == Double.class || t == float.class || t == Float.class) {
            return "a number";
        }
        if (t == boolean.class || t == Boolean.class) {
            return "true or false";
        }
        if (t == String.class) {
            return "a text value";
        }
        if (java.util.Collection.class.isAssignableFrom(t)) {
            return "a list, e.g. [1, 2]";
        }
        if (t.isRecord()) {
            return "a section of keys";
        }
        return "a " + t.getSimpleName();
    }

    /** The failing key as dotted path; a section source ("linear_probe") prefixes it. */
    private static String keyPath(String source, JsonMappingException e) {
        String path = e.getPath().stream().map(r -> r.getFieldName() == null ? "[" + r.getIndex() + "]" : r.getFieldName())
                .collect(Collectors.joining(".")).replace(".[", "[");
        return source.matches("[a-z_]+") ? source + "." + path : path;
    }

    /**
     * The leaf keys whose values differ between two configurations ({@code key: a vs b}), numbers
     * compared by value (a YAML 2 equals a JSON 2.0), keys absent on one side shown as "none".
     */
    public static List<String> differences(JsonNode a, JsonNode b) {
        List<String> out = new ArrayList<>();
        differences(a, b, "", out);
        return out;
    }

    private static void differences(JsonNode a, JsonNode b, String prefix, List<String> out) {
        if (a != null && b != null && a.isObject() && b.isObject()) {
            java.util.Set<String> keys = new java.util.LinkedHashSet<>(fieldNames(a));
            keys.addAll(fieldNames(b));
            for (String k : keys) {
                differences(a.get(k), b.get(k), prefix + k + ".", out);
            }
            return;
        }
        boolean same = a == null ? b == null : b != null && a.equals((x, y) -> x.isNumber() && y.isNumber()
                ? Double.compare(x.asDouble(), y.asDouble()) : x.equals(y) ? 0 : 1, b);
        if (!same) {
            out.add(prefix.substring(0, prefix.length() - 1) + ": " + (a == null ? "none" : a) + " vs "
                    + (b == null ? "none" : b));
        }
    }

    /** The tree as YAML text (for config.yaml and for printing a resolved preset). */
    public static String toYaml(JsonNode tree) {
        try {
            return YAML.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
