package io.skeletonssl.methods.pcm3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.training.ConfigTree;

import java.util.LinkedHashMap;
import java.util.Map;

/** Builds {@link Pcm3Settings} from a resolved preset tree and counts the parameters it implies (§3.12). */
public final class Pcm3Presets {

    private Pcm3Presets() {
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
        if (settings.get("pretrain") instanceof ObjectNode pt && !pt.has("precision")) {
            pt.put("precision", "fp32"); // runs saved before the key existed trained in float32
            if (tree.get("pretrain") instanceof ObjectNode original) {
                original.put("precision", "fp32");
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
