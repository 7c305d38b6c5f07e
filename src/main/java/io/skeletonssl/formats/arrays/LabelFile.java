package io.skeletonssl.formats.arrays;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@code *_label.pkl} of the 2s-AGCN / ST-GCN family (PCM3, CMD, AimCLR, skeleton-contrast): a
 * pickled pair {@code (sample names, 0-based labels)}, read with {@link SafePickle}.
 *
 * @param names  sample names, e.g. {@code S001C001P001R001A001.skeleton}
 * @param labels 0-based class of each sample
 */
public record LabelFile(List<String> names, int[] labels) {

    public LabelFile {
        names = List.copyOf(names);
        labels = labels.clone();
        if (names.size() != labels.length) {
            throw new IllegalArgumentException(names.size() + " names but " + labels.length + " labels");
        }
    }

    public int size() {
        return labels.length;
    }

    @Override
    public int[] labels() {
        return labels.clone();
    }

    public int label(int i) {
        return labels[i];
    }

    public static LabelFile read(Path file) throws IOException {
        return parse(SafePickle.load(file), file.toString());
    }

    /** Interprets an unpickled object; {@code what} names the file in messages. */
    public static LabelFile parse(Object pickled, String what) throws IOException {
        List<Object> pair = sequence(pickled);
        if (pair == null || pair.size() != 2) {
            throw new IOException("label file " + what + ": expected a pair (list of names, list of labels), found "
                    + describe(pickled));
        }
        List<Object> names = sequence(pair.get(0));
        List<Object> labels = sequence(pair.get(1));
        if (names == null) {
            throw new IOException("label file " + what + ": the first item should be the list of sample names, found "
                    + describe(pair.get(0)));
        }
        if (labels == null) {
            throw new IOException("label file " + what + ": the second item should be the list of labels, found "
                    + describe(pair.get(1)));
        }
        if (names.size() != labels.size()) {
            throw new IOException("label file " + what + " lists " + names.size() + " names but " + labels.size()
                    + " labels");
        }
        List<String> outNames = new ArrayList<>(names.size());
        int[] outLabels = new int[labels.size()];
        for (int i = 0; i < names.size(); i++) {
            Object n = names.get(i);
            if (n instanceof String s) {
                outNames.add(s);
            } else if (n instanceof byte[] b) {
                outNames.add(new String(b, StandardCharsets.UTF_8));
            } else {
                throw new IOException("label file " + what + ": name " + i + " is " + describe(n)
                        + ", expected a string");
            }
            outLabels[i] = label(labels.get(i), i, outNames.get(i), what);
        }
        return new LabelFile(outNames, outLabels);
    }

    private static int label(Object o, int i, String name, String what) throws IOException {
        long v;
        if (o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Byte) {
            v = ((Number) o).longValue();
        } else if (o instanceof BigInteger b) {
            v = b.bitLength() < 63 ? b.longValue() : Long.MAX_VALUE;
        } else if (o instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1L << 31) {
            // a float holding a whole number (e.g. labels kept as numpy float64): accepted
            v = d.longValue();
        } else {
            throw new IOException("label file " + what + ": label " + i + " (sample " + name + ") is "
                    + describe(o) + ", expected a non-negative integer");
        }
        if (v < 0) {
            throw new IOException("label file " + what + ": label " + i + " (sample " + name + ") is " + v
                    + "; labels must be 0-based class indices");
        }
        if (v > Integer.MAX_VALUE) {
            throw new IOException("label file " + what + ": label " + i + " (sample " + name + ") is " + v
                    + ", too large for a class index");
        }
        return (int) v;
    }

    private static List<Object> sequence(Object o) {
        if (o instanceof Object[] t) {
            return Arrays.asList(t);
        }
        if (o instanceof List<?> l) {
            return new ArrayList<>(l);
        }
        if (o instanceof SafePickle.NdArray a && a.hasData()) {
            return a.elements();
        }
        return null;
    }

    private static String describe(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof Object[] t) {
            return "a tuple of " + t.length + " items";
        }
        if (o instanceof List<?> l) {
            return "a list of " + l.size() + " items";
        }
        if (o instanceof java.util.Map<?, ?> m) {
            return "a dict of " + m.size() + " items";
        }
        if (o instanceof String s) {
            return "the string '" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "'";
        }
        if (o instanceof byte[] b) {
            return "bytes of length " + b.length;
        }
        if (o instanceof SafePickle.NdArray a) {
            return a.hasData() ? "a numpy array of " + a.length() + " items" : "a numpy array without data";
        }
        if (o instanceof Boolean b) {
            return "the bool " + (b ? "True" : "False");
        }
        if (o instanceof Number n) {
            return "the number " + n;
        }
        return "a " + o.getClass().getSimpleName();
    }
}
