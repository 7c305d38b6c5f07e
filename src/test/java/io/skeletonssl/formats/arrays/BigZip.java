package io.skeletonssl.formats.arrays;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes zip files member by member at explicit offsets, with zip64 fields where Python's zipfile
 * writes them (sizes or offsets above 2^31 − 1). A member's data is written by a callback at its
 * position, so gigabytes of zeros can be left as a sparse hole that costs no disk.
 */
final class BigZip implements AutoCloseable {

    private static final long LIMIT = (1L << 31) - 1;
    private static final long SAT = 0xFFFFFFFFL;

    /** Writes a member's (compressed) bytes starting at {@code start}. */
    interface Body {
        void write(FileChannel ch, long start) throws IOException;
    }

    private record Written(String name, int method, long crc, long csize, long usize, long offset) {
    }

    private final FileChannel ch;
    private final List<Written> written = new ArrayList<>();
    private long pos;

    BigZip(Path file) throws IOException {
        ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.READ);
    }

    FileChannel channel() {
        return ch;
    }

    void add(String name, int method, long crc, long csize, long usize, Body body) throws IOException {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        boolean z64 = csize > LIMIT || usize > LIMIT;
        ByteBuffer h = le(30 + n.length + (z64 ? 20 : 0));
        h.putInt(0x04034b50).putShort((short) 45).putShort((short) 0).putShort((short) method)
                .putShort((short) 0).putShort((short) 0x21).putInt((int) crc)
                .putInt((int) (z64 ? SAT : csize)).putInt((int) (z64 ? SAT : usize))
                .putShort((short) n.length).putShort((short) (z64 ? 20 : 0)).put(n);
        if (z64) {
            h.putShort((short) 1).putShort((short) 16).putLong(usize).putLong(csize);
        }
        long offset = pos;
        write(h.flip(), pos);
        pos += h.limit();
        body.write(ch, pos);
        pos += csize;
        written.add(new Written(name, method, crc, csize, usize, offset));
    }

    /** Writes the central directory (and zip64 end records where needed); returns the file size. */
    long finish() throws IOException {
        long cdStart = pos;
        for (Written w : written) {
            byte[] n = w.name.getBytes(StandardCharsets.UTF_8);
            List<Long> extra = new ArrayList<>();
            boolean bigU = w.usize > LIMIT;
            boolean bigC = w.csize > LIMIT;
            boolean bigO = w.offset > LIMIT;
            if (bigU) {
                extra.add(w.usize);
            }
            if (bigC) {
                extra.add(w.csize);
            }
            if (bigO) {
                extra.add(w.offset);
            }
            int extraLen = extra.isEmpty() ? 0 : 4 + 8 * extra.size();
            ByteBuffer c = le(46 + n.length + extraLen);
            c.putInt(0x02014b50).putShort((short) 45).putShort((short) 45).putShort((short) 0)
                    .putShort((short) w.method).putShort((short) 0).putShort((short) 0x21).putInt((int) w.crc)
                    .putInt((int) (bigC ? SAT : w.csize)).putInt((int) (bigU ? SAT : w.usize))
                    .putShort((short) n.length).putShort((short) extraLen).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putInt(0).putInt((int) (bigO ? SAT : w.offset)).put(n);
            if (!extra.isEmpty()) {
                c.putShort((short) 1).putShort((short) (8 * extra.size()));
                extra.forEach(c::putLong);
            }
            write(c.flip(), pos);
            pos += c.limit();
        }
        long cdSize = pos - cdStart;
        boolean z64 = cdStart > LIMIT || cdSize > LIMIT;
        if (z64) {
            long z64Start = pos;
            ByteBuffer e = le(56 + 20);
            e.putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45).putInt(0).putInt(0)
                    .putLong(written.size()).putLong(written.size()).putLong(cdSize).putLong(cdStart);
            e.putInt(0x07064b50).putInt(0).putLong(z64Start).putInt(1);
            write(e.flip(), pos);
            pos += e.limit();
        }
        ByteBuffer e = le(22);
        e.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) written.size())
                .putShort((short) written.size()).putInt((int) (z64 ? SAT : cdSize))
                .putInt((int) (z64 ? SAT : cdStart)).putShort((short) 0);
        write(e.flip(), pos);
        pos += 22;
        return pos;
    }

    private void write(ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            at += ch.write(b, at);
        }
    }

    static void writeFully(FileChannel ch, byte[] data, long at) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(data);
        while (b.hasRemaining()) {
            at += ch.write(b, at);
        }
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
