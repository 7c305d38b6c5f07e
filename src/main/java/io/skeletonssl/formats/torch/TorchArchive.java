package io.skeletonssl.formats.torch;

import io.skeletonssl.formats.arrays.SafePickle;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads a PyTorch {@code torch.save} archive (the zip format of torch ≥ 1.6) without Python:
 * {@code <prefix>/data.pkl} is decoded by {@link SafePickle} with an allow-list of tensors
 * ({@code torch._utils._rebuild_tensor_v2}, {@code _rebuild_parameter}), storage classes
 * ({@code torch.FloatStorage}...), {@code collections.OrderedDict}, {@code argparse.Namespace} and
 * plain data (numpy scalars included); any other global is refused before anything is built.
 * Storages ({@code <prefix>/data/<key>}, raw, in the order of {@code <prefix>/byteorder}, little
 * if absent) are read lazily when a {@link TorchTensor}'s values are asked for.
 *
 * <p>Results: dict → {@link Map} (pickled order), OrderedDict → {@link PickledOrderedDict},
 * Namespace → {@link PickledNamespace}, tensor → {@link TorchTensor}, other types as {@link SafePickle}.
 */
public final class TorchArchive implements Closeable {

    /** The pickle of a checkpoint holds structure only; a larger one is refused rather than read. */
    public static final long MAX_PICKLE_BYTES = 256L << 20;

    private static final String PURPOSE = "a PyTorch checkpoint may hold only tensors, storages, dicts, "
            + "OrderedDicts, argparse Namespaces and plain values (lists, tuples, strings, numbers, booleans, None)";
    private static final Map<String, SafePickle.Global> GLOBALS = globals();

    private final Path file;
    private final ZipFile zip;
    private final String prefix;
    private final ByteOrder order;
    private final Map<String, TorchStorage> storages = new HashMap<>();
    private final Object root;

    private TorchArchive(Path file, ZipFile zip) throws IOException {
        this.file = file;
        this.zip = zip;
        this.prefix = findPrefix();
        this.order = byteOrder();
        ZipEntry pkl = zip.getEntry(prefix + "data.pkl");
        if (pkl.getSize() > MAX_PICKLE_BYTES) {
            throw new IOException(file + ": " + pkl.getName() + " has " + pkl.getSize() + " bytes; a checkpoint's "
                    + "pickle is far smaller");
        }
        byte[] data = readEntry(pkl, Math.toIntExact(Math.max(0, pkl.getSize())));
        this.root = SafePickle.loads(data, file + ":" + pkl.getName(),
                new SafePickle.Extension(PURPOSE, GLOBALS, this::persistentLoad));
    }

    /** Opens an archive; a clear error for a legacy (non-zip) file, a file that is not PyTorch's, or a damaged one. */
    public static TorchArchive open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such checkpoint file");
        }
        checkMagic(file);
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new IOException(file + ": damaged or truncated zip archive, not a readable PyTorch checkpoint ("
                    + e.getMessage() + ")", e);
        }
        try {
            return new TorchArchive(file, zip);
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    private static void checkMagic(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(262);
        }
        if (head.length == 0) {
            throw new IOException(file + ": empty file, not a PyTorch checkpoint");
        }
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return;
        }
        boolean tar = head.length >= 262
                && new String(head, 257, 5, StandardCharsets.ISO_8859_1).equals("ustar");
        if ((head[0] & 0xff) == 0x80 || tar) {
            throw new IOException(file + ": a legacy (non-zip) torch.save file, written by torch < 1.6 or with "
                    + "_use_new_zipfile_serialization=False; only the zip format is supported. Re-save it with "
                    + "torch >= 1.6: torch.save(torch.load(f, map_location='cpu'), 'new.pth')");
        }
        throw new IOException(file + ": not a PyTorch checkpoint (neither a torch.save zip archive nor a legacy "
                + "torch.save file)");
    }

    private String findPrefix() throws IOException {
        List<String> found = new ArrayList<>();
        for (ZipEntry e : Collections.list(zip.entries())) {
            String n = e.getName();
            if (n.endsWith("/data.pkl") && n.indexOf('/') == n.length() - "/data.pkl".length()) {
                found.add(n.substring(0, n.length() - "data.pkl".length()));
            }
        }
        if (found.size() != 1) {
            throw new IOException(file + ": a zip archive but not a torch.save file: expected one '<name>/data.pkl' "
                    + "record, found " + (found.isEmpty() ? "none" : found.size()));
        }
        return found.get(0);
    }

    private ByteOrder byteOrder() throws IOException {
        ZipEntry e = zip.getEntry(prefix + "byteorder");
        if (e == null) {
            return ByteOrder.LITTLE_ENDIAN;
        }
        String s = new String(readEntry(e, (int) Math.min(16, Math.max(0, e.getSize()))), StandardCharsets.US_ASCII)
                .trim();
        return switch (s) {
            case "little" -> ByteOrder.LITTLE_ENDIAN;
            case "big" -> ByteOrder.BIG_ENDIAN;
            default -> throw new IOException(file + ": unknown byte order '" + s + "' in " + e.getName());
        };
    }

    private byte[] readEntry(ZipEntry e, int length) throws IOException {
        try (InputStream in = zip.getInputStream(e)) {
            byte[] b = in.readNBytes(length);
            if (b.length != length) {
                throw new IOException(file + ": record " + e.getName() + " is truncated (" + b.length + " of "
                        + length + " bytes)");
            }
            return b;
        } catch (ZipException ex) {
            throw new IOException(file + ": record " + e.getName() + " is damaged: " + ex.getMessage(), ex);
        }
    }

    private ByteBuffer readStorage(TorchStorage s) throws IOException {
        ZipEntry e = zip.getEntry(prefix + "data/" + s.key());
        if (e == null) {
            throw new IOException(file + ": storage " + s.key() + " (" + prefix + "data/" + s.key()
                    + ") is missing from the archive");
        }
        long want = Math.multiplyExact(s.numel(), (long) s.dtype().itemSize());
        if (e.getSize() != want) {
            throw new IOException(file + ": storage " + e.getName() + " has " + e.getSize() + " bytes, its "
                    + s.numel() + " " + s.dtype() + " elements need " + want);
        }
        if (want > Integer.MAX_VALUE - 8) {
            throw new IOException(file + ": storage " + e.getName() + " of " + want + " bytes is too large");
        }
        return ByteBuffer.wrap(readEntry(e, (int) want)).order(order);
    }

    /** {@code ('storage', torch.XStorage, key, location, numel)} → the (shared) storage of that key. */
    private Object persistentLoad(Object[] wrapped) {
        Object pid = wrapped[0];
        if (!(pid instanceof Object[] t) || t.length != 5 || !"storage".equals(t[0])) {
            throw new IllegalArgumentException("expected ('storage', class, key, location, numel)");
        }
        if (!(t[1] instanceof SafePickle.GlobalRef ref) || dtypeOf(ref.qualifiedName()) == null) {
            throw new IllegalArgumentException("names no torch storage class");
        }
        if (!(t[2] instanceof String key) || key.isEmpty() || key.contains("/") || key.contains("..")) {
            throw new IllegalArgumentException("the storage key must be a plain name");
        }
        TorchDtype dtype = dtypeOf(ref.qualifiedName());
        long numel = integer(t[4], "numel");
        if (numel < 0) {
            throw new IllegalArgumentException("negative element count");
        }
        TorchStorage s = storages.computeIfAbsent(key, k -> new TorchStorage(k, dtype, numel, this::readStorage));
        if (s.dtype() != dtype || s.numel() != numel) {
            throw new IllegalArgumentException("storage " + key + " is named as " + s.dtype() + "×" + s.numel()
                    + " and as " + dtype + "×" + numel);
        }
        return s;
    }

    private static TorchDtype dtypeOf(String qualified) {
        for (TorchDtype d : TorchDtype.values()) {
            if (qualified.equals("torch." + d.storageClass())) {
                return d;
            }
        }
        return null;
    }

    private static Map<String, SafePickle.Global> globals() {
        Map<String, SafePickle.Global> g = new LinkedHashMap<>();
        for (TorchDtype d : TorchDtype.values()) {
            g.put("torch." + d.storageClass(), args -> {
                throw new IllegalArgumentException("a storage class may be named in a persistent id, not called");
            });
        }
        g.put("torch._utils._rebuild_tensor_v2", TorchArchive::rebuildTensor);
        g.put("torch._utils._rebuild_parameter", TorchArchive::rebuildParameter);
        g.put("torch._utils._rebuild_parameter_with_state", TorchArchive::rebuildParameter);
        g.put("collections.OrderedDict", args -> {
            PickledOrderedDict d = new PickledOrderedDict();
            if (args.length == 1 && args[0] instanceof List<?> pairs) {
                for (Object p : pairs) {
                    if (!(p instanceof Object[] kv) || kv.length != 2) {
                        throw new IllegalArgumentException("items must be (key, value) pairs");
                    }
                    d.put(kv[0], kv[1]);
                }
            } else if (args.length != 0) {
                throw new IllegalArgumentException("expected no arguments or a list of pairs");
            }
            return d;
        });
        g.put("argparse.Namespace", args -> {
            if (args.length != 0) {
                throw new IllegalArgumentException("expected no positional arguments");
            }
            return new PickledNamespace(Map.of());
        });
        return Map.copyOf(g);
    }

    /** {@code _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, backward_hooks[, metadata])}. */
    private static Object rebuildTensor(Object[] a) {
        if (a.length != 6 && a.length != 7) {
            throw new IllegalArgumentException("expected 6 or 7 arguments, got " + a.length);
        }
        if (!(a[0] instanceof TorchStorage storage)) {
            throw new IllegalArgumentException("the first argument must be a storage (a persistent id)");
        }
        requireNoHooks(a[5]);
        return new TorchTensor(storage, integer(a[1], "offset"), longs(a[2], "size"), longs(a[3], "stride"));
    }

    /** {@code _rebuild_parameter(data, requires_grad, backward_hooks[, state])}: the data tensor. */
    private static Object rebuildParameter(Object[] a) {
        if ((a.length != 3 && a.length != 4) || !(a[0] instanceof TorchTensor t)) {
            throw new IllegalArgumentException("expected (tensor, requires_grad, backward_hooks[, state])");
        }
        requireNoHooks(a[2]);
        return t;
    }

    private static void requireNoHooks(Object hooks) {
        if (hooks != null && !(hooks instanceof Map<?, ?> m && m.isEmpty())) {
            throw new IllegalArgumentException("backward hooks must be an empty dict");
        }
    }

    private static long integer(Object o, String what) {
        if (o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Byte) {
            return ((Number) o).longValue();
        }
        if (o instanceof BigInteger b && b.bitLength() < 63) {
            return b.longValue();
        }
        throw new IllegalArgumentException(what + " must be an integer, got " + o);
    }

    private static long[] longs(Object o, String what) {
        if (!(o instanceof Object[] t)) {
            throw new IllegalArgumentException(what + " must be a tuple of integers");
        }
        long[] out = new long[t.length];
        for (int i = 0; i < t.length; i++) {
            out[i] = integer(t[i], what);
        }
        return out;
    }

    public Path file() {
        return file;
    }

    /** The decoded object {@code torch.save} was given. Tensors read their values while the archive is open. */
    public Object root() {
        return root;
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
