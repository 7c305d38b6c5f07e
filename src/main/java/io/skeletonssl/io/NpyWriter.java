package io.skeletonssl.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Streams rows of a little-endian .npy array whose first dimension is only known at the end:
 * the header is written with room to spare and rewritten in place by {@link #close()}.
 */
public final class NpyWriter implements Closeable {

    private static final int RESERVE = 128;

    private final Path file;
    private final FileChannel channel;
    private final String descr;
    private final long[] rowShape;
    private final int itemSize;
    private final long rowItems;
    private final int headerBytes;
    private long rows;
    private ByteBuffer buffer;

    public NpyWriter(Path file, String descr, long... rowShape) throws IOException {
        this.descr = descr;
        this.rowShape = rowShape.clone();
        this.itemSize = Integer.parseInt(descr.substring(2));
        long n = 1;
        for (long s : rowShape) {
            n *= s;
        }
        this.rowItems = n;
        this.file = file;
        AtomicDirectory.requireNotAborted(file);
        byte[] header = NpyHeader.encode(descr, shape(0), RESERVE);
        this.headerBytes = header.length;
        try {
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw WriteFailure.writing(null, file, e);
        }
        try {
            channel.write(ByteBuffer.wrap(header));
        } catch (IOException e) {
            channel.close();
            throw WriteFailure.writing(null, file, e);
        }
        this.buffer = ByteBuffer.allocate((int) Math.max(1 << 16, rowItems * itemSize)).order(ByteOrder.LITTLE_ENDIAN);
    }

    private long[] shape(long first) {
        long[] s = new long[rowShape.length + 1];
        s[0] = first;
        System.arraycopy(rowShape, 0, s, 1, rowShape.length);
        return s;
    }

    private void ensure(int bytes) throws IOException {
        if (buffer.remaining() < bytes) {
            flush();
            if (buffer.capacity() < bytes) {
                buffer = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
            }
        }
    }

    private void checkRow(int length) {
        if (length != rowItems) {
            throw new IllegalArgumentException("row of " + length + " values, expected " + rowItems);
        }
    }

    public void writeRow(float[] row) throws IOException {
        checkRow(row.length);
        ensure(row.length * 4);
        buffer.asFloatBuffer().put(row);
        buffer.position(buffer.position() + row.length * 4);
        rows++;
    }

    public void writeInt(int value) throws IOException {
        ensure(4);
        buffer.putInt(value);
        rows++;
    }

    public void writeLong(long value) throws IOException {
        ensure(8);
        buffer.putLong(value);
        rows++;
    }

    public long rows() {
        return rows;
    }

    /** The file being written. */
    public Path file() {
        return file;
    }

    private void flush() throws IOException {
        buffer.flip();
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw WriteFailure.writing(null, file, e);
        } finally {
            buffer.clear();
        }
    }

    @Override
    public void close() throws IOException {
        if (!channel.isOpen()) {
            return;
        }
        try {
            flush();
            byte[] header = NpyHeader.encode(descr, shape(rows), RESERVE);
            if (header.length != headerBytes) {
                throw new IOException("npy header grew while writing (" + header.length + " vs " + headerBytes + ")");
            }
            try {
                channel.write(ByteBuffer.wrap(header), 0);
                channel.force(true);
            } catch (IOException e) {
                throw WriteFailure.writing(null, file, e);
            }
        } finally {
            channel.close();
        }
    }
}
