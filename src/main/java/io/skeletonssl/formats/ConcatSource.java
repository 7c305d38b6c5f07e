package io.skeletonssl.formats;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * Several sources written into one dataset one after the other, e.g. the trimmed clips and the
 * untrimmed streams of PKU-MMD. They must agree on layout and persons; the first one's info is used,
 * so put the clip source first.
 */
public final class ConcatSource implements SampleSource {

    private final List<SampleSource> parts;

    public ConcatSource(List<SampleSource> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("no sources");
        }
        Info first = parts.get(0).info();
        for (SampleSource p : parts) {
            Info i = p.info();
            if (!i.layout().equals(first.layout()) || i.persons() != first.persons()) {
                throw new IllegalArgumentException("sources disagree on layout or persons: " + i.format());
            }
        }
        this.parts = List.copyOf(parts);
    }

    @Override
    public Info info() {
        // T of the clip arrays comes from the first part; streams are stored unpadded
        Info first = parts.get(0).info();
        return new Info(first.format(), first.layout(), first.persons(), first.maxFrames(), first.numClasses(),
                first.classNames(), first.options());
    }

    @Override
    public long size() {
        long n = 0;
        for (SampleSource p : parts) {
            if (p.size() < 0) {
                return -1;
            }
            n += p.size();
        }
        return n;
    }

    @Override
    public Iterator<Unit> units() throws IOException {
        List<Iterator<Unit>> its = new ArrayList<>();
        for (SampleSource p : parts) {
            its.add(p.units());
        }
        Iterator<Iterator<Unit>> outer = its.iterator();
        return new Iterator<>() {
            Iterator<Unit> current = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && outer.hasNext()) {
                    current = outer.next();
                }
                return current.hasNext();
            }

            @Override
            public Unit next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return current.next();
            }
        };
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (SampleSource p : parts) {
            try {
                p.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
