package io.skeletonssl.formats.arrays;

import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads pickle files as untrusted input. Only plain data is accepted: tuples, lists, dicts, sets,
 * str, bytes, int, float, bool, None, and numpy scalars and 1-D arrays of numbers or strings. Any
 * other class a pickle names is refused before anything is built, and what is built is built by
 * our own code: nothing a pickle says is ever executed.
 *
 * <p>Decoding of opcodes is Pyrolite's (protocols 0–5); we intercept the opcodes that name classes
 * (GLOBAL, STACK_GLOBAL, INST), call {@code __setstate__} (BUILD) or refer outside the file
 * (persistent ids, extension codes), and check every length prefix against the bytes left, so a
 * hostile length cannot make us allocate gigabytes.
 *
 * <p>Results: tuple → {@code Object[]}, list → {@link List}, dict → {@link Map}, str → {@link String},
 * bytes → {@code byte[]}, int → {@link Integer}/{@link Long}/{@link BigInteger}, float → {@link Double},
 * numpy integer/float/bool/str/bytes scalars → {@link Long} (or {@link BigInteger} above 2^63)/{@link Double}/
 * {@link Boolean}/{@link String}/{@link String} (latin-1),
 * numpy arrays → {@link NdArray}.
 *
 * <p>Other readers widen the allow-list with an {@link Extension}: more globals, each built by a
 * {@link Global} of ours, and a persistent-id loader (e.g. the storages of a PyTorch archive).
 * Dicts keep their pickled order.
 */
public final class SafePickle {

    /** Label files are small; a larger "label file" is refused rather than read. */
    public static final long MAX_BYTES = 1L << 30;

    private static final Map<String, Kind> ALLOWED = Map.ofEntries(
            Map.entry("numpy.core.multiarray.scalar", Kind.SCALAR),
            Map.entry("numpy._core.multiarray.scalar", Kind.SCALAR),
            Map.entry("numpy.dtype", Kind.DTYPE),
            Map.entry("numpy.core.multiarray._reconstruct", Kind.RECONSTRUCT),
            Map.entry("numpy._core.multiarray._reconstruct", Kind.RECONSTRUCT),
            Map.entry("numpy.ndarray", Kind.NDARRAY_TYPE),
            Map.entry("numpy.core.numeric._frombuffer", Kind.FROMBUFFER),
            Map.entry("numpy._core.numeric._frombuffer", Kind.FROMBUFFER),
            Map.entry("_codecs.encode", Kind.CODECS_ENCODE),
            Map.entry("builtins.bytes", Kind.BYTES),
            Map.entry("__builtin__.bytes", Kind.BYTES));

    private SafePickle() {
    }

    /** Whether {@code module.name} is a global a pickle may name. */
    public static boolean allows(String module, String name) {
        return ALLOWED.containsKey(module + "." + name);
    }

    /** Reads and decodes a pickle file. */
    public static Object load(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new IOException("pickle file " + file + " has " + size + " bytes; label files are far smaller");
        }
        return loads(Files.readAllBytes(file), file.toString());
    }

    /** Decodes pickle bytes; {@code what} names their file in messages. */
    public static Object loads(byte[] data, String what) throws IOException {
        return loads(data, what, Extension.LABELS);
    }

    /** Decodes pickle bytes with a wider allow-list; {@code what} names their file in messages. */
    public static Object loads(byte[] data, String what, Extension extension) throws IOException {
        GuardedUnpickler u = new GuardedUnpickler(what, data.length, Objects.requireNonNull(extension));
        ByteArrayInputStream in = new ByteArrayInputStream(data);
        try {
            return u.load(in);
        } catch (Refused e) {
            throw new IOException(e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            if (in.available() == 0) {
                throw new IOException("pickle file " + what + " is truncated (it ends after " + data.length
                        + " bytes, before the pickle's STOP opcode)", e);
            }
            throw new IOException("pickle file " + what + " is malformed at byte " + (data.length - in.available())
                    + ": " + e, e);
        } finally {
            u.close();
        }
    }

    /**
     * What a reader allows beyond plain data: {@code globals} maps {@code module.name} to the code of
     * ours that builds it; {@code persistentLoad} (or null: persistent ids refused) resolves persistent
     * ids; {@code purpose} ends the message refusing any other global (what the file should hold).
     */
    public record Extension(String purpose, Map<String, Global> globals, Global persistentLoad) {
        /** Label files: plain data only. */
        public static final Extension LABELS = new Extension("label files hold only lists of names and labels",
                Map.of(), null);

        public Extension {
            Objects.requireNonNull(purpose);
            globals = Map.copyOf(globals);
        }
    }

    /**
     * Builds the object a pickle asks for, from plain data already checked by the unpickler.
     * Throw {@link IllegalArgumentException} for arguments that do not fit; its message is reported.
     */
    @FunctionalInterface
    public interface Global {
        Object call(Object[] args);
    }

    /** An object built by a {@link Global} that accepts a BUILD ({@code __setstate__}) state. */
    public interface Stateful {
        /** Throw {@link IllegalArgumentException} for a state that does not fit. */
        void setState(Object state);
    }

    /** An allowed extension global as it sits on the stack (e.g. a storage class named in a persistent id). */
    public static final class GlobalRef implements IObjectConstructor {
        private final String qualifiedName;
        private final Global global;
        private final GuardedUnpickler u;

        private GlobalRef(String qualifiedName, Global global, GuardedUnpickler u) {
            this.qualifiedName = qualifiedName;
            this.global = global;
            this.u = u;
        }

        /** {@code module.name}. */
        public String qualifiedName() {
            return qualifiedName;
        }

        @Override
        public Object construct(Object[] args) {
            try {
                return global.call(args);
            } catch (IllegalArgumentException e) {
                throw u.malformed(qualifiedName + ": " + e.getMessage());
            }
        }

        @Override
        public String toString() {
            return qualifiedName;
        }
    }

    /** A pickle asked for something we do not do; message is final. */
    private static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private enum Kind { SCALAR, DTYPE, RECONSTRUCT, NDARRAY_TYPE, FROMBUFFER, CODECS_ENCODE, BYTES }

    private static final class GuardedUnpickler extends Unpickler {
        private final String what;
        private final int total;
        private final Extension ext;

        GuardedUnpickler(String what, int total, Extension ext) {
            this.what = what;
            this.total = total;
            this.ext = ext;
        }

        private Refused forbidden(String module, String name) {
            return new Refused("pickle file " + what + " names forbidden class " + module + "." + name
                    + "; " + ext.purpose());
        }

        private Refused malformed(String reason) {
            return new Refused("pickle file " + what + ": " + reason);
        }

        @Override
        protected Object dispatch(short key) throws IOException {
            switch (key) {
                case Opcodes.GLOBAL -> {
                    String module = PickleUtils.readline(input);
                    String name = PickleUtils.readline(input);
                    stack.add(resolve(module, name));
                    return NO_RETURN_VALUE;
                }
                case Opcodes.STACK_GLOBAL -> {
                    Object name = stack.pop();
                    Object module = stack.pop();
                    if (!(name instanceof String n) || !(module instanceof String m)) {
                        throw malformed("STACK_GLOBAL needs two strings");
                    }
                    stack.add(resolve(m, n));
                    return NO_RETURN_VALUE;
                }
                case Opcodes.INST -> {
                    String module = PickleUtils.readline(input);
                    String name = PickleUtils.readline(input);
                    if (!allows(module, name)) {
                        throw forbidden(module, name);
                    }
                    throw malformed("the INST opcode (instance of " + module + "." + name + ") is not supported");
                }
                case Opcodes.BUILD -> {
                    Object state = stack.pop();
                    Object target = stack.peek();
                    if (target instanceof Stateful s) {
                        try {
                            s.setState(state);
                        } catch (IllegalArgumentException e) {
                            throw malformed("BUILD of " + target.getClass().getSimpleName() + ": " + e.getMessage());
                        }
                        return NO_RETURN_VALUE;
                    }
                    if (!(target instanceof Buildable b)) {
                        throw malformed("BUILD (__setstate__) applied to "
                                + (target == null ? "None" : target.getClass().getSimpleName())
                                + "; only numpy dtypes and arrays take a state");
                    }
                    b.setState(state, this);
                    return NO_RETURN_VALUE;
                }
                case Opcodes.PERSID, Opcodes.BINPERSID -> {
                    if (ext.persistentLoad() == null) {
                        throw malformed("persistent ids refer to objects outside the file and are not allowed");
                    }
                    Object pid = key == Opcodes.PERSID ? PickleUtils.readline(input) : stack.pop();
                    try {
                        stack.add(ext.persistentLoad().call(new Object[] {pid}));
                    } catch (IllegalArgumentException e) {
                        throw malformed("persistent id " + describe(pid) + ": " + e.getMessage());
                    }
                    return NO_RETURN_VALUE;
                }
                case Opcodes.EMPTY_DICT -> {
                    stack.add(new LinkedHashMap<>());
                    return NO_RETURN_VALUE;
                }
                case Opcodes.DICT -> {
                    Map<Object, Object> d = new LinkedHashMap<>();
                    putPairs(d, stack.pop_all_since_marker());
                    stack.add(d);
                    return NO_RETURN_VALUE;
                }
                case Opcodes.SETITEMS -> {
                    List<Object> items = stack.pop_all_since_marker();
                    if (!(stack.peek() instanceof Map<?, ?> m)) {
                        throw malformed("SETITEMS on something that is not a dict");
                    }
                    @SuppressWarnings("unchecked")
                    Map<Object, Object> target = (Map<Object, Object>) m;
                    putPairs(target, items);
                    return NO_RETURN_VALUE;
                }
                case Opcodes.EXT1, Opcodes.EXT2, Opcodes.EXT4 -> throw malformed("extension-registry opcodes name "
                        + "classes indirectly and are not allowed");
                case Opcodes.BINSTRING, Opcodes.BINBYTES, Opcodes.BINUNICODE, Opcodes.LONG4 -> checkLength(4);
                case Opcodes.BINUNICODE8, Opcodes.BINBYTES8, Opcodes.BYTEARRAY8 -> checkLength(8);
                default -> {
                }
            }
            return super.dispatch(key);
        }

        /** Pyrolite's dicts are HashMaps filled in reverse; ours keep the pickled order. */
        private void putPairs(Map<Object, Object> target, List<Object> items) {
            if (items.size() % 2 != 0) {
                throw malformed("odd number of items for a dict");
            }
            for (int i = 0; i < items.size(); i += 2) {
                target.put(items.get(i), items.get(i + 1));
            }
        }

        private static String describe(Object pid) {
            if (pid instanceof Object[] t) {
                return Arrays.deepToString(t);
            }
            return String.valueOf(pid);
        }

        /** A length prefix must not exceed the bytes that follow it. */
        private void checkLength(int width) throws IOException {
            input.mark(16);
            byte[] b = input.readNBytes(width);
            input.reset();
            if (b.length < width) {
                return; // Pyrolite reports the premature end
            }
            ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            long len = width == 4 ? buf.getInt() : buf.getLong();
            long left = input.available() - width;
            long at = total - input.available() - 1;
            if (len < 0) {
                throw malformed("negative length " + len + " in the length prefix at byte " + at);
            }
            if (len > left) {
                throw new Refused("pickle file " + what + " is truncated or damaged: the item at byte " + at
                        + " declares " + len + " bytes but only " + Math.max(0, left) + " remain");
            }
        }

        private Object resolve(String module, String name) {
            Kind kind = ALLOWED.get(module + "." + name);
            if (kind == null) {
                Global g = ext.globals().get(module + "." + name);
                if (g == null) {
                    throw forbidden(module, name);
                }
                return new GlobalRef(module + "." + name, g, this);
            }
            return new Constructor(kind, module + "." + name, this);
        }
    }

    /** Objects that accept a BUILD state. */
    private interface Buildable {
        void setState(Object state, GuardedUnpickler u);
    }

    /** Our stand-in for an allowed global; calling it builds plain data with our code. */
    private static final class Constructor implements IObjectConstructor {
        private final Kind kind;
        private final String qualified;
        private final GuardedUnpickler u;

        Constructor(Kind kind, String qualified, GuardedUnpickler u) {
            this.kind = kind;
            this.qualified = qualified;
            this.u = u;
        }

        @Override
        public Object construct(Object[] args) {
            return switch (kind) {
                case DTYPE -> {
                    if (args.length < 1 || !(args[0] instanceof String s)) {
                        throw u.malformed("numpy.dtype needs a type string");
                    }
                    yield Dtype.parse(s, u);
                }
                case SCALAR -> {
                    if (args.length != 2 || !(args[0] instanceof Dtype d)) {
                        throw u.malformed(qualified + " needs (dtype, bytes)");
                    }
                    yield d.scalar(bytesOf(args[1], u), u);
                }
                case RECONSTRUCT -> {
                    if (args.length < 1 || !(args[0] instanceof Constructor c) || c.kind != Kind.NDARRAY_TYPE) {
                        throw u.malformed(qualified + " may only rebuild numpy.ndarray");
                    }
                    yield new NdArray();
                }
                case FROMBUFFER -> {
                    if (args.length != 4 || !(args[1] instanceof Dtype d)) {
                        throw u.malformed(qualified + " needs (buffer, dtype, shape, order)");
                    }
                    NdArray a = new NdArray();
                    a.init(shapeOf(args[2], u), d, "F".equals(args[3]), bytesOf(args[0], u), u);
                    yield a;
                }
                case CODECS_ENCODE -> {
                    if (args.length != 2 || !(args[0] instanceof String s)
                            || !("latin1".equals(args[1]) || "latin-1".equals(args[1]))) {
                        throw u.malformed("_codecs.encode is allowed only as encode(str, 'latin1') for bytes");
                    }
                    yield s.getBytes(StandardCharsets.ISO_8859_1);
                }
                case BYTES -> {
                    if (args.length != 0) {
                        throw u.malformed(qualified + " is allowed only without arguments (empty bytes)");
                    }
                    yield new byte[0];
                }
                case NDARRAY_TYPE -> throw u.malformed("numpy.ndarray may not be called directly");
            };
        }
    }

    private static byte[] bytesOf(Object o, GuardedUnpickler u) {
        if (o instanceof byte[] b) {
            return b;
        }
        if (o instanceof String s) {
            // Python 2 str, or a latin-1 text of the bytes
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) > 0xff) {
                    throw u.malformed("expected bytes, found a text string");
                }
            }
            return s.getBytes(StandardCharsets.ISO_8859_1);
        }
        throw u.malformed("expected bytes, found " + (o == null ? "None" : o.getClass().getSimpleName()));
    }

    private static long[] shapeOf(Object o, GuardedUnpickler u) {
        if (!(o instanceof Object[] t)) {
            throw u.malformed("an array shape must be a tuple");
        }
        long[] shape = new long[t.length];
        for (int i = 0; i < t.length; i++) {
            if (!(t[i] instanceof Number n) || n instanceof Double || n.longValue() < 0) {
                throw u.malformed("an array shape must hold non-negative integers");
            }
            shape[i] = n.longValue();
        }
        return shape;
    }

    /** A numpy dtype of a plain numeric or string kind. */
    public static final class Dtype implements Buildable {
        private final char kind;
        private final String typestr;
        private int itemSize;
        private ByteOrder order = ByteOrder.LITTLE_ENDIAN;

        private Dtype(char kind, String typestr, int itemSize) {
            this.kind = kind;
            this.typestr = typestr;
            this.itemSize = itemSize;
        }

        static Dtype parse(String s, GuardedUnpickler u) {
            String t = s.startsWith("<") || s.startsWith(">") || s.startsWith("|") || s.startsWith("=")
                    ? s.substring(1) : s;
            if (t.length() < 2 || !t.substring(1).chars().allMatch(Character::isDigit) || t.length() > 8) {
                throw u.malformed("numpy dtype '" + s + "' is not a plain numeric or string type");
            }
            char k = t.charAt(0);
            int n = Integer.parseInt(t.substring(1));
            boolean ok = switch (k) {
                case 'b' -> n == 1;
                case 'i', 'u' -> n == 1 || n == 2 || n == 4 || n == 8;
                case 'f' -> n == 2 || n == 4 || n == 8;
                case 'U', 'S' -> true;
                default -> false;
            };
            if (!ok) {
                throw u.malformed("numpy dtype '" + s + "' is not allowed (numbers, bools and strings only)");
            }
            Dtype d = new Dtype(k, t, k == 'U' ? Math.multiplyExact(n, 4) : n);
            if (s.startsWith(">")) {
                d.order = ByteOrder.BIG_ENDIAN;
            }
            return d;
        }

        @Override
        public void setState(Object state, GuardedUnpickler u) {
            // (version, byteorder, subarray, names, fields, elsize, alignment, flags[, metadata])
            if (!(state instanceof Object[] t) || t.length < 8 || !(t[1] instanceof String bo)) {
                throw u.malformed("unexpected numpy dtype state");
            }
            if (t[2] != null || t[3] != null || t[4] != null) {
                throw u.malformed("structured numpy dtypes are not allowed");
            }
            switch (bo) {
                case ">" -> order = ByteOrder.BIG_ENDIAN;
                case "<", "|", "=" -> order = ByteOrder.LITTLE_ENDIAN;
                default -> throw u.malformed("unknown numpy byte order '" + bo + "'");
            }
            if ((kind == 'U' || kind == 'S') && t[5] instanceof Number n && n.intValue() >= 0) {
                itemSize = n.intValue();
            }
        }

        /** e.g. {@code i8}, {@code f4}, {@code U20}. */
        public String typestr() {
            return typestr;
        }

        public int itemSize() {
            return itemSize;
        }

        public ByteOrder order() {
            return order;
        }

        Object scalar(byte[] b, GuardedUnpickler u) {
            if (b.length != itemSize) {
                throw u.malformed("numpy " + typestr + " scalar of " + b.length + " bytes, expected " + itemSize);
            }
            return element(ByteBuffer.wrap(b).order(order), 0);
        }

        Object element(ByteBuffer b, int at) {
            return switch (kind) {
                case 'b' -> b.get(at) != 0;
                case 'i' -> switch (itemSize) {
                    case 1 -> (long) b.get(at);
                    case 2 -> (long) b.getShort(at);
                    case 4 -> (long) b.getInt(at);
                    default -> b.getLong(at);
                };
                case 'u' -> switch (itemSize) {
                    case 1 -> (long) Byte.toUnsignedInt(b.get(at));
                    case 2 -> (long) Short.toUnsignedInt(b.getShort(at));
                    case 4 -> Integer.toUnsignedLong(b.getInt(at));
                    default -> {
                        long v = b.getLong(at);
                        yield v >= 0 ? (Object) v : new BigInteger(Long.toUnsignedString(v));
                    }
                };
                case 'f' -> switch (itemSize) {
                    case 2 -> (double) Float16.toFloat(b.getShort(at));
                    case 4 -> (double) b.getFloat(at);
                    default -> b.getDouble(at);
                };
                case 'U' -> text(b, at, order == ByteOrder.BIG_ENDIAN ? Charset.forName("UTF-32BE")
                        : Charset.forName("UTF-32LE"), 4);
                default -> text(b, at, StandardCharsets.ISO_8859_1, 1);
            };
        }

        private String text(ByteBuffer b, int at, Charset cs, int unit) {
            int len = itemSize;
            // numpy pads strings with NULs
            while (len >= unit && allZero(b, at + len - unit, unit)) {
                len -= unit;
            }
            byte[] raw = new byte[len];
            b.get(at, raw);
            return new String(raw, cs);
        }

        private static boolean allZero(ByteBuffer b, int at, int n) {
            for (int i = 0; i < n; i++) {
                if (b.get(at + i) != 0) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return "dtype(" + (order == ByteOrder.BIG_ENDIAN ? ">" : "<") + typestr + ")";
        }
    }

    /** A numpy array of numbers, bools or strings (0-D or 1-D). */
    public static final class NdArray implements Buildable {
        private long[] shape;
        private Dtype dtype;
        private byte[] data;

        private NdArray() {
        }

        void init(long[] shape, Dtype dtype, boolean fortran, byte[] data, GuardedUnpickler u) {
            if (this.data != null) {
                throw u.malformed("a numpy array was given its state twice");
            }
            if (shape.length > 1) {
                throw u.malformed("numpy arrays of shape " + Arrays.toString(shape) + " are not allowed here "
                        + "(label files hold 1-D arrays)");
            }
            long count = shape.length == 0 ? 1 : shape[0];
            if (count * dtype.itemSize() != data.length) {
                throw u.malformed("numpy array of " + count + " " + dtype.typestr() + " values has "
                        + data.length + " data bytes");
            }
            this.shape = shape;
            this.dtype = dtype;
            this.data = data;
        }

        @Override
        public void setState(Object state, GuardedUnpickler u) {
            // (version, shape, dtype, is_fortran, raw data)
            if (!(state instanceof Object[] t) || t.length != 5 || !(t[2] instanceof Dtype d)) {
                throw u.malformed("unexpected numpy array state");
            }
            if (t[4] instanceof List<?>) {
                throw u.malformed("numpy object arrays are not allowed");
            }
            init(shapeOf(t[1], u), d, Boolean.TRUE.equals(t[3]), bytesOf(t[4], u), u);
        }

        /** False for an array whose state a pickle never set (then it holds nothing). */
        public boolean hasData() {
            return data != null;
        }

        private void requireData() {
            if (data == null) {
                throw new IllegalStateException("numpy array without data (its state was never set)");
            }
        }

        public Dtype dtype() {
            requireData();
            return dtype;
        }

        public int length() {
            requireData();
            return (int) (data.length / Math.max(1, dtype.itemSize()));
        }

        /** The elements as Java objects (see {@link SafePickle} for the types). */
        public List<Object> elements() {
            requireData();
            ByteBuffer b = ByteBuffer.wrap(data).order(dtype.order());
            List<Object> out = new ArrayList<>(length());
            for (int i = 0; i < length(); i++) {
                out.add(dtype.element(b, i * dtype.itemSize()));
            }
            return out;
        }

        @Override
        public String toString() {
            return data == null ? "ndarray(unset)" : "ndarray(" + dtype + ", " + Arrays.toString(shape) + ")";
        }
    }
}
