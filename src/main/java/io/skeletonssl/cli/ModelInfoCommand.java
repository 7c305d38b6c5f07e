package io.skeletonssl.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.methods.pcm3.Pcm3Presets;
import io.skeletonssl.methods.pcm3.Pcm3Settings;
import io.skeletonssl.models.mamp.MampConfig;
import io.skeletonssl.models.mamp.MampModel;
import io.skeletonssl.models.mamp.MampPresets;
import io.skeletonssl.training.ConfigTree;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code model-info --preset P}: trainable parameter counts of a preset's model, as JSON. */
@Command(name = "model-info", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print the trainable parameter counts (encoder, decoder, total, heads) of a preset's model as JSON.",
                "Presets: mamp-ntu60-xsub, mamp-ntu60-xview, mamp-ntu120-xsub, mamp-ntu120-xset, mamp-pku1, mamp-pku2, mamp-small, mamp-cpu,",
                "pcm3-ntu60-xsub, pcm3-ntu60-xview, pcm3-ntu120-xsub, pcm3-ntu120-xset, pcm3-pku2-xsub, pcm3-small, pcm3-cpu."})
final class ModelInfoCommand implements Callable<Integer> {

    @Option(names = "--preset", required = true, description = "Preset name.")
    String preset;

    @Option(names = "--config", description = "A YAML file whose values override the preset's.")
    Path config;

    @Option(names = "--set", description = "Override one value, e.g. --set model.decoder_depth=5 (repeatable).")
    List<String> sets = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        ObjectNode tree = ConfigTree.resolve(preset, config, sets);
        String method = tree.path("method").asText();
        Map<String, Object> out = switch (method) {
            case "mamp" -> mamp(tree);
            case "pcm3" -> pcm3(tree);
            default -> throw new IllegalArgumentException("preset " + preset + " is for method '" + method
                    + "', which model-info does not know");
        };
        System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
        return 0;
    }

    /**
     * PCM3 (spec §3.12): the pretraining parts and trainable total, and the downstream linear model
     * (frozen input norm and GRU plus the trained Linear(2H, C) head).
     */
    private Map<String, Object> pcm3(ObjectNode tree) {
        Pcm3Settings s = Pcm3Presets.fromTree(tree);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("preset", preset);
        out.put("method", "pcm3");
        out.put("gru_mode", s.modelConfig().gruMode().name().toLowerCase(java.util.Locale.ROOT));
        out.put("prompt_mode", s.prompts().promptMode().name().toLowerCase(java.util.Locale.ROOT));
        out.put("num_classes", s.data().numClasses());
        out.put("feature_dim", s.modelConfig().featureDim());
        out.putAll(Pcm3Presets.parameterCounts(s));
        return out;
    }

    private Map<String, Object> mamp(ObjectNode tree) {
        MampConfig cfg = MampPresets.fromTree(tree);
        int classes = tree.path("data").path("num_classes").asInt();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("preset", preset);
        out.put("method", "mamp");
        out.putAll(new MampModel(cfg).parameterCounts());
        // heads of the downstream protocols (spec §2.8): BN without affine + Linear(dim, C) for the
        // linear probe; Linear(V·dim, 2048) + BN(2048) + Linear(2048, C) for fine-tuning
        Map<String, Long> heads = new LinkedHashMap<>();
        long d = cfg.dim();
        heads.put("linear_probe", d * classes + classes);
        long flat = (long) cfg.joints() * d;
        heads.put("finetune", flat * 2048 + 2048 + 2 * 2048 + 2048L * classes + classes);
        out.put("num_classes", classes);
        out.put("heads", heads);
        out.put("visible_tokens_per_person", cfg.visibleTokens());
        out.put("tokens_per_person", cfg.tokens());
        return out;
    }
}
