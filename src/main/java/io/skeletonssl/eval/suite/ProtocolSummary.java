package io.skeletonssl.eval.suite;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The headline and the other figures of one protocol's metrics.json, as REPORT.md shows them. */
record ProtocolSummary(String headline, List<String> others) {

    static ProtocolSummary of(String id, JsonNode m) {
        String base = id.contains("-") ? id.substring(0, id.indexOf('-')) : id;
        return switch (base) {
            case "linear", "finetune", "transfer" -> classification(m, "top-1");
            case "semi" -> semi(m);
            case "knn" -> new ProtocolSummary("1-NN top-1 " + pct(m, "top1"),
                    List.of(m.path("gallery_clips").asInt() + " gallery / " + m.path("query_clips").asInt()
                            + " query clips"));
            case "detection" -> detection(m);
            case "occlusion" -> occlusion(m);
            case "ensemble" -> ensemble(m);
            case "motion" -> motion(m);
            default -> generic(m);
        };
    }

    /** final_top1 (headline), top-5, test-selected best, val-selected when present. */
    static ProtocolSummary classification(JsonNode m, String what) {
        List<String> others = new ArrayList<>();
        if (m.has("final_top5")) {
            others.add("top-" + m.path("top5_k").asInt(5) + " " + pct(m, "final_top5"));
        }
        if (m.has("val_selected_test_top1")) {
            others.add("val-selected (epoch " + m.path("val_selected_epoch").asInt() + ") " + pct(m, "val_selected_test_top1"));
        }
        if (m.has("best_top1")) {
            others.add("best " + pct(m, "best_top1") + " at epoch " + m.path("best_epoch").asInt() + " (test-selected)");
        }
        if (m.has("chance_top1")) {
            others.add("chance " + pct(m, "chance_top1"));
        }
        return new ProtocolSummary(what + " " + pct(m, "final_top1"), others);
    }

    /** Mean ± sample std over the repeats, and each repeat. */
    static ProtocolSummary semi(JsonNode m) {
        List<String> each = new ArrayList<>();
        for (JsonNode r : m.path("per_repeat")) {
            each.add(String.format(Locale.ROOT, "%.1f", r.path("final_top1").asDouble()));
        }
        List<String> others = new ArrayList<>();
        others.add("repeats " + String.join(" / ", each));
        JsonNode first = m.path("per_repeat").path(0);
        others.add(first.path("labelled_clips").asInt() + " labelled clips" + (m.path("stratified").asBoolean()
                ? " (stratified)" : ""));
        if (m.has("val_selected_test_top1")) {
            others.add(String.format(Locale.ROOT, "val-selected %.1f ± %.1f%%", m.path("val_selected_test_top1").asDouble(),
                    m.path("val_selected_test_top1_std").asDouble()));
        }
        others.add("best " + pct(m, "best_top1") + " (test-selected, mean over repeats)");
        return new ProtocolSummary(String.format(Locale.ROOT, "top-1 %.1f ± %.1f%%", m.path("final_top1").asDouble(),
                m.path("final_top1_std").asDouble()), others);
    }

    /** Per kind: occluded final top-1 and its drop against clean. */
    static ProtocolSummary occlusion(JsonNode m) {
        List<String> parts = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = m.path("kinds").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            parts.add(e.getKey() + " " + pct(e.getValue(), "final_top1") + " (Δ "
                    + num(e.getValue().path("drop_top1").asDouble()) + ")");
        }
        return new ProtocolSummary(String.join(", ", parts), List.of("clean " + pct(m, "clean_final_top1"),
                "training clips " + m.path("occlusion_train").asText() + ", test masks fixed by seed "
                        + m.path("mask_seed").asText()));
    }

    /** Fused top-1 and each member's. */
    static ProtocolSummary ensemble(JsonNode m) {
        List<String> others = new ArrayList<>();
        for (JsonNode member : m.path("members")) {
            others.add(member.path("name").asText() + " " + pct(member, "final_top1"));
        }
        others.add("fused " + m.path("fuse").asText());
        return new ProtocolSummary("fused top-1 " + pct(m, "final_top1"), others);
    }

    /** MPJPE over the predicted frames (headline), per frame, and the zero-velocity baseline. */
    static ProtocolSummary motion(JsonNode m) {
        List<String> frames = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = m.path("final_mpjpe_frames_mm").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            frames.add(e.getKey() + ": " + String.format(Locale.ROOT, "%.1f", e.getValue().asDouble()));
        }
        List<String> others = new ArrayList<>();
        others.add("frames " + String.join(", ", frames));
        others.add("zero-velocity " + mm(m, "zero_velocity_mpjpe_mm"));
        if (m.has("val_selected_test_mpjpe_mm")) {
            others.add("val-selected (epoch " + m.path("val_selected_epoch").asInt() + ") "
                    + mm(m, "val_selected_test_mpjpe_mm"));
        }
        others.add("best " + mm(m, "best_mpjpe_mm") + " at epoch " + m.path("best_epoch").asInt() + " (test-selected)");
        others.add(m.path("train_clips").asInt() + " train / " + m.path("test_clips").asInt() + " test clips");
        return new ProtocolSummary("MPJPE " + mm(m, "final_mpjpe_mm"), others);
    }

    static String mm(JsonNode m, String key) {
        return m.has(key) ? String.format(Locale.ROOT, "%.1f mm", m.path(key).asDouble()) : "n/a";
    }

    /** mAP_a (headline) and mAP_v at each IoU threshold. */
    static ProtocolSummary detection(JsonNode m) {
        List<String> a = new ArrayList<>();
        List<String> v = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = m.path("final_map_a").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            a.add(num(e.getValue().asDouble()) + " @" + e.getKey());
            v.add(num(m.path("final_map_v").path(e.getKey()).asDouble()) + " @" + e.getKey());
        }
        List<String> others = new ArrayList<>();
        others.add("mAP_v " + String.join(", ", v));
        others.add("frame accuracy " + pct(m, "final_test_frame_acc"));
        if (m.has("val_selected_test_map_a")) {
            List<String> sel = new ArrayList<>();
            m.path("val_selected_test_map_a").fields().forEachRemaining(e ->
                    sel.add(num(e.getValue().asDouble()) + " @" + e.getKey()));
            others.add("val-selected (epoch " + m.path("val_selected_epoch").asInt() + ") mAP_a " + String.join(", ", sel));
        }
        return new ProtocolSummary("mAP_a " + String.join(", ", a), others);
    }

    /** Any protocol without its own summary: its final_* figures. */
    static ProtocolSummary generic(JsonNode m) {
        List<String> parts = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().startsWith("final_") && e.getValue().isNumber()) {
                parts.add(e.getKey() + " " + num(e.getValue().asDouble()));
            }
        }
        return new ProtocolSummary(parts.isEmpty() ? "(see metrics.json)" : parts.get(0),
                parts.size() > 1 ? parts.subList(1, parts.size()) : List.of());
    }

    static String pct(JsonNode m, String key) {
        return m.has(key) ? String.format(Locale.ROOT, "%.1f%%", m.path(key).asDouble()) : "n/a";
    }

    static String num(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
