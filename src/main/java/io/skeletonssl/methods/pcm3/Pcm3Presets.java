package io.skeletonssl.methods.pcm3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.training.ConfigTree;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds {@link Pcm3Settings} from a resolved preset tree and counts the parameters it implies (§3.12). */
public final class Pcm3Presets {

    private Pcm3Presets() {
    }

    /** pretrain keys added after runs were first saved, with the value such a run trained with. */
    static final Map<String, Object> LEGACY_PRETRAIN_DEFAULTS = legacyDefaults();

    private static Map<String, Object> legacyDefaults() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("precision", "fp32");
        m.put("lr_reference_batch", 0);
        m.put("warmup_epochs", 0.0);
        m.put("clip_grad_norm", 0.0);
        m.put("divergence_rollbacks", 3);
        m.put("divergence_lr_factor", 0.5);
        m.put("divergence_loss_factor", 0.0);
        m.put("collapse_std_fraction", 0.0);
        m.put("clip_budget", 0);
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * The settings of a resolved PCM3 tree; unknown keys, wrong types and out-of-range values are errors
     * naming the key. The typed values are written back into {@code tree}.
     */
    public static Pcm3Settings fromTree(JsonNode tree) {
        // data.path (the dataset a run was trained on), the demo's sizes and the detection protocol's
        // section (read by eval detection) are not settings of the method
        ObjectNode settings = ((ObjectNode) tree).deepCopy();
        settings.remove("demo");
        settings.remove("detection");
        settings.remove("finetune"); // the fine-tuning protocol's section, read by eval.finetune
        settings.remove("motion_prediction"); // read by eval.motion
        if (settings.get("data") instanceof ObjectNode data) {
            data.remove("path");
        }
        if (settings.get("pretrain") instanceof ObjectNode pt) {
            // runs saved before a key existed trained without it: float32, no clipping, warm-up or lr
            // scaling; the divergence guard and the collapse warning change nothing on a healthy run
            ObjectNode original = tree.get("pretrain") instanceof ObjectNode o ? o : null;
            for (Map.Entry<String, Object> d : LEGACY_PRETRAIN_DEFAULTS.entrySet()) {
                if (!pt.has(d.getKey())) {
                    for (ObjectNode n : original == null ? List.of(pt) : List.of(pt, original)) {
                        if (d.getValue() instanceof String v) {
                            n.put(d.getKey(), v);
                        } else if (d.getValue() instanceof Integer v) {
                            n.put(d.getKey(), v);
                        } else {
                            n.put(d.getKey(), (Double) d.getValue());
                        }
                    }
                }
            }
        }
        Pcm3Settings s = ConfigTree.bind(settings, Pcm3Settings.class, "PCM3 configuration");
        if (tree instanceof ObjectNode original) {
            ConfigTree.writeBack(original, settings); // the typed values, so that a run records what it ran with
        }
        return s;
    }

    /** Domain prompts (4 × the per-frame values) and task prompts (2 × two windows); none for mode NONE. */
    public static long promptParameterCount(Pcm3Settings s) {
        if (s.prompts().promptMode() == Pcm3Settings.PromptMode.NONE) {
            return 0;
        }
        return 4L * s.modelConfig().channels() + 2L * 2 * s.prompts().width();
    }

    /**
     * Trained parameter counts from the sizes alone, without building the model: the pretraining
     * parts and total (the key encoder is a momentum copy, not trained) and the downstream linear
     * model (input norm, GRU and the Linear(2H, C) head, of which only the head is trained).
     */
    public static Map<String, Long> parameterCounts(Pcm3Settings s) {
        var cfg = s.modelConfig();
        long classes = s.data().numClasses();
        long head = cfg.featureDim() * classes + classes;
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("input_norm", cfg.inputNormParameterCount());
        out.put("gru", cfg.gruParameterCount());
        out.put("projector", cfg.projectorParameterCount());
        out.put("encoder", cfg.encoderParameterCount());
        out.put("decoder_linear", cfg.decoderLinearParameterCount());
        out.put("decoder", cfg.decoderGruParameterCount());
        out.put("prompts", promptParameterCount(s));
        out.put("pretrain_total", cfg.encoderParameterCount() + cfg.decoderLinearParameterCount()
                + cfg.decoderGruParameterCount() + promptParameterCount(s));
        out.put("linear_head", head);
        out.put("linear_model", cfg.inputNormParameterCount() + cfg.gruParameterCount() + head);
        return out;
    }
}
