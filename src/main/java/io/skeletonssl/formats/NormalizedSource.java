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
public final class NormalizedSource implements SampleSource {

    /** A change of one sequence's (3, T, V, M) coordinates into a new array. */
    @FunctionalInterface
    interface Coordinates {
        float[] apply(float[] data, int frames, int joints, int persons);
    }

    private final SampleSource inner;
    private final Normalization.Plan plan;

    public NormalizedSource(SampleSource inner, Normalization.Plan plan) {
        this.inner = inner;
        this.plan = plan;
    }

    public Normalization.Plan plan() {
        return plan;
    }

    @Override
    public Info info() {
        Info i = inner.info();
        Map<String, Object> options = new LinkedHashMap<>(i.options());
        options.put("normalization", plan.describe(i.layout()));
        return new Info(i.format(), i.layout(), i.persons(), i.maxFrames(), i.numClasses(), i.classNames(), options);
    }

    @Override
    public long size() {
        return inner.size();
    }

    @Override
    public Iterator<Unit> units() throws IOException {
        if (!plan.changesData()) {
            return inner.units();
        }
        var layout = inner.info().layout();
        return map(inner.units(), (d, t, v, m) -> plan.apply(d, t, v, m, layout));
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
