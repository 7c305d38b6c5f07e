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

    /** Suffix of the stream splits that share a dataset folder with clip splits. */
    String STREAM_SUFFIX = "_streams";

    /**
     * {@code base}, with streams in their own splits next to the clips: a stream that {@code base}
     * puts in split S goes to {@code S_streams} (as {@code prepare --mode both} and
     * {@code synth --streams} write them).
     */
    static SplitAssigner withStreamSplits(SplitAssigner base) {
        return r -> {
            String s = base.assign(r);
            return s != null && r instanceof io.skeletonssl.dataset.StreamSample ? s + STREAM_SUFFIX : s;
        };
    }

    /** Names the splits the assigner may produce, for checks; empty if open-ended. */
    default java.util.List<String> splitNames() {
        return java.util.List.of();
    }
}
