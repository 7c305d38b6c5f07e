package io.skeletonssl.formats;

import io.skeletonssl.dataset.Record;

/** Decides the split of each record: a split name, or null to leave it out of every split. */
@FunctionalInterface
public interface SplitAssigner {

    String assign(Record record);

    /** Keeps the split chosen by the source (e.g. the x_train / x_test parts of an npz). */
    static SplitAssigner fromSource() {
        return r -> r.sourceSplit() == null ? "all" : r.sourceSplit();
    }

    /** Everything in one split. */
    static SplitAssigner single(String split) {
        return r -> split;
    }

    /** Names the splits the assigner may produce, for checks; empty if open-ended. */
    default java.util.List<String> splitNames() {
        return java.util.List.of();
    }
}
