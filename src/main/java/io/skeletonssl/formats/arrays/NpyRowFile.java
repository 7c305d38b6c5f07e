package io.skeletonssl.formats.arrays;

import io.skeletonssl.io.NpyHeader;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Random access to the rows of an npy array stored uncompressed in a file (a plain .npy, or a
 * STORED npz member at its offset). Reads are positional, so many threads may read at once; the
 * file may be any size.
 */
public final class NpyRowFile implements Closeable {

    private final FileChannel channel;
    private final boolean ownsChannel;
    private final long bodyStart;
    private final NpyRows rows;

    NpyRowFile(FileChannel channel, long start, long length, String what, boolean ownsChannel) throws IOException {
        this.channel = channel;
        this.ownsChannel = ownsChannel;
        NpyHeader header = NpyHeader.read(new ChannelInputStream(channel, start, length), what);
        this.rows = NpyRows.of(header, what);
        if (length < rows.totalBytes()) {
            throw rows.truncated(length);
        }
        this.bodyStart = start + header.headerBytes();
    }

    /** Opens a plain .npy file. */
    public static NpyRowFile open(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new NpyRowFile(ch, 0, ch.size(), file.toString(), true);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    public NpyRows rows() {
        return rows;
    }

    public NpyHeader header() {
        return rows.header();
    }

    /** Reads row {@code row} into {@code dst} (at least {@code rowBytes} long). Thread-safe. */
    public void readRow(long row, byte[] dst) throws IOException {
        if (row < 0 || row >= rows.rows()) {
            throw new IndexOutOfBoundsException(rows.what() + ": row " + row + " outside 0.." + (rows.rows() - 1));
        }
        long pos = bodyStart + row * rows.rowBytes();
        ByteBuffer b = ByteBuffer.wrap(dst, 0, rows.rowBytes());
        while (b.hasRemaining()) {
            int n = channel.read(b, pos + b.position());
            if (n < 0) {
                throw new IOException(rows.what() + " is truncated: the file ends inside row " + row);
            }
        }
    }

    public byte[] readRow(long row) throws IOException {
        byte[] b = new byte[rows.rowBytes()];
        readRow(row, b);
        return b;
    }

    /** All values of a small 1-D integer array (e.g. frame counts), in one read. */
    public long[] readIntegers() throws IOException {
        if (rows.rowItems() != 1 || rows.header().shape().length != 1) {
            throw new IOException(rows.what() + ": expected a 1-D array, found shape " + rows.header().shapeString());
        }
        int n = Math.toIntExact(rows.rows());
        int item = rows.rowBytes();
        byte[] all = new byte[Math.toIntExact((long) n * item)];
        ByteBuffer b = ByteBuffer.wrap(all);
        while (b.hasRemaining()) {
            if (channel.read(b, bodyStart + b.position()) < 0) {
                throw rows.truncated(rows.header().headerBytes() + b.position());
            }
        }
        long[] out = new long[n];
        byte[] one = new byte[item];
        for (int i = 0; i < n; i++) {
            System.arraycopy(all, i * item, one, 0, item);
            try {
                out[i] = rows.integer(one, 0);
            } catch (IOException e) {
                throw new IOException(rows.what() + "[" + i + "]: " + e.getMessage(), e);
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        if (ownsChannel) {
            channel.close();
        }
    }
}
