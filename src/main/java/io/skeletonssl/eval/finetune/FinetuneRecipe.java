package io.skeletonssl.eval.finetune;

import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import com.fasterxml.jackson.databind.JsonNode;
import io.skeletonssl.training.LrSchedule;
import io.skeletonssl.training.ParamOptimizer;

import java.util.Map;

/**
 * How a method fine-tunes, bound from the {@code finetune} section of a resolved configuration:
 * {@link MampFinetuneSettings} (spec §2.10) or {@link Pcm3FinetuneSettings} (§3.13, CMD's recipe).
 * The learning rate follows {@link #schedule()} per iteration (fractional epoch).
 */
public sealed interface FinetuneRecipe permits MampFinetuneSettings, Pcm3FinetuneSettings {

    int epochs();

    int batchSize();

    /** Seed of the head init, batch order, augmentation, drop path and dropout. */
    long seed();

    LrSchedule schedule();

    /** {@code fp32} or {@code bf16}: the arithmetic of the forward (see {@link io.skeletonssl.engine.Autocast}). */
    String precision();

    /** ε of the label-smoothing cross-entropy (0: plain cross-entropy). */
    double labelSmoothing();

    /** Layer-wise lr decay factor (1: none). */
    double layerDecay();

    /** The optimiser over {@code params} (encoder names and {@code head.}-prefixed head names). */
    ParamOptimizer optimizer(PairList<String, Parameter> params, Map<String, Double> lrScales);

    /** A new head on {@code encoder} for {@code classes} classes, seeded with {@code seed}. */
    FinetuneHead head(TrainableEncoder encoder, int classes, long seed);

    /** The recipe of a resolved tree, by its {@code method}. */
    static FinetuneRecipe of(JsonNode tree) {
        String method = tree.path("method").asText("");
        JsonNode section = tree.get("finetune");
        if (section == null || !section.isObject()) {
            throw new IllegalArgumentException("the configuration has no finetune section; pass --preset to take it "
                    + "from a preset");
        }
        if (section instanceof com.fasterxml.jackson.databind.node.ObjectNode o && !o.has("precision")) {
            o.put("precision", "fp32"); // run configs saved before the key existed
        }
        return switch (method) {
            case "mamp" -> io.skeletonssl.training.ConfigTree.bind(section, MampFinetuneSettings.class, "finetune");
            case "pcm3" -> io.skeletonssl.training.ConfigTree.bind(section, Pcm3FinetuneSettings.class, "finetune");
            default -> throw new IllegalArgumentException("no fine-tuning for method '" + method + "'");
        };
    }
}
