package io.skeletonssl.formats.arrays;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A window [start, start + length) of a file read with positional reads: many streams may share
 * one channel, and {@link #skip} is O(1), which makes rows far into a multi-GB member cheap to reach.
 */
final class ChannelInputStream extends InputStream {

    private final FileChannel channel;
    private final long end;
    private long pos;

    ChannelInputStream(FileChannel channel, long start, long length) {
        this.channel = channel;
        this.pos = start;
        this.end = start + length;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (pos >= end) {
            return -1;
        }
        int n = (int) Math.min(len, end - pos);
        int got = channel.read(ByteBuffer.wrap(b, off, n), pos);
        if (got < 0) {
            return -1;
        }
        pos += got;
        return got;
    }

    @Override
    public long skip(long n) {
        long k = Math.max(0, Math.min(n, end - pos));
        pos += k;
        return k;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, end - pos);
    }
}
