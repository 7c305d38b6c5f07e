package io.skeletonssl.models.mamp;

import com.fasterxml.jackson.databind.JsonNode;

/** Builds a {@link MampConfig} from a resolved preset tree (see {@code src/main/resources/presets}). */
public final class MampPresets {

    private MampPresets() {
    }

    public static MampConfig fromTree(JsonNode tree) {
        String method = tree.path("method").asText("mamp");
        if (!method.equals("mamp")) { // e.g. a pcm3-* preset given to a MAMP command
            throw new IllegalArgumentException("configuration is for method '" + method + "', not mamp");
        }
        JsonNode data = required(tree, "data");
        JsonNode model = required(tree, "model");
        JsonNode masking = required(tree, "masking");
        double tau = masking.path("tau").asDouble();
        MampConfig.Masking kind = choice(masking, "kind", "motion-aware", MampConfig.Masking.class);
        if (tau <= 0) {
            kind = MampConfig.Masking.RANDOM; // the official fallback for tau <= 0
        }
        return new MampConfig(model.path("dim").asInt(), model.path("depth").asInt(), model.path("heads").asInt(),
                model.path("mlp_ratio").asDouble(), model.path("decoder_dim").asInt(),
                model.path("decoder_depth").asInt(), model.path("decoder_heads").asInt(),
                model.path("segment").asInt(), data.path("frames").asInt(), data.path("joints").asInt(),
                data.path("persons").asInt(), masking.path("ratio").asDouble(), tau,
                model.path("drop_path").asDouble(), choice(model, "target", "motion", MampConfig.Target.class),
                choice(model, "input", "position", MampConfig.Input.class), kind);
    }

    /** An enum value spelled in lower case with dashes ({@code motion-aware}); absent means {@code dflt}. */
    static <E extends Enum<E>> E choice(JsonNode section, String key, String dflt, Class<E> type) {
        return choice(section.path(key).asText(dflt), key, type);
    }

    /** The enum constant spelled {@code text} in lower case with dashes; an error naming {@code key} and the choices. */
    public static <E extends Enum<E>> E choice(String text, String key, Class<E> type) {
        String constant = text.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(constant)) {
                return e;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            allowed.append(allowed.length() == 0 ? "" : ", ").append(e.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        }
        throw new IllegalArgumentException("unknown value '" + text + "' for " + key + " (expected one of: " + allowed + ")");
    }

    private static JsonNode required(JsonNode tree, String section) {
        JsonNode n = tree.get(section);
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("MAMP configuration has no '" + section + "' section");
        }
        return n;
    }
}
