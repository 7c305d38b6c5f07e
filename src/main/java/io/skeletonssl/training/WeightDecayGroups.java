package io.skeletonssl.training;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Per-parameter weight decay, following timm 0.3.2 {@code add_weight_decay} as MAMP uses it (§2.7):
 * a parameter gets decay 0 if its array is 1-D or its name ends with "bias", or it is on the skip
 * list; every other trainable parameter (including 3-D/4-D embeddings and mask tokens) gets the
 * configured decay. Frozen parameters ({@code requiresGradient() == false}) are left out, as timm
 * leaves out parameters without {@code requires_grad}.
 *
 * <p>Name mapping: PyTorch names end in {@code ".bias"}; DJL names from {@code Block.getParameters()}
 * join block and parameter names with {@code '_'} (e.g. {@code "01Linear_bias"}), so a name counts as a
 * bias when it equals {@code "bias"} or ends with {@code ".bias"} or {@code "_bias"}. In practice every
 * bias is 1-D, so the ndim rule alone already covers it. 0-D parameters are decayed (timm tests
 * {@code len(shape) == 1} only).
 */
public final class WeightDecayGroups {

    private final Map<String, Double> decay;

    private WeightDecayGroups(Map<String, Double> decay) {
        this.decay = Collections.unmodifiableMap(decay);
    }

    /** timm rule over DJL parameters. */
    public static WeightDecayGroups timm(PairList<String, Parameter> params, double weightDecay, Set<String> skip) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : params) {
            if (p.getValue().requiresGradient()) {
                shapes.put(p.getKey(), shapeOf(p.getKey(), p.getValue()));
            }
        }
        return timm(shapes, weightDecay, skip);
    }

    /** timm rule over names and shapes (in iteration order). */
    public static WeightDecayGroups timm(Map<String, Shape> shapes, double weightDecay, Set<String> skip) {
        Map<String, Double> decay = new LinkedHashMap<>();
        shapes.forEach((name, shape) -> decay.put(name,
                shape.dimension() == 1 || isBias(name) || skip.contains(name) ? 0.0 : weightDecay));
        return new WeightDecayGroups(decay);
    }

    /** The same decay for every trainable parameter (PCM3: 1e-4 on all; linear probe: 0). */
    public static WeightDecayGroups uniform(PairList<String, Parameter> params, double weightDecay) {
        Map<String, Double> decay = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : params) {
            if (p.getValue().requiresGradient()) {
                decay.put(p.getKey(), weightDecay);
            }
        }
        return new WeightDecayGroups(decay);
    }

    static boolean isBias(String name) {
        return name.equals("bias") || name.endsWith(".bias") || name.endsWith("_bias");
    }

    static Shape shapeOf(String name, Parameter p) {
        if (p.isInitialized()) {
            return p.getArray().getShape();
        }
        if (p.getShape() == null) {
            throw new IllegalStateException("parameter " + name + " has no shape yet: initialise the model first");
        }
        return p.getShape();
    }

    /** Trainable parameter names in order, each with its decay. */
    public Map<String, Double> decays() {
        return decay;
    }

    public boolean contains(String name) {
        return decay.containsKey(name);
    }

    public double decayOf(String name) {
        Double d = decay.get(name);
        if (d == null) {
            throw new IllegalArgumentException("parameter " + name + " is not in the weight-decay groups (frozen or unknown)");
        }
        return d;
    }

    /** Number of parameters with non-zero decay. */
    public long decayedCount() {
        return decay.values().stream().filter(d -> d != 0.0).count();
    }
}
