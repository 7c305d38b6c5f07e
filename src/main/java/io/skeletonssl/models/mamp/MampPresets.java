package io.skeletonssl.models.mamp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.training.ConfigTree;

import java.util.List;

/** Binds {@link MampSettings} and builds a {@link MampConfig} from a resolved preset tree (see {@code src/main/resources/presets}). */
public final class MampPresets {

    /** The sections {@link MampSettings} holds; the others belong to evaluation protocols. */
    private static final List<String> SECTIONS = List.of("method", "data", "augment", "model", "masking", "pretrain");

    private MampPresets() {
    }

    public static MampConfig fromTree(JsonNode tree) {
        return settings(tree).modelConfig();
    }

    /**
     * The strictly bound method sections of {@code tree} (errors name the key, the value and what was
     * expected). The typed values are written back into {@code tree}, together with the defaults of
     * keys that configurations written before them lack, so a run records exactly what it ran with.
     */
    public static MampSettings settings(JsonNode tree) {
        if (!(tree instanceof ObjectNode root)) {
            throw new IllegalArgumentException("MAMP configuration: expected a mapping of sections");
        }
        String method = tree.path("method").asText("mamp");
        if (!method.equals("mamp")) { // e.g. a pcm3-* preset given to a MAMP command
            throw new IllegalArgumentException("configuration is for method '" + method + "', not mamp");
        }
        ObjectNode view = root.objectNode();
        view.put("method", "mamp");
        for (String section : SECTIONS.subList(1, SECTIONS.size())) {
            JsonNode n = tree.get(section);
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException("MAMP configuration has no '" + section + "' section");
            }
            view.set(section, n.deepCopy());
        }
        fillDefaults(view);
        ((ObjectNode) view.get("data")).remove("path"); // the dataset a run was trained on is not a setting
        MampSettings s = ConfigTree.bind(view, MampSettings.class, "MAMP configuration"); // writes typed values into view
        for (String section : SECTIONS.subList(1, SECTIONS.size())) {
            ObjectNode target = (ObjectNode) root.get(section);
            view.get(section).fields().forEachRemaining(e -> target.set(e.getKey(), e.getValue()));
        }
        return s;
    }

    /** Keys newer than some saved run configurations, with the value such runs were trained with. */
    private static void fillDefaults(ObjectNode view) {
        ObjectNode augment = (ObjectNode) view.get("augment");
        ObjectNode model = (ObjectNode) view.get("model");
        ObjectNode pretrain = (ObjectNode) view.get("pretrain");
        if (!augment.has("test_crop")) {
            augment.put("test_crop", 0.95);
        }
        if (!model.has("target")) {
            model.put("target", "motion");
        }
        if (!model.has("input")) {
            model.put("input", "position");
        }
        if (!model.has("feature_pooling")) {
            model.put("feature_pooling", "mean");
        }
        if (!model.has("layer_norm_eps")) {
            model.put("layer_norm_eps", 1e-5);
        }
        if (!view.get("masking").has("kind")) {
            ((ObjectNode) view.get("masking")).put("kind", "motion-aware");
        }
        if (!pretrain.has("stream")) {
            pretrain.put("stream", "joint");
        }
        if (!pretrain.has("precision")) {
            pretrain.put("precision", "fp32");
        }
        if (!pretrain.has("eps")) {
            pretrain.put("eps", 1e-8);
        }
        if (!pretrain.has("clip_budget")) {
            pretrain.put("clip_budget", 0);
        }
        if (!pretrain.has("divergence_rollbacks")) { // the guard changes nothing on a run that never diverges
            pretrain.put("divergence_rollbacks", 3);
        }
        if (!pretrain.has("divergence_lr_factor")) {
            pretrain.put("divergence_lr_factor", 0.5);
        }
        if (!pretrain.has("divergence_loss_factor")) {
            pretrain.put("divergence_loss_factor", 0.0);
        }
        if (!pretrain.has("checkpoint_every")) {
            pretrain.put("checkpoint_every", 1);
        }
        if (!pretrain.has("betas")) {
            pretrain.putArray("betas").add(0.9).add(0.95);
        }
    }
}
