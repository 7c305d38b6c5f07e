package io.skeletonssl.eval.finetune;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Layer-wise learning-rate decay (spec §2.10, timm {@code param_groups_lrd}): a parameter of layer
 * l of an encoder with L layers gets lr scale decay^(L − l); for MAMP, L = depth + 1, the
 * embeddings are layer 0, block i is layer i + 1 and the final norm and the head are layer L
 * (scale 1). With decay 1 every scale is 1.
 */
public final class LayerDecay {

    private LayerDecay() {
    }

    /** decay^(numLayers − layer). */
    public static double scale(double decay, int numLayers, int layer) {
        if (layer < 0 || layer > numLayers) {
            throw new IllegalArgumentException("layer " + layer + " outside 0.." + numLayers);
        }
        return Math.pow(decay, numLayers - layer);
    }

    /** The scale of every trainable encoder parameter by name (head parameters are absent: scale 1). */
    public static Map<String, Double> scales(TrainableEncoder encoder, double decay) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String name : encoder.trainableParameters().keySet()) {
            out.put(name, scale(decay, encoder.numLayers(), encoder.layerOf(name)));
        }
        return out;
    }
}
