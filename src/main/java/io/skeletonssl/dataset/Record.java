package io.skeletonssl.dataset;

/** What a dataset source yields: a trimmed clip or an untrimmed stream. */
public sealed interface Record permits Sample, StreamSample {

    SampleMeta meta();

    /** A split chosen by the source itself (e.g. the train/test parts of an npz), or null. */
    String sourceSplit();

    default String name() {
        return meta().name();
    }
}
