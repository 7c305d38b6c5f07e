package io.skeletonssl.formats;

import io.skeletonssl.dataset.BadSampleException;
import io.skeletonssl.dataset.Record;
import io.skeletonssl.layout.SkeletonLayout;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * An input dataset format: a sequence of independent units of work (a file, a row of an array),
 * each turned into zero or more {@link Record}s. {@link io.skeletonssl.formats.Converter} reads the
 * units on worker threads and writes the records in order.
 */
public interface SampleSource extends AutoCloseable {

    /** What the converted dataset will be. */
    record Info(String format, SkeletonLayout layout, int persons, int maxFrames, int numClasses,
                List<String> classNames, Map<String, Object> options) {
    }

    Info info();

    /** Number of units, or -1 if unknown (for the progress bar). */
    long size();

    /**
     * The units of work in a stable order. {@code next()} runs on the calling thread (sequential
     * input such as a zip stream is read there); {@link Unit#read()} may run on any thread.
     */
    Iterator<Unit> units() throws IOException;

    /** One unit of work. */
    interface Unit {
        /** A name for progress and error reports (a file name, {@code train[12]}). */
        String name();

        /** Parses the unit; a bad unit throws {@link BadSampleException} and is skipped. */
        List<Record> read() throws IOException, BadSampleException;
    }

    @Override
    default void close() throws IOException {
    }
}
