package io.skeletonssl.methods.mamp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.formats.torch.PickledNamespace;
import io.skeletonssl.formats.torch.TorchTensor;
import io.skeletonssl.training.ConfigTree;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The contents of an official MAMP checkpoint (MAMP util/misc.py {@code save_model}):
 * {@code {'model': state_dict, 'optimizer', 'epoch', 'scaler', 'args': Namespace}}, or a bare state
 * dict; keys of a DDP model ({@code module.} prefix) are unwrapped. Also infers our configuration
 * from the tensor shapes and the saved arguments (spec §2.3, §2.11).
 *
 * @param stateDict parameter name (official, unprefixed) → value (tensors, or anything a file held)
 * @param epoch the saved epoch, or null
 * @param args the saved argparse arguments, or null
 * @param ignored top-level entries not imported (optimizer, scaler, ...)
 */
public record OfficialCheckpoint(Map<String, Object> stateDict, Integer epoch, PickledNamespace args,
                                 List<String> ignored) {

    static final String EMBED = "joints_embed.proj.weight";

    /** Interprets the root object of the archive {@code file}. */
    public static OfficialCheckpoint of(Object root, Path file) throws IOException {
        if (!(root instanceof Map<?, ?> top)) {
            throw new IOException(file + ": holds a " + typeName(root) + ", not a checkpoint dict or state dict");
        }
        Object model = top.get("model") != null ? top.get("model") : top.get("state_dict");
        if (model instanceof Map<?, ?> m) {
            Integer epoch = top.get("epoch") instanceof Number n ? n.intValue() : null;
            PickledNamespace args = top.get("args") instanceof PickledNamespace a ? a : null;
            List<String> ignored = new ArrayList<>();
            top.forEach((k, v) -> {
                if (v != model && !"epoch".equals(k) && !"args".equals(k)) {
                    ignored.add(String.valueOf(k));
                }
            });
            return new OfficialCheckpoint(unwrap(m, file), epoch, args, ignored);
        }
        if (!top.isEmpty() && top.values().stream().allMatch(v -> v instanceof TorchTensor)) {
            return new OfficialCheckpoint(unwrap(top, file), null, null, List.of());
        }
        throw new IOException(file + ": no model state dict found (expected a 'model' entry or a dict of tensors; "
                + "top-level keys: " + new TreeSet<>(top.keySet().stream().map(String::valueOf).toList()) + ")");
    }

    private static Map<String, Object> unwrap(Map<?, ?> m, Path file) throws IOException {
        boolean ddp = !m.isEmpty() && m.keySet().stream().allMatch(k -> k instanceof String s && s.startsWith("module."));
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String k)) {
                throw new IOException(file + ": state dict key " + e.getKey() + " is not a string");
            }
            out.put(ddp ? k.substring("module.".length()) : k, e.getValue());
        }
        return out;
    }

    private static String typeName(Object o) {
        return o == null ? "None" : o instanceof List<?> ? "list" : o instanceof Object[] ? "tuple"
                : o.getClass().getSimpleName();
    }

    /** Shape of a state-dict tensor, or null if absent or not a tensor. */
    long[] shape(String name) {
        return stateDict.get(name) instanceof TorchTensor t ? t.shape() : null;
    }

    /** Number of blocks {@code prefix0., prefix1., ...} present. */
    int blockCount(String prefix) {
        int n = 0;
        while (true) {
            String p = prefix + n + ".";
            if (stateDict.keySet().stream().noneMatch(k -> k.startsWith(p))) {
                return n;
            }
            n++;
        }
    }

    /** The built-in preset whose decoder depth fits (8+3 → NTU-60, 8+5 → NTU-120). */
    String defaultPreset() {
        return blockCount("decoder_blocks.") >= 5 ? "mamp-ntu120-xsub" : "mamp-ntu60-xsub";
    }

    /**
     * Puts into {@code tree} the model sizes this checkpoint determines: first from the saved
     * arguments ({@code args.model_args}, mask ratio, τ), then — overriding — from the tensor shapes.
     * Heads are not visible in shapes: they come from the arguments or stay the preset's.
     * {@code sources} receives {@code key → "args" | "shapes"} for each value set.
     */
    void inferInto(ObjectNode tree, Map<String, String> sources) {
        if (args != null && args.get("model_args") instanceof Map<?, ?> ma) {
            set(tree, sources, "args", "model.dim", ma.get("dim_feat"));
            set(tree, sources, "args", "model.decoder_dim", ma.get("decoder_dim_feat"));
            set(tree, sources, "args", "model.depth", ma.get("depth"));
            set(tree, sources, "args", "model.decoder_depth", ma.get("decoder_depth"));
            set(tree, sources, "args", "model.heads", ma.get("num_heads"));
            set(tree, sources, "args", "model.decoder_heads", ma.get("num_heads")); // the official decoder reuses it
            set(tree, sources, "args", "model.mlp_ratio", ma.get("mlp_ratio"));
            set(tree, sources, "args", "model.segment", ma.get("t_patch_size"));
            set(tree, sources, "args", "data.frames", ma.get("num_frames"));
            set(tree, sources, "args", "data.joints", ma.get("num_joints"));
        }
        if (args != null) {
            set(tree, sources, "args", "masking.ratio", args.get("mask_ratio"));
            set(tree, sources, "args", "masking.tau", args.get("motion_aware_tau"));
        }
        long[] conv = shape(EMBED);
        if (conv != null && conv.length == 4) {
            set(tree, sources, "shapes", "model.dim", conv[0]);
            set(tree, sources, "shapes", "model.segment", conv[2]);
        }
        long[] pos = shape("pos_embed");
        if (pos != null && pos.length == 4) {
            set(tree, sources, "shapes", "data.joints", pos[2]);
        }
        long[] temp = shape("temp_embed");
        if (temp != null && temp.length == 4 && conv != null && conv.length == 4) {
            set(tree, sources, "shapes", "data.frames", temp[1] * conv[2]);
        }
        int depth = blockCount("blocks.");
        if (depth > 0) {
            set(tree, sources, "shapes", "model.depth", (long) depth);
            long[] fc1 = shape("blocks.0.mlp.fc1.weight");
            if (fc1 != null && fc1.length == 2 && fc1[1] > 0 && fc1[0] % fc1[1] == 0) {
                set(tree, sources, "shapes", "model.mlp_ratio", (double) (fc1[0] / fc1[1]));
            }
        }
        int decoderDepth = blockCount("decoder_blocks.");
        if (decoderDepth > 0) {
            set(tree, sources, "shapes", "model.decoder_depth", (long) decoderDepth);
        }
        long[] dec = shape("decoder_embed.weight");
        if (dec != null && dec.length == 2) {
            set(tree, sources, "shapes", "model.decoder_dim", dec[0]);
        }
    }

    /** Sets {@code key} when {@code value} is a number, keeping the preset's number type (int or float). */
    private static void set(ObjectNode tree, Map<String, String> sources, String source, String key, Object value) {
        if (!(value instanceof Number n) || value instanceof java.math.BigInteger) {
            return;
        }
        String[] path = key.split("\\.");
        boolean floating = tree.path(path[0]).path(path[1]).isFloatingPointNumber();
        ConfigTree.applySet(tree, key + "=" + (floating ? Double.toString(n.doubleValue()) : Long.toString(n.longValue())));
        sources.put(key, source);
    }
}
