package io.skeletonssl.formats.arrays;

import io.skeletonssl.io.NpyHeader;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * An {@code .npz} file (what {@code np.savez} / {@code np.savez_compressed} write): a zip of
 * {@code .npy} members, zip64 included. Members are never loaded whole: a STORED member is read at
 * random by row ({@link Member#randomAccess()}), any member can be streamed row by row
 * ({@link Member#openStream()}).
 */
public final class NpzArchive implements Closeable {

    private final Path file;
    private final FileChannel channel;
    private final Map<String, ZipDirectory.Entry> entries;

    private NpzArchive(Path file, FileChannel channel, Map<String, ZipDirectory.Entry> entries) {
        this.file = file;
        this.channel = channel;
        this.entries = entries;
    }

    public static NpzArchive open(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            Map<String, ZipDirectory.Entry> entries = new LinkedHashMap<>();
            for (ZipDirectory.Entry e : ZipDirectory.read(ch, file.toString())) {
                String key = e.name().endsWith(".npy") ? e.name().substring(0, e.name().length() - 4) : e.name();
                entries.put(key, e);
            }
            return new NpzArchive(file, ch, entries);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    public Path file() {
        return file;
    }

    /** The array names (member names without {@code .npy}), in archive order. */
    public List<String> keys() {
        return Collections.unmodifiableList(new ArrayList<>(entries.keySet()));
    }

    public boolean has(String key) {
        return entries.containsKey(key);
    }

    /** Opens a member and reads its npy header; a missing key is an error that lists the keys there are. */
    public Member member(String key) throws IOException {
        ZipDirectory.Entry e = entries.get(key);
        if (e == null) {
            throw new IOException(file + " has no array '" + key + "' (its arrays: "
                    + (entries.isEmpty() ? "none" : String.join(", ", entries.keySet())) + ")");
        }
        return new Member(key, e);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** One array of the archive. */
    public final class Member {
        private final String key;
        private final ZipDirectory.Entry entry;
        private final long dataOffset;
        private final String what;
        private final NpyRows rows;

        private Member(String key, ZipDirectory.Entry entry) throws IOException {
            this.key = key;
            this.entry = entry;
            this.what = file + " member " + entry.name();
            if ((entry.flags() & 1) != 0) {
                throw new IOException(what + " is encrypted");
            }
            if (entry.method() != ZipDirectory.STORED && entry.method() != ZipDirectory.DEFLATED) {
                throw new IOException(what + " uses zip compression method " + entry.method()
                        + "; only STORED (np.savez) and DEFLATED (np.savez_compressed) are supported");
            }
            this.dataOffset = ZipDirectory.dataOffset(channel, entry, file.toString());
            if (compressed()) {
                try (NpyRowStream s = openStream()) {
                    this.rows = s.rows();
                }
            } else {
                this.rows = new NpyRowFile(channel, dataOffset, entry.size(), what, false).rows();
            }
        }

        public String key() {
            return key;
        }

        /** The zip member's name (usually the key plus {@code .npy}). */
        public String entryName() {
            return entry.name();
        }

        /** Whether the member is DEFLATED (np.savez_compressed): then it can only be streamed. */
        public boolean compressed() {
            return entry.method() == ZipDirectory.DEFLATED;
        }

        public NpyHeader header() {
            return rows.header();
        }

        public NpyRows rows() {
            return rows;
        }

        /** Uncompressed size of the member in bytes. */
        public long size() {
            return entry.size();
        }

        /** Streams the rows from the first; the caller closes the stream. */
        public NpyRowStream openStream() throws IOException {
            InputStream raw = new ChannelInputStream(channel, dataOffset, entry.compressedSize());
            if (!compressed()) {
                return new NpyRowStream(raw, what, entry.size());
            }
            // Raw deflate; one dummy byte after the data, as zlib may want it to see the stream end.
            Inflater inflater = new Inflater(true);
            InputStream in = new InflaterInputStream(
                    new SequenceInputStream(raw, new ByteArrayInputStream(new byte[1])), inflater, 1 << 16) {
                private boolean closed;

                @Override
                public void close() throws IOException {
                    if (!closed) {
                        closed = true;
                        super.close();
                        inflater.end();
                    }
                }
            };
            try {
                return new NpyRowStream(new CrcCheckingStream(in, entry.size(), entry.crc(), what), what,
                        entry.size());
            } catch (IOException | RuntimeException e) {
                in.close();
                throw e;
            }
        }

        /** Random access by row, for STORED members only (see {@link #compressed()}). */
        public NpyRowFile randomAccess() throws IOException {
            if (compressed()) {
                throw new IllegalStateException(what + " is compressed and can only be streamed");
            }
            return new NpyRowFile(channel, dataOffset, entry.size(), what, false);
        }
    }

    /**
     * Checks the zip CRC-32 of a compressed member once its last byte is read: raw deflate data has
     * no checksum of its own, so damage would otherwise pass as wrong numbers.
     */
    private static final class CrcCheckingStream extends java.io.FilterInputStream {
        private final java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        private final long size;
        private final long expected;
        private final String what;
        private long count;

        CrcCheckingStream(InputStream in, long size, long expected, String what) {
            super(in);
            this.size = size;
            this.expected = expected;
            this.what = what;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, (int) Math.min(len, Math.max(1, size - count)));
            if (n > 0) {
                crc.update(b, off, n);
                count += n;
                if (count == size && crc.getValue() != expected) {
                    throw new IOException(what + " is damaged: CRC-32 " + Long.toHexString(crc.getValue())
                            + " of its data differs from the archive's " + Long.toHexString(expected));
                }
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // read through, so that the checksum sees every byte
            byte[] buf = new byte[(int) Math.min(1 << 16, Math.max(1, n))];
            long done = 0;
            while (done < n) {
                int k = read(buf, 0, (int) Math.min(buf.length, n - done));
                if (k < 0) {
                    break;
                }
                done += k;
            }
            return done;
        }
    }
}
