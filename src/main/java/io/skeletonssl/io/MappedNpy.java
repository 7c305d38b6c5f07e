package io.skeletonssl.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A read-only, memory-mapped .npy array viewed as rows along its first dimension.
 *
 * <p>Files of any size are mapped in chunks of whole rows (a single mapping is limited to 2 GiB),
 * so a 7 GB training split costs no heap. Reads use absolute positions and are safe from many
 * threads at once.
 */
public final class MappedNpy implements AutoCloseable {

    private static final long CHUNK_BYTES = 1L << 30;

    private final Path file;
    private final NpyHeader header;
    private final long rows;
    private final long rowItems;
    private final long rowBytes;
    private final long rowsPerChunk;
    private final List<ByteBuffer> chunks = new ArrayList<>();
    private final FileChannel channel;

    public MappedNpy(Path file) throws IOException {
        this.file = file;
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            InputStream in = Channels.newInputStream(channel.position(0));
            this.header = NpyHeader.read(in, file.toString());
            if (header.fortranOrder()) {
                throw new IOException(file + ": Fortran-ordered .npy arrays are not supported");
            }
            long[] shape = header.shape();
            this.rows = shape.length == 0 ? 1 : shape[0];
            long items = 1;
            for (int i = 1; i < shape.length; i++) {
                items *= shape[i];
            }
            this.rowItems = items;
            this.rowBytes = items * header.itemSize();
            long expected = header.headerBytes() + rows * rowBytes;
            if (channel.size() < expected) {
                throw new IOException(file + ": truncated .npy body: shape " + header.shapeString() + " needs "
                        + expected + " bytes, file has " + channel.size());
            }
            this.rowsPerChunk = rowBytes == 0 ? Math.max(rows, 1) : Math.max(1, CHUNK_BYTES / rowBytes);
            for (long start = 0; start < rows; start += rowsPerChunk) {
                long n = Math.min(rowsPerChunk, rows - start);
                MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY,
                        header.headerBytes() + start * rowBytes, n * rowBytes);
                chunks.add(map.order(header.order()));
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public NpyHeader header() {
        return header;
    }

    public long rows() {
        return rows;
    }

    public long rowItems() {
        return rowItems;
    }

    private ByteBuffer chunk(long row) {
        if (row < 0 || row >= rows) {
            throw new IndexOutOfBoundsException(file + ": row " + row + " outside 0.." + (rows - 1));
        }
        return chunks.get((int) (row / rowsPerChunk));
    }

    private int offset(long row) {
        return (int) ((row % rowsPerChunk) * rowBytes);
    }

    /** Copies row {@code row} of a float32 array into {@code dst} at {@code off}. */
    public void readFloats(long row, float[] dst, int off) {
        requireDtype("f4");
        chunk(row).asFloatBuffer().get((int) (offset(row) / 4), dst, off, (int) rowItems);
    }

    public float[] readFloats(long row) {
        float[] out = new float[(int) rowItems];
        readFloats(row, out, 0);
        return out;
    }

    /** Reads a range of a float32 row-major array as a flat float array, across rows. */
    public void readFloatRange(long firstRow, long rowCount, float[] dst, int off) {
        for (long r = 0; r < rowCount; r++) {
            readFloats(firstRow + r, dst, (int) (off + r * rowItems));
        }
    }

    /** Element {@code row} of a 1-D integer array (any integer dtype), as a long. */
    public long readLong(long row) {
        ByteBuffer b = chunk(row);
        int o = offset(row);
        return switch (header.dtype()) {
            case "i8", "u8" -> b.getLong(o);
            case "i4" -> b.getInt(o);
            case "u4" -> Integer.toUnsignedLong(b.getInt(o));
            case "i2" -> b.getShort(o);
            case "u2" -> Short.toUnsignedInt(b.getShort(o));
            case "i1" -> b.get(o);
            case "u1", "b1" -> Byte.toUnsignedInt(b.get(o));
            case "f4" -> (long) b.getFloat(o);
            case "f8" -> (long) b.getDouble(o);
            default -> throw new IllegalStateException(file + ": unsupported dtype " + header.dtype());
        };
    }

    public int[] readAllInts() {
        int[] out = new int[Math.toIntExact(rows * rowItems)];
        if (rowItems != 1) {
            throw new IllegalStateException(file + ": expected a 1-D array, found " + header.shapeString());
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.toIntExact(readLong(i));
        }
        return out;
    }

    public long[] readAllLongs() {
        if (rowItems != 1) {
            throw new IllegalStateException(file + ": expected a 1-D array, found " + header.shapeString());
        }
        long[] out = new long[Math.toIntExact(rows)];
        for (int i = 0; i < out.length; i++) {
            out[i] = readLong(i);
        }
        return out;
    }

    private void requireDtype(String dtype) {
        if (!header.dtype().equals(dtype)) {
            throw new IllegalStateException(file + ": expected dtype " + dtype + ", found " + header.dtype());
        }
    }

    @Override
    public void close() throws IOException {
        chunks.clear();
        channel.close();
    }
}
