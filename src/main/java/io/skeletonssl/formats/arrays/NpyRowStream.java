package io.skeletonssl.formats.arrays;

import io.skeletonssl.io.NpyHeader;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.NoSuchElementException;

/**
 * Reads an npy array row by row from a stream (a DEFLATED npz member, or any input): memory use is
 * one row whatever the size of the array, so arrays far beyond 2 GiB stream through.
 */
public final class NpyRowStream implements Closeable {

    private final InputStream in;
    private final NpyRows rows;
    private long next;
    private byte[] scratch;

    /**
     * Reads the header from {@code in}. {@code available} is the number of bytes the source holds
     * (header included) if known, else -1; a known size too small for the declared shape is
     * reported at once as truncation.
     */
    public NpyRowStream(InputStream in, String what, long available) throws IOException {
        this.in = in;
        NpyHeader header = NpyHeader.read(in, what);
        this.rows = NpyRows.of(header, what);
        if (available >= 0 && available < rows.totalBytes()) {
            throw rows.truncated(available);
        }
    }

    public NpyRows rows() {
        return rows;
    }

    public NpyHeader header() {
        return rows.header();
    }

    /** Index of the row the next {@link #readRow} returns. */
    public long position() {
        return next;
    }

    public boolean hasNext() {
        return next < rows.rows();
    }

    /** Reads the next row into {@code dst} (at least {@code rowBytes} long). */
    public void readRow(byte[] dst) throws IOException {
        if (!hasNext()) {
            throw new NoSuchElementException(rows.what() + ": all " + rows.rows() + " rows were read");
        }
        int n = rows.rowBytes();
        int got = 0;
        while (got < n) {
            int k = read(dst, got, n - got, next);
            if (k < 0) {
                throw endedAt(next);
            }
            got += k;
        }
        next++;
    }

    public byte[] readRow() throws IOException {
        byte[] b = new byte[rows.rowBytes()];
        readRow(b);
        return b;
    }

    /** Skips {@code n} rows without keeping them. */
    public void skipRows(long n) throws IOException {
        if (n < 0 || n > rows.rows() - next) {
            throw new IllegalArgumentException(rows.what() + ": cannot skip " + n + " rows from row " + next
                    + " of " + rows.rows());
        }
        long target = next + n;
        long remaining = Math.multiplyExact(n, (long) rows.rowBytes());
        while (remaining > 0) {
            long k;
            try {
                k = in.skip(remaining);
            } catch (IOException e) {
                throw new IOException(rows.what() + ": cannot skip to row " + target + ": " + e.getMessage(), e);
            }
            if (k <= 0) {
                // Streams may refuse to skip (or be at their end): read to make progress or detect EOF.
                if (scratch == null) {
                    scratch = new byte[(int) Math.min(1 << 16, Math.max(1, rows.rowBytes()))];
                }
                long row = next + (Math.multiplyExact(n, (long) rows.rowBytes()) - remaining)
                        / Math.max(1, rows.rowBytes());
                int r = read(scratch, 0, (int) Math.min(scratch.length, remaining), row);
                if (r < 0) {
                    throw endedAt(row);
                }
                k = r;
            }
            remaining -= k;
        }
        next = target;
    }

    private int read(byte[] b, int off, int len, long row) throws IOException {
        try {
            return in.read(b, off, len);
        } catch (IOException e) {
            // e.g. a ZipException from damaged compressed data: say where it happened.
            throw new IOException(rows.what() + ": cannot read row " + row + " of " + rows.rows() + ": "
                    + e.getMessage(), e);
        }
    }

    private IOException endedAt(long row) {
        return new IOException(rows.what() + " is truncated: the data ends inside row " + row + " of "
                + rows.rows() + " (shape " + rows.header().shapeString() + ", " + rows.rowBytes() + " bytes a row)");
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
