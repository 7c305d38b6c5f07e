package io.skeletonssl.formats.arrays;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The central directory of a zip file, zip64 included.
 *
 * <p>We read it ourselves rather than through {@link java.util.zip.ZipFile} because that class
 * hides where a member's bytes start: we need the offset to read rows of a STORED member at
 * random (and so on worker threads) and to bound a DEFLATED member's compressed bytes.
 */
final class ZipDirectory {

    static final int STORED = 0;
    static final int DEFLATED = 8;

    private static final int EOCD_SIG = 0x06054b50;
    private static final int ZIP64_LOCATOR_SIG = 0x07064b50;
    private static final int ZIP64_EOCD_SIG = 0x06064b50;
    private static final int CENTRAL_SIG = 0x02014b50;
    private static final int LOCAL_SIG = 0x04034b50;
    private static final long U32 = 0xFFFFFFFFL;
    private static final int U16 = 0xFFFF;
    private static final int MAX_COMMENT = 0xFFFF;
    private static final long MAX_DIRECTORY_BYTES = 64L << 20;

    /** One member as the central directory describes it. */
    record Entry(String name, int method, int flags, long crc, long compressedSize, long size, long localHeaderOffset) {
    }

    private ZipDirectory() {
    }

    static List<Entry> read(FileChannel ch, String what) throws IOException {
        long fileSize = ch.size();
        if (fileSize < 22) {
            throw new IOException(what + ": not a zip archive (" + fileSize + " bytes; an .npz is a zip of .npy files)");
        }
        int tailLen = (int) Math.min(fileSize, 22 + MAX_COMMENT + 20);
        long tailStart = fileSize - tailLen;
        ByteBuffer tail = readAt(ch, tailStart, tailLen, what);
        int eocd = -1;
        for (int p = tailLen - 22; p >= 0; p--) {
            if (tail.getInt(p) == EOCD_SIG && p + 22 + Short.toUnsignedInt(tail.getShort(p + 20)) <= tailLen) {
                eocd = p;
                break;
            }
        }
        if (eocd < 0) {
            throw new IOException(what + ": no zip end-of-central-directory record; the file is not an .npz "
                    + "or it is truncated (an interrupted download or copy?)");
        }
        int disk = Short.toUnsignedInt(tail.getShort(eocd + 4));
        long count = Short.toUnsignedInt(tail.getShort(eocd + 10));
        long dirSize = Integer.toUnsignedLong(tail.getInt(eocd + 12));
        long dirOffset = Integer.toUnsignedLong(tail.getInt(eocd + 16));
        long locator = tailStart + eocd - 20;
        if (locator >= 0 && readAt(ch, locator, 20, what).getInt(0) == ZIP64_LOCATOR_SIG) {
            ByteBuffer loc = readAt(ch, locator, 20, what);
            long z64 = loc.getLong(8);
            if (z64 < 0 || z64 + 56 > fileSize) {
                throw new IOException(what + ": zip64 locator points outside the file (offset " + z64 + ")");
            }
            ByteBuffer rec = readAt(ch, z64, 56, what);
            if (rec.getInt(0) != ZIP64_EOCD_SIG) {
                throw new IOException(what + ": zip64 end-of-central-directory record missing at offset " + z64);
            }
            disk = rec.getInt(16);
            count = rec.getLong(32);
            dirSize = rec.getLong(40);
            dirOffset = rec.getLong(48);
        } else if (count == U16 || dirSize == U32 || dirOffset == U32) {
            throw new IOException(what + ": zip64 archive without a zip64 locator; the file is damaged");
        }
        if (disk != 0) {
            throw new IOException(what + ": multi-volume zip archives are not supported");
        }
        if (dirOffset < 0 || dirSize < 0 || dirOffset + dirSize > fileSize) {
            throw new IOException(what + ": central directory (offset " + dirOffset + ", " + dirSize
                    + " bytes) lies outside the file of " + fileSize + " bytes; the file is truncated or damaged");
        }
        if (dirSize > MAX_DIRECTORY_BYTES) {
            throw new IOException(what + ": central directory of " + dirSize + " bytes is implausible for an .npz");
        }
        ByteBuffer dir = readAt(ch, dirOffset, (int) dirSize, what);
        List<Entry> entries = new ArrayList<>();
        int p = 0;
        for (long i = 0; i < count; i++) {
            if (p + 46 > dir.limit() || dir.getInt(p) != CENTRAL_SIG) {
                throw new IOException(what + ": damaged central directory at entry " + i);
            }
            int flags = Short.toUnsignedInt(dir.getShort(p + 8));
            int method = Short.toUnsignedInt(dir.getShort(p + 10));
            long crc = Integer.toUnsignedLong(dir.getInt(p + 16));
            long csize = Integer.toUnsignedLong(dir.getInt(p + 20));
            long usize = Integer.toUnsignedLong(dir.getInt(p + 24));
            int nameLen = Short.toUnsignedInt(dir.getShort(p + 28));
            int extraLen = Short.toUnsignedInt(dir.getShort(p + 30));
            int commentLen = Short.toUnsignedInt(dir.getShort(p + 32));
            long offset = Integer.toUnsignedLong(dir.getInt(p + 42));
            int next = p + 46 + nameLen + extraLen + commentLen;
            if (next > dir.limit()) {
                throw new IOException(what + ": damaged central directory at entry " + i);
            }
            byte[] nameBytes = new byte[nameLen];
            dir.get(p + 46, nameBytes);
            String name = new String(nameBytes, (flags & 0x800) != 0 ? StandardCharsets.UTF_8
                    : StandardCharsets.ISO_8859_1);
            // Zip64 extra field: only the fields saturated in the fixed part are present, in this order.
            int e = p + 46 + nameLen;
            int end = e + extraLen;
            while (e + 4 <= end) {
                int id = Short.toUnsignedInt(dir.getShort(e));
                int len = Short.toUnsignedInt(dir.getShort(e + 2));
                if (e + 4 + len > end) {
                    break;
                }
                if (id == 0x0001) {
                    int q = e + 4;
                    int qEnd = q + len;
                    if (usize == U32 && q + 8 <= qEnd) {
                        usize = dir.getLong(q);
                        q += 8;
                    }
                    if (csize == U32 && q + 8 <= qEnd) {
                        csize = dir.getLong(q);
                        q += 8;
                    }
                    if (offset == U32 && q + 8 <= qEnd) {
                        offset = dir.getLong(q);
                    }
                }
                e += 4 + len;
            }
            if (csize < 0 || usize < 0 || offset < 0) {
                throw new IOException(what + ": member " + name + " has sizes beyond 2^63 bytes");
            }
            entries.add(new Entry(name, method, flags, crc, csize, usize, offset));
            p = next;
        }
        return entries;
    }

    /** Offset of the member's first data byte, checked to lie, with all its bytes, inside the file. */
    static long dataOffset(FileChannel ch, Entry entry, String what) throws IOException {
        long fileSize = ch.size();
        if (entry.localHeaderOffset() + 30 > fileSize) {
            throw new IOException(what + ": member " + entry.name() + " starts beyond the end of the file; "
                    + "the file is truncated");
        }
        ByteBuffer local = readAt(ch, entry.localHeaderOffset(), 30, what);
        if (local.getInt(0) != LOCAL_SIG) {
            throw new IOException(what + ": member " + entry.name() + " has no local header at offset "
                    + entry.localHeaderOffset() + "; the file is damaged");
        }
        long data = entry.localHeaderOffset() + 30 + Short.toUnsignedInt(local.getShort(26))
                + Short.toUnsignedInt(local.getShort(28));
        if (data + entry.compressedSize() > fileSize) {
            throw new IOException(what + ": member " + entry.name() + " is truncated: its data needs bytes up to "
                    + (data + entry.compressedSize()) + " but the file ends at " + fileSize);
        }
        return data;
    }

    static ByteBuffer readAt(FileChannel ch, long pos, int len, String what) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            int n = ch.read(b, pos + b.position());
            if (n < 0) {
                throw new IOException(what + ": unexpected end of file at offset " + (pos + b.position()));
            }
        }
        return b.flip();
    }
}
