package io.skeletonssl.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.training.ConfigTree;

import java.util.List;

/**
 * The {@code demo} section of a preset, strictly bound: the synthetic dataset's size and noise, the
 * run lengths, extra {@code --set} overrides, and the {@code quick} section that {@code --quick}
 * lays over the others.
 *
 * @param centre whether the generated sequences are centred (PCM3's pre-normalisation); absent: false (the MAMP demo)
 */
record DemoSettings(int subjects, int repetitions, double noise, double dropouts, boolean centre, int pretrainEpochs,
                    int probeEpochs, List<String> sets, JsonNode quick) {

    DemoSettings {
        positive("subjects", subjects);
        positive("repetitions", repetitions);
        positive("pretrain_epochs", pretrainEpochs);
        positive("probe_epochs", probeEpochs);
        if (!(noise >= 0) || !(dropouts >= 0 && dropouts < 1)) {
            throw new IllegalArgumentException("demo.noise must be >= 0 and demo.dropouts in [0, 1), got " + noise
                    + " and " + dropouts);
        }
        sets = List.copyOf(sets);
    }

    /** The preset's demo section, with its {@code quick} values laid over it when {@code quick}. */
    static DemoSettings of(JsonNode preset, boolean quick) {
        JsonNode demo = preset.get("demo");
        if (demo == null || !demo.isObject()) {
            throw new IllegalArgumentException("the preset has no demo section");
        }
        ObjectNode d = ((ObjectNode) demo).deepCopy();
        if (quick) {
            if (!(d.get("quick") instanceof ObjectNode q)) {
                throw new IllegalArgumentException("the preset's demo section has no quick section for --quick");
            }
            q.fields().forEachRemaining(e -> {
                if (!d.has(e.getKey()) || e.getKey().equals("quick")) {
                    throw new IllegalArgumentException("demo.quick." + e.getKey() + ": not a key of the demo section");
                }
                d.set(e.getKey(), e.getValue());
            });
        }
        if (!d.has("centre")) {
            d.put("centre", false);
        }
        return ConfigTree.bind(d, DemoSettings.class, "demo");
    }

    private static void positive(String key, int v) {
        if (v < 1) {
            throw new IllegalArgumentException("demo." + key + " must be >= 1, got " + v);
        }
    }
}
