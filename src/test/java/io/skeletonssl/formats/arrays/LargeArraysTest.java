package io.skeletonssl.formats.arrays;

import io.skeletonssl.dataset.Sample;
import io.skeletonssl.formats.SampleSource;
import io.skeletonssl.io.MappedNpy;
import io.skeletonssl.io.NpyHeader;
import net.razorvine.pickle.Pickler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Arrays beyond 2 GiB (and 4 GiB) without writing gigabytes: lazily generated streams, sparse
 * files (holes cost no disk) and a deflate stream whose zero runs repeat one compressed block.
 * Only a few "marked" rows hold data; every other row is zeros.
 */
class LargeArraysTest {

    private static final int T = 300;
    private static final int COLS = 150;
    private static final int ROW_ITEMS = T * COLS;
    private static final int ROW_BYTES = ROW_ITEMS * 4;

    @TempDir
    Path tmp;

    /** Value at flat index i of marked row r: never zero, exact in float32. */
    static float value(long r, int i) {
        return r + 1 + i / 64f;
    }

    static byte[] markedRow(long r) {
        ByteBuffer b = ByteBuffer.allocate(ROW_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < ROW_ITEMS; i++) {
            b.putFloat(value(r, i));
        }
        return b.array();
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /** An npy of shape (rows, 300, 150) float32 produced on demand: marked rows carry data, others zeros. */
    static final class LazyNpy extends InputStream {
        private final byte[] header;
        private final long total;
        private final Set<Long> marked;
        private long pos;
        private long cachedRow = -1;
        private byte[] cached;

        LazyNpy(long rows, Set<Long> marked) {
            this.header = NpyHeader.encode("<f4", new long[]{rows, T, COLS}, 0);
            this.total = header.length + rows * ROW_BYTES;
            this.marked = marked;
        }

        long size() {
            return total;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= total) {
                return -1;
            }
            if (pos < header.length) {
                int n = (int) Math.min(len, header.length - pos);
                System.arraycopy(header, (int) pos, b, off, n);
                pos += n;
                return n;
            }
            long row = (pos - header.length) / ROW_BYTES;
            int within = (int) ((pos - header.length) % ROW_BYTES);
            int n = Math.min(len, ROW_BYTES - within);
            if (marked.contains(row)) {
                if (cachedRow != row) {
                    cached = markedRow(row);
                    cachedRow = row;
                }
                System.arraycopy(cached, within, b, off, n);
            } else {
                Arrays.fill(b, off, off + n, (byte) 0);
            }
            pos += n;
            return n;
        }

        @Override
        public long skip(long n) {
            long k = Math.max(0, Math.min(n, total - pos));
            pos += k;
            return k;
        }
    }

    @Test
    void streamsAnArrayBeyond2GiBInOneRowOfMemory() throws IOException {
        long rows = 12_000; // 2.16e9 bytes; row 11930 straddles byte 2^31
        Set<Long> marked = Set.of(0L, 11_930L, 11_931L, 11_999L);
        LazyNpy lazy = new LazyNpy(rows, marked);
        assertThat(lazy.size()).isGreaterThan(1L << 31);
        long before = allocatedBytes();
        int nonZero = 0;
        try (NpyRowStream s = new NpyRowStream(lazy, "lazy.npy", lazy.size())) {
            assertThat(s.rows().rows()).isEqualTo(rows);
            byte[] row = new byte[s.rows().rowBytes()];
            float[] f = new float[ROW_ITEMS];
            while (s.hasNext()) {
                long r = s.position();
                s.readRow(row);
                if (marked.contains(r)) {
                    s.rows().toFloats(row, f);
                    for (int i = 0; i < ROW_ITEMS; i += 997) {
                        assertThat(f[i]).isEqualTo(value(r, i));
                    }
                    assertThat(f[ROW_ITEMS - 1]).isEqualTo(value(r, ROW_ITEMS - 1));
                    nonZero++;
                } else if (r % 1000 == 7) {
                    s.rows().toFloats(row, f);
                    assertThat(f).containsOnly(0f);
                }
            }
        }
        long allocated = allocatedBytes() - before;
        assertThat(nonZero).isEqualTo(4);
        // the test's own buffers plus the few marked rows; nowhere near the 2.16 GB streamed
        assertThat(allocated).isLessThan(32L << 20);
    }

    @Test
    void sparseStoredZip64NpzBeyond4GiBReadsItsFarRows() throws Exception {
        int n = 24_000; // 4.32e9 bytes: member size, later offsets and the directory all need zip64
        Set<Long> marked = new TreeSet<>(List.of(0L, 11_930L, 11_931L, 23_860L, 23_999L));
        Path file = tmp.resolve("huge.npz");
        byte[] xHeader = NpyHeader.encode("<f4", new long[]{n, T, COLS}, 0);
        long xSize = xHeader.length + (long) n * ROW_BYTES;
        double[] y = new double[n * 3];
        for (int r = 0; r < n; r++) {
            y[r * 3 + r % 3] = 1;
        }
        byte[] yBytes = Fixtures.npy("<f8", new long[]{n, 3}, y);
        float[] test = new float[2 * ROW_ITEMS];
        for (int i = 0; i < test.length; i++) {
            test[i] = value(100_000, i % ROW_ITEMS) + i / ROW_ITEMS;
        }
        byte[] xTest = Fixtures.npyFloats(new long[]{2, T, COLS}, test);
        byte[] yTest = Fixtures.npy("<f8", new long[]{2, 3}, 0, 0, 1, 1, 0, 0);
        try (BigZip zip = new BigZip(file)) {
            zip.add("x_train.npy", 0, 0, xSize, xSize, (ch, start) -> {
                BigZip.writeFully(ch, xHeader, start);
                for (long r : marked) {
                    BigZip.writeFully(ch, markedRow(r), start + xHeader.length + r * ROW_BYTES);
                }
            });
            for (byte[] member : List.of(yBytes, xTest, yTest)) {
                String name = member == yBytes ? "y_train.npy" : member == xTest ? "x_test.npy" : "y_test.npy";
                CRC32 crc = new CRC32();
                crc.update(member);
                zip.add(name, 0, crc.getValue(), member.length, member.length,
                        (ch, start) -> BigZip.writeFully(ch, member, start));
            }
            zip.finish();
        }
        assertThat(Files.size(file)).isGreaterThan(1L << 32);
        // the JDK's zip reader agrees with our hand-made zip64 directory
        try (ZipFile z = new ZipFile(file.toFile())) {
            ZipEntry e = z.getEntry("x_train.npy");
            assertThat(e.getSize()).isEqualTo(xSize);
            assertThat(z.getEntry("y_test.npy").getSize()).isEqualTo(yTest.length);
        }

        try (NtuNpzSource src = new NtuNpzSource(file)) {
            assertThat(src.size()).isEqualTo(n + 2);
            assertThat(src.counts()).containsEntry("train", n).containsEntry("test", 2);
            SampleSource.Info info = src.info();
            assertThat(info.persons()).isEqualTo(2);
            assertThat(info.maxFrames()).isEqualTo(T);
            assertThat(info.numClasses()).isEqualTo(3);
            Iterator<SampleSource.Unit> units = src.units();
            int count = 0;
            List<Sample> seen = new ArrayList<>();
            while (units.hasNext()) {
                SampleSource.Unit u = units.next();
                if (count < n && marked.contains((long) count) || count >= n) {
                    seen.add((Sample) u.read().get(0));
                }
                count++;
            }
            assertThat(count).isEqualTo(n + 2);
            int k = 0;
            for (long r : marked) {
                Sample s = seen.get(k++);
                assertThat(s.name()).isEqualTo("train[" + r + "]");
                assertThat(s.label()).isEqualTo((int) (r % 3));
                assertThat(s.validFrames()).isEqualTo(T);
                checkTransposed(s, r, 0);
            }
            assertThat(seen.get(k).sourceSplit()).isEqualTo("test");
            assertThat(seen.get(k).label()).isEqualTo(2);
            assertThat(seen.get(k + 1).label()).isEqualTo(0);
            checkTransposed(seen.get(k + 1), 100_000, 1);
        }
        // the sequential path over the same member: skip beyond 4 GiB and read
        try (NpzArchive npz = NpzArchive.open(file); NpyRowStream s = npz.member("x_train").openStream()) {
            s.skipRows(23_860);
            byte[] row = s.readRow();
            assertThat(Arrays.equals(row, markedRow(23_860))).isTrue();
            s.skipRows(23_999 - 23_861);
            assertThat(Arrays.equals(s.readRow(), markedRow(23_999))).isTrue();
            assertThat(s.hasNext()).isFalse();
        }
    }

    /** Sample (c, t, v, m) must equal the npz row's (t, m, v, c) value. */
    private static void checkTransposed(Sample s, long r, float offset) {
        for (int t = 0; t < T; t += 37) {
            for (int m = 0; m < 2; m++) {
                for (int v = 0; v < 25; v++) {
                    for (int c = 0; c < 3; c++) {
                        int i = t * COLS + (m * 25 + v) * 3 + c;
                        assertThat(s.get(c, t, v, m)).isEqualTo(value(r, i) + offset);
                    }
                }
            }
        }
    }

    @Test
    void compressedZip64MemberBeyond2GiBStreamsThroughTheSource() throws Exception {
        int n = 12_000;
        Set<Long> marked = new TreeSet<>(List.of(0L, 5_000L, 11_930L, 11_999L));
        byte[] header = NpyHeader.encode("<f4", new long[]{n, T, COLS}, 0);
        long usize = header.length + (long) n * ROW_BYTES;

        // deflate: real parts compressed normally, zero runs as a repeated block. After FULL_FLUSH a
        // deflate block cannot refer to earlier data, so repeating its bytes repeats its output.
        Deflater d = new Deflater(Deflater.BEST_SPEED, true);
        ByteArrayOutputStream packed = new ByteArrayOutputStream();
        CRC32 crc = new CRC32();
        int chunk = 1 << 20;
        byte[] zeros = new byte[chunk];
        byte[] zeroBlock = deflate(d, zeros, chunk, Deflater.FULL_FLUSH);
        deflateInto(d, header, header.length, packed, crc);
        long next = 0;
        for (long r : marked) {
            long run = (r - next) * ROW_BYTES;
            for (; run >= chunk; run -= chunk) {
                packed.writeBytes(zeroBlock);
                crc.update(zeros, 0, chunk);
            }
            deflateInto(d, zeros, (int) run, packed, crc);
            deflateInto(d, markedRow(r), ROW_BYTES, packed, crc);
            next = r + 1;
        }
        d.setInput(new byte[0]);
        d.finish();
        byte[] buf = new byte[1024];
        while (!d.finished()) {
            packed.write(buf, 0, d.deflate(buf));
        }
        d.end();
        byte[] xPacked = packed.toByteArray();

        Path file = tmp.resolve("huge_compressed.npz");
        byte[] y = Fixtures.npy("<f8", new long[]{n, 2}, oneHot(n));
        byte[] xTest = Fixtures.npyFloats(new long[]{1, T, COLS}, Arrays.copyOf(new float[]{1f}, ROW_ITEMS));
        byte[] yTest = Fixtures.npy("<f8", new long[]{1, 2}, 0, 1);
        try (BigZip zip = new BigZip(file)) {
            zip.add("x_train.npy", 8, crc.getValue(), xPacked.length, usize,
                    (ch, start) -> BigZip.writeFully(ch, xPacked, start));
            addDeflated(zip, "y_train.npy", y);
            addDeflated(zip, "x_test.npy", xTest);
            addDeflated(zip, "y_test.npy", yTest);
            zip.finish();
        }
        assertThat(Files.size(file)).isLessThan(64L << 20);

        try (NtuNpzSource src = new NtuNpzSource(file)) {
            assertThat(src.size()).isEqualTo(n + 1);
            Iterator<SampleSource.Unit> units = src.units();
            List<Sample> seen = new ArrayList<>();
            int count = 0;
            while (units.hasNext()) {
                SampleSource.Unit u = units.next();
                if (count >= n || marked.contains((long) count)) {
                    seen.add((Sample) u.read().get(0));
                } else if (count % 3001 == 0) {
                    Sample s = (Sample) u.read().get(0);
                    assertThat(s.validFrames()).isZero();
                }
                count++;
            }
            assertThat(count).isEqualTo(n + 1);
            int k = 0;
            for (long r : marked) {
                Sample s = seen.get(k++);
                assertThat(s.name()).isEqualTo("train[" + r + "]");
                assertThat(s.label()).isEqualTo((int) (r % 2));
                checkTransposed(s, r, 0);
            }
            Sample last = seen.get(k);
            assertThat(last.name()).isEqualTo("test[0]");
            assertThat(last.validFrames()).isEqualTo(1);
            assertThat(last.get(0, 0, 0, 0)).isEqualTo(1f);
            assertThat(last.label()).isEqualTo(1);
        }
    }

    private static double[] oneHot(int n) {
        double[] y = new double[n * 2];
        for (int r = 0; r < n; r++) {
            y[r * 2 + r % 2] = 1;
        }
        return y;
    }

    private static byte[] deflate(Deflater d, byte[] data, int len, int flush) {
        d.setInput(data, 0, len);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        int k;
        do {
            k = d.deflate(buf, 0, buf.length, flush);
            out.write(buf, 0, k);
        } while (k == buf.length || !d.needsInput());
        return out.toByteArray();
    }

    private static void deflateInto(Deflater d, byte[] data, int len, ByteArrayOutputStream out, CRC32 crc) {
        out.writeBytes(deflate(d, data, len, Deflater.FULL_FLUSH));
        crc.update(data, 0, len);
    }

    private static void addDeflated(BigZip zip, String name, byte[] data) throws IOException {
        Deflater d = new Deflater(6, true);
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        byte[] packed = out.toByteArray();
        CRC32 crc = new CRC32();
        crc.update(data);
        zip.add(name, 8, crc.getValue(), packed.length, data.length,
                (ch, start) -> BigZip.writeFully(ch, packed, start));
    }

    @Test
    void mappedAndRandomAccessReadsAcrossChunkBoundariesOfASparse2GiBNpy() throws Exception {
        int n = 12_000; // (N, 3, 300, 25, 2) float32 = 180000 bytes a row, 2.16e9 in all
        Path dir = Files.createDirectories(tmp.resolve("agcn"));
        Path npy = dir.resolve("train_data_joint.npy");
        byte[] header = NpyHeader.encode("<f4", new long[]{n, 3, T, 25, 2}, 0);
        long perChunk = (1L << 30) / ROW_BYTES; // MappedNpy maps 1 GiB of whole rows at a time
        Set<Long> marked = new TreeSet<>(List.of(0L, perChunk - 1, perChunk, 2 * perChunk - 1, 2 * perChunk,
                (long) n - 1));
        try (FileChannel ch = FileChannel.open(npy, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            BigZip.writeFully(ch, header, 0);
            for (long r : marked) {
                BigZip.writeFully(ch, markedRow(r), header.length + r * ROW_BYTES);
            }
        }
        assertThat(Files.size(npy)).isEqualTo(header.length + (long) n * ROW_BYTES).isGreaterThan(1L << 31);

        try (MappedNpy mapped = new MappedNpy(npy); NpyRowFile file = NpyRowFile.open(npy)) {
            assertThat(mapped.rows()).isEqualTo(n);
            for (long r : marked) {
                float[] f = mapped.readFloats(r);
                assertThat(f[0]).isEqualTo(value(r, 0));
                assertThat(f[ROW_ITEMS - 1]).isEqualTo(value(r, ROW_ITEMS - 1));
                assertThat(Arrays.equals(file.readRow(r), markedRow(r))).isTrue();
            }
            assertThat(mapped.readFloats(perChunk + 1)).containsOnly(0f);
        }

        // the same file through the agcn-npy source, with a label file of 12000 names and frame counts
        List<String> names = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        double[] frames = new double[n];
        for (int i = 0; i < n; i++) {
            names.add(String.format("S001C001P%03dR001A%03d.skeleton", 1 + i % 40, 1 + i % 60));
            labels.add(i % 60);
            frames[i] = 1 + i % 400; // some beyond T = 300: clamped
        }
        Files.write(dir.resolve("train_label.pkl"), new Pickler().dumps(new Object[]{names, labels}));
        Files.write(dir.resolve("train_num_frame.npy"), Fixtures.npy("<i8", new long[]{n}, frames));
        try (AgcnNpySource src = new AgcnNpySource(dir)) {
            assertThat(src.size()).isEqualTo(n);
            assertThat(src.info().numClasses()).isEqualTo(60);
            Iterator<SampleSource.Unit> units = src.units();
            int i = 0;
            while (units.hasNext()) {
                SampleSource.Unit u = units.next();
                if (marked.contains((long) i)) {
                    Sample s = (Sample) u.read().get(0);
                    assertThat(s.label()).isEqualTo(i % 60);
                    assertThat(s.validFrames()).isEqualTo(Math.min(300, 1 + i % 400));
                    assertThat(s.meta().subject()).isEqualTo(1 + i % 40);
                    // (N, 3, T, V, M) rows are already in our order: flat index = Sample index
                    for (int k = 0; k < ROW_ITEMS; k += 499) {
                        assertThat(s.data()[k]).isEqualTo(value(i, k));
                    }
                }
                i++;
            }
            assertThat(i).isEqualTo(n);
        }
    }
}
