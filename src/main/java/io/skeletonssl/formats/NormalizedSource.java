package io.skeletonssl.formats;

import io.skeletonssl.dataset.Record;
import io.skeletonssl.dataset.Sample;
import io.skeletonssl.dataset.StreamSample;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Wraps a source so that every clip and stream is normalised by a {@link Normalization.Plan}
 * (sequence by sequence, on the converter's worker threads, so conversion stays streaming); the plan
 * goes into the info's options as {@code normalization}, hence into the manifest.
 */
public class NormalizedSource implements SampleSource {

    /** A change of one sequence's (3, T, V, M) coordinates into a new array. */
    @FunctionalInterface
    interface Coordinates {
        float[] apply(float[] data, int frames, int joints, int persons);
    }

    private final SampleSource inner;
    private final String optionKey;
    private final Object optionValue;
    private final Coordinates change;

    public NormalizedSource(SampleSource inner, Normalization.Plan plan) {
        this(inner, "normalization", plan.describe(inner.info().layout()), plan.changesData()
                ? (d, t, v, m) -> plan.apply(d, t, v, m, inner.info().layout()) : null);
    }

    /** {@code change} (null: none) applied to every sequence, recorded as the option {@code optionKey}. */
    NormalizedSource(SampleSource inner, String optionKey, Object optionValue, Coordinates change) {
        this.inner = inner;
        this.optionKey = optionKey;
        this.optionValue = optionValue;
        this.change = change;
    }

    @Override
    public Info info() {
        Info i = inner.info();
        Map<String, Object> options = new LinkedHashMap<>(i.options());
        options.put(optionKey, optionValue);
        return new Info(i.format(), i.layout(), i.persons(), i.maxFrames(), i.numClasses(), i.classNames(), options);
    }

    @Override
    public long size() {
        return inner.size();
    }

    @Override
    public Iterator<Unit> units() throws IOException {
        return change == null ? inner.units() : map(inner.units(), change);
    }

    /** The units of {@code units} with {@code change} applied to the coordinates of every record they give. */
    static Iterator<Unit> map(Iterator<Unit> units, Coordinates change) {
        return Units.map(units, u -> Units.of(u.name(), () -> mapAll(u.read(), change)));
    }

    private static List<Record> mapAll(List<Record> records, Coordinates change) {
        List<Record> out = new ArrayList<>(records.size());
        for (Record r : records) {
            if (r instanceof Sample s) {
                out.add(new Sample(change.apply(s.data(), s.frames(), s.joints(), s.persons()), s.frames(),
                        s.joints(), s.persons(), s.validFrames(), s.label(), s.meta(), s.sourceSplit()));
            } else if (r instanceof StreamSample s) {
                out.add(new StreamSample(change.apply(s.data(), s.frames(), s.joints(), s.persons()), s.frames(),
                        s.joints(), s.persons(), s.frameLabels(), s.segments(), s.meta(), s.sourceSplit()));
            } else {
                throw new IllegalStateException("unknown record type " + r.getClass());
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }
}
