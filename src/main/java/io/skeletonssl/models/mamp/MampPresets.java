package io.skeletonssl.models.mamp;

import com.fasterxml.jackson.databind.JsonNode;

/** Builds a {@link MampConfig} from a resolved preset tree (see {@code src/main/resources/presets}). */
public final class MampPresets {

    private MampPresets() {
    }

    public static MampConfig fromTree(JsonNode tree) {
        JsonNode data = required(tree, "data");
        JsonNode model = required(tree, "model");
        JsonNode masking = required(tree, "masking");
        double tau = masking.path("tau").asDouble();
        return new MampConfig(model.path("dim").asInt(), model.path("depth").asInt(), model.path("heads").asInt(),
                model.path("mlp_ratio").asDouble(), model.path("decoder_dim").asInt(),
                model.path("decoder_depth").asInt(), model.path("decoder_heads").asInt(),
                model.path("segment").asInt(), data.path("frames").asInt(), data.path("joints").asInt(),
                data.path("persons").asInt(), masking.path("ratio").asDouble(), tau,
                model.path("drop_path").asDouble(), MampConfig.Target.MOTION, MampConfig.Input.POSITION,
                tau > 0 ? MampConfig.Masking.MOTION_AWARE : MampConfig.Masking.RANDOM);
    }

    private static JsonNode required(JsonNode tree, String section) {
        JsonNode n = tree.get(section);
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("MAMP configuration has no '" + section + "' section");
        }
        return n;
    }
}
