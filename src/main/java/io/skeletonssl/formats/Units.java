package io.skeletonssl.formats;

import io.skeletonssl.dataset.BadSampleException;
import io.skeletonssl.dataset.Record;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** Small builders for {@link SampleSource.Unit}s and their iterators, shared by the formats. */
public final class Units {

    private Units() {
    }

    /** The body of a unit: parses it into records. */
    @FunctionalInterface
    public interface Reader {
        List<Record> read() throws IOException, BadSampleException;
    }

    public static SampleSource.Unit of(String name, Reader reader) {
        return new SampleSource.Unit() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<Record> read() throws IOException, BadSampleException {
                return reader.read();
            }
        };
    }

    /** One unit per item, made lazily on the calling thread. */
    public static <T> Iterator<SampleSource.Unit> map(Iterator<T> items, Function<T, SampleSource.Unit> unit) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return items.hasNext();
            }

            @Override
            public SampleSource.Unit next() {
                return unit.apply(items.next());
            }
        };
    }

    /** Zero or more units per item (e.g. one per label row of a video), expanded lazily. */
    public static <T> Iterator<SampleSource.Unit> flatMap(Iterator<T> items,
                                                          BiConsumer<T, List<SampleSource.Unit>> expand) {
        return new Iterator<>() {
            private final List<SampleSource.Unit> pending = new ArrayList<>();
            private int next;

            @Override
            public boolean hasNext() {
                while (next >= pending.size() && items.hasNext()) {
                    pending.clear();
                    next = 0;
                    expand.accept(items.next(), pending);
                }
                return next < pending.size();
            }

            @Override
            public SampleSource.Unit next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return pending.get(next++);
            }
        };
    }
}
