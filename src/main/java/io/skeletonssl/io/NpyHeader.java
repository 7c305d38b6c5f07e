package io.skeletonssl.io;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The header of a NumPy {@code .npy} file (format versions 1–3).
 *
 * <p>We parse the header ourselves rather than use a library because every Java npy reader we
 * know loads the whole array into one Java array, which cannot hold the 7+ GB NTU arrays; with the
 * header in hand the body is streamed or memory-mapped.
 *
 * @param dtype        numpy descr without byte order, e.g. {@code f4}, {@code f8}, {@code i8}, {@code u1}, {@code b1}
 * @param order        byte order of the body
 * @param fortranOrder whether the body is column-major
 * @param shape        the array shape
 * @param headerBytes  bytes before the body (magic + length field + header text)
 */
public record NpyHeader(String dtype, ByteOrder order, boolean fortranOrder, long[] shape, long headerBytes) {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-zA-Z]\\d*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    public long count() {
        long n = 1;
        for (long s : shape) {
            n = Math.multiplyExact(n, s);
        }
        return n;
    }

    public int itemSize() {
        return switch (dtype) {
            case "f4", "i4", "u4" -> 4;
            case "f8", "i8", "u8" -> 8;
            case "i2", "u2", "f2" -> 2;
            case "i1", "u1", "b1" -> 1;
            default -> throw new IllegalStateException("unsupported dtype " + dtype);
        };
    }

    public long bodyBytes() {
        return Math.multiplyExact(count(), (long) itemSize());
    }

    public String shapeString() {
        return Arrays.toString(shape).replace('[', '(').replace(']', ')');
    }

    /** Reads and checks the header; {@code what} names the file for error messages. */
    public static NpyHeader read(InputStream in, String what) throws IOException {
        DataInputStream din = new DataInputStream(in);
        byte[] magic = new byte[6];
        try {
            din.readFully(magic);
        } catch (EOFException e) {
            throw new IOException(what + ": file too short to be a .npy array (no header)");
        }
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IOException(what + ": not a .npy file (bad magic bytes)");
        }
        int major = din.readUnsignedByte();
        din.readUnsignedByte();
        long len;
        int prefix;
        if (major == 1) {
            len = Short.toUnsignedInt(Short.reverseBytes(din.readShort()));
            prefix = 10;
        } else if (major == 2 || major == 3) {
            len = Integer.toUnsignedLong(Integer.reverseBytes(din.readInt()));
            prefix = 12;
        } else {
            throw new IOException(what + ": unsupported .npy format version " + major);
        }
        if (len > 1 << 20) {
            throw new IOException(what + ": .npy header of " + len + " bytes is implausible");
        }
        byte[] text = new byte[(int) len];
        try {
            din.readFully(text);
        } catch (EOFException e) {
            throw new IOException(what + ": truncated .npy header");
        }
        return parse(new String(text, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1),
                prefix + len, what);
    }

    static NpyHeader parse(String header, long headerBytes, String what) throws IOException {
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new IOException(what + ": malformed .npy header: " + header.trim());
        }
        String dtype = d.group(2);
        if (dtype.equals("?")) {
            dtype = "b1";
        }
        if (!List.of("f4", "f8", "f2", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "b1").contains(dtype)) {
            throw new IOException(what + ": unsupported .npy dtype '" + d.group(1) + d.group(2)
                    + "' (numeric arrays only; object arrays are refused)");
        }
        ByteOrder order = d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        List<Long> dims = new ArrayList<>();
        for (String part : s.group(1).split(",")) {
            String t = part.trim();
            if (!t.isEmpty()) {
                try {
                    dims.add(Long.parseLong(t.replace("L", "")));
                } catch (NumberFormatException e) {
                    throw new IOException(what + ": malformed .npy shape '" + s.group(1) + "'");
                }
            }
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        for (long dim : shape) {
            if (dim < 0) {
                throw new IOException(what + ": negative dimension in .npy shape");
            }
        }
        return new NpyHeader(dtype, order, f.group(1).equals("True"), shape, headerBytes);
    }

    /**
     * Encodes a version-1 header. {@code reserve} pads the text so that the header can later be
     * rewritten in place with a larger first dimension.
     */
    public static byte[] encode(String descr, long[] shape, int reserve) {
        StringBuilder sb = new StringBuilder("{'descr': '").append(descr)
                .append("', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < shape.length; i++) {
            sb.append(shape[i]);
            if (shape.length == 1 || i < shape.length - 1) {
                sb.append(shape.length == 1 ? "," : ", ");
            }
        }
        sb.append("), }");
        int total = 10 + Math.max(sb.length() + 1, reserve);
        int padded = (total + 63) / 64 * 64;
        while (sb.length() < padded - 10 - 1) {
            sb.append(' ');
        }
        sb.append('\n');
        byte[] text = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[10 + text.length];
        System.arraycopy(MAGIC, 0, out, 0, 6);
        out[6] = 1;
        out[7] = 0;
        out[8] = (byte) (text.length & 0xff);
        out[9] = (byte) ((text.length >> 8) & 0xff);
        System.arraycopy(text, 0, out, 10, text.length);
        return out;
    }
}
