package io.skeletonssl.training;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code pretrain.clip_budget}: the number of clip passes a run aims for, so that one preset fits
 * datasets of different sizes in about the same time. A new run's epochs become
 * {@code clamp(round(clip_budget / train clips), 1, pretrain.epochs)} (the preset's epochs are the
 * cap), and epoch milestones of a step-decay schedule shrink in proportion. The resolved epochs and
 * milestones are what config.yaml records, so a resumed run keeps them; 0 turns the budget off.
 */
public final class ClipBudget {

    private ClipBudget() {
    }

    /** Validates the setting (a bound record calls this). */
    public static void check(long clipBudget) {
        if (clipBudget < 0) {
            throw new IllegalArgumentException("pretrain.clip_budget must be >= 0 (0 = train pretrain.epochs epochs; "
                    + "N = about N clip passes, at most pretrain.epochs epochs), got " + clipBudget);
        }
    }

    /** The epochs a budget gives for {@code clips} training clips, at most {@code cap}. */
    public static int epochs(long clipBudget, int clips, int cap) {
        if (clipBudget <= 0 || clips <= 0) {
            return cap;
        }
        long e = Math.round((double) clipBudget / clips);
        return (int) Math.max(1, Math.min(cap, e));
    }

    /** Milestones of {@code cap} epochs moved in proportion to a run of {@code epochs}, increasing, in [1, epochs). */
    public static List<Integer> scaledMilestones(List<Integer> milestones, int cap, int epochs) {
        List<Integer> out = new ArrayList<>();
        for (int m : milestones) {
            int s = (int) Math.round((double) m * epochs / cap);
            s = Math.max(1, Math.min(epochs - 1, s));
            if (epochs > 1 && (out.isEmpty() || s > out.get(out.size() - 1))) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * Applies the budget of {@code tree}'s pretrain section for a dataset of {@code clips} training
     * clips, rewriting {@code pretrain.epochs} (and {@code pretrain.milestones} where present); returns
     * a line saying what it did, or null when the budget is off or changes nothing.
     */
    public static String apply(ObjectNode tree, int clips) {
        if (!(tree.get("pretrain") instanceof ObjectNode pt)) {
            return null;
        }
        long budget = pt.path("clip_budget").asLong(0);
        int cap = pt.path("epochs").asInt();
        int epochs = epochs(budget, clips, cap);
        if (budget <= 0 || epochs == cap) {
            return null;
        }
        pt.put("epochs", epochs);
        String milestones = "";
        if (pt.get("milestones") instanceof ArrayNode ms && !ms.isEmpty()) {
            List<Integer> before = new ArrayList<>();
            ms.forEach(n -> before.add(n.asInt()));
            List<Integer> after = scaledMilestones(before, cap, epochs);
            ArrayNode out = pt.putArray("milestones");
            after.forEach(out::add);
            milestones = ", milestones " + before + " -> " + after;
        }
        return String.format(java.util.Locale.ROOT,
                "pretrain.clip_budget %d over %d training clips: %d epochs (pretrain.epochs %d is the cap)%s",
                budget, clips, epochs, cap, milestones);
    }
}
