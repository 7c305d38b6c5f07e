package io.skeletonssl.formats.arrays;

import io.skeletonssl.io.NpyHeader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * An npy array seen as rows along its first dimension: the row geometry and the decoding of one
 * row's bytes. A row must fit in a Java array; the array as a whole may be any size.
 */
public final class NpyRows {

    private final NpyHeader header;
    private final String what;
    private final long rows;
    private final long[] rowShape;
    private final int rowItems;
    private final int rowBytes;

    private NpyRows(NpyHeader header, String what, long rows, long[] rowShape, int rowItems, int rowBytes) {
        this.header = header;
        this.what = what;
        this.rows = rows;
        this.rowShape = rowShape;
        this.rowItems = rowItems;
        this.rowBytes = rowBytes;
    }

    /** Checks that the array can be read row by row; {@code what} names it in messages. */
    public static NpyRows of(NpyHeader header, String what) throws IOException {
        long[] shape = header.shape();
        if (header.fortranOrder() && shape.length > 1) {
            throw new IOException(what + ": Fortran-ordered (column-major) arrays cannot be read row by row; "
                    + "save it with np.ascontiguousarray");
        }
        long rows = shape.length == 0 ? 1 : shape[0];
        long[] rowShape = shape.length == 0 ? new long[0] : Arrays.copyOfRange(shape, 1, shape.length);
        long items = 1;
        for (long s : rowShape) {
            items = Math.multiplyExact(items, s);
        }
        long bytes = items * header.itemSize();
        if (bytes > Integer.MAX_VALUE - 64) {
            throw new IOException(what + ": one row of shape " + header.shapeString() + " holds " + bytes
                    + " bytes, more than a row may hold (2 GiB)");
        }
        return new NpyRows(header, what, rows, rowShape, (int) items, (int) bytes);
    }

    public NpyHeader header() {
        return header;
    }

    /** The array's name in messages (file, or npz and member). */
    public String what() {
        return what;
    }

    public long rows() {
        return rows;
    }

    /** The shape of one row (the array shape without its first dimension). */
    public long[] rowShape() {
        return rowShape.clone();
    }

    public int rowItems() {
        return rowItems;
    }

    public int rowBytes() {
        return rowBytes;
    }

    public long bodyBytes() {
        return Math.multiplyExact(rows, (long) rowBytes);
    }

    /** The bytes a complete file or member holds (header and body). */
    public long totalBytes() {
        return header.headerBytes() + bodyBytes();
    }

    /** An error naming the first row that {@code available} bytes (header included) do not hold. */
    IOException truncated(long available) {
        long body = Math.max(0, available - header.headerBytes());
        long firstMissing = rowBytes == 0 ? rows : body / rowBytes;
        return new IOException(what + " is truncated: shape " + header.shapeString() + " (" + header.dtype()
                + ") needs " + totalBytes() + " bytes but only " + available + " are there; row " + firstMissing
                + " of " + rows + " is the first incomplete one");
    }

    public boolean isFloat() {
        return header.dtype().equals("f4") || header.dtype().equals("f8");
    }

    /** Checks the dtype is float32 or float64 (coordinates). */
    public void requireFloat() throws IOException {
        if (!isFloat()) {
            throw new IOException(what + ": expected a float32 or float64 array, found dtype " + header.dtype());
        }
    }

    /** Decodes a row of a float32/float64 array into {@code dst} (float64 is rounded to float32). */
    public void toFloats(byte[] row, float[] dst) {
        ByteBuffer b = ByteBuffer.wrap(row, 0, rowBytes).order(header.order());
        switch (header.dtype()) {
            case "f4" -> b.asFloatBuffer().get(dst, 0, rowItems);
            case "f8" -> {
                var d = b.asDoubleBuffer();
                for (int i = 0; i < rowItems; i++) {
                    dst[i] = (float) d.get(i);
                }
            }
            default -> throw new IllegalStateException(what + ": not a float array (dtype " + header.dtype() + ")");
        }
    }

    /** Element {@code i} of a row of any numeric dtype, as a double. */
    public double element(byte[] row, int i) {
        ByteBuffer b = ByteBuffer.wrap(row, 0, rowBytes).order(header.order());
        int o = i * header.itemSize();
        return switch (header.dtype()) {
            case "f4" -> b.getFloat(o);
            case "f8" -> b.getDouble(o);
            case "i1" -> b.get(o);
            case "u1", "b1" -> Byte.toUnsignedInt(b.get(o));
            case "i2" -> b.getShort(o);
            case "u2" -> Short.toUnsignedInt(b.getShort(o));
            case "i4" -> b.getInt(o);
            case "u4" -> Integer.toUnsignedLong(b.getInt(o));
            case "i8" -> b.getLong(o);
            case "u8" -> unsignedToDouble(b.getLong(o));
            default -> throw new IllegalStateException(what + ": unsupported dtype " + header.dtype());
        };
    }

    /**
     * Element {@code i} of a row of an integer dtype, as a long; floats must hold integer values
     * (the message of the exception says which value, the caller says where).
     */
    public long integer(byte[] row, int i) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(row, 0, rowBytes).order(header.order());
        int o = i * header.itemSize();
        switch (header.dtype()) {
            case "i8", "u8":
                return b.getLong(o);
            case "i4":
                return b.getInt(o);
            case "u4":
                return Integer.toUnsignedLong(b.getInt(o));
            case "i2":
                return b.getShort(o);
            case "u2":
                return Short.toUnsignedInt(b.getShort(o));
            case "i1":
                return b.get(o);
            case "u1", "b1":
                return Byte.toUnsignedInt(b.get(o));
            default:
                double d = element(row, i);
                if (d != Math.rint(d) || Math.abs(d) > 1L << 53) {
                    throw new IOException("value " + d + " is not an integer");
                }
                return (long) d;
        }
    }

    private static double unsignedToDouble(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
    }
}
