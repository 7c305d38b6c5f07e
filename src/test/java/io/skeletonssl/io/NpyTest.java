package io.skeletonssl.io;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NpyTest {

    @Test
    void writerAndMappedReaderRoundTrip(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("a.npy");
        try (NpyWriter w = new NpyWriter(f, "<f4", 2, 3)) {
            for (int r = 0; r < 5; r++) {
                float[] row = new float[6];
                for (int i = 0; i < 6; i++) {
                    row[i] = r * 10 + i;
                }
                w.writeRow(row);
            }
        }
        byte[] bytes = Files.readAllBytes(f);
        assertThat(bytes.length % 64).as("header padded to 64 bytes, body 5*6*4").isEqualTo((5 * 6 * 4) % 64);
        String header = new String(bytes, 10, 70, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(header).startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (5, 2, 3), }");
        try (MappedNpy m = new MappedNpy(f)) {
            assertThat(m.rows()).isEqualTo(5);
            assertThat(m.rowItems()).isEqualTo(6);
            assertThat(m.readFloats(3)).containsExactly(30, 31, 32, 33, 34, 35);
        }
    }

    @Test
    void oneDimensionalShapeHasTrailingComma(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("i.npy");
        try (NpyWriter w = new NpyWriter(f, "<i4")) {
            w.writeInt(7);
            w.writeInt(-2);
        }
        NpyHeader h = NpyHeader.read(Files.newInputStream(f), "i.npy");
        assertThat(h.shape()).containsExactly(2);
        try (MappedNpy m = new MappedNpy(f)) {
            assertThat(m.readAllInts()).containsExactly(7, -2);
        }
        String text = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(text).contains("'shape': (2,)");
    }

    @Property(tries = 50)
    void headerEncodeParseRoundTrip(@ForAll @IntRange(min = 0, max = 100000) int a,
                                    @ForAll @IntRange(min = 1, max = 300) int b,
                                    @ForAll @IntRange(min = 1, max = 25) int c) throws IOException {
        byte[] enc = NpyHeader.encode("<f8", new long[]{a, b, c}, 0);
        assertThat(enc.length % 64).isZero();
        NpyHeader h = NpyHeader.read(new ByteArrayInputStream(enc), "x");
        assertThat(h.shape()).containsExactly(a, b, c);
        assertThat(h.dtype()).isEqualTo("f8");
        assertThat(h.headerBytes()).isEqualTo(enc.length);
    }

    @Test
    void badHeadersNameTheProblem() {
        assertThatThrownBy(() -> NpyHeader.read(new ByteArrayInputStream(new byte[]{1, 2}), "f.npy"))
                .hasMessageContaining("f.npy").hasMessageContaining("too short");
        assertThatThrownBy(() -> NpyHeader.read(new ByteArrayInputStream("NOTNUMPYxx".getBytes()), "g.npy"))
                .hasMessageContaining("g.npy").hasMessageContaining("not a .npy");
        byte[] objectArray = NpyHeader.encode("|O", new long[]{3}, 0);
        assertThatThrownBy(() -> NpyHeader.read(new ByteArrayInputStream(objectArray), "o.npy"))
                .hasMessageContaining("object arrays are refused");
    }

    @Test
    void truncatedBodyIsReported(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.npy");
        try (NpyWriter w = new NpyWriter(f, "<f4", 4)) {
            w.writeRow(new float[]{1, 2, 3, 4});
            w.writeRow(new float[]{1, 2, 3, 4});
        }
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(raf.length() - 3);
        }
        assertThatThrownBy(() -> new MappedNpy(f)).hasMessageContaining("t.npy").hasMessageContaining("truncated");
    }

    /** A > 2 GiB array as a sparse file: costs no disk, exercises the chunked mapping. */
    @Test
    void mapsArraysLargerThanTwoGibibytes(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("big.npy");
        int rowItems = 3 * 300 * 25 * 2;
        long rows = 12_000; // 12000 * 180000 bytes = 2.16 GB
        byte[] header = NpyHeader.encode("<f4", new long[]{rows, 3, 300, 25, 2}, 0);
        long rowBytes = rowItems * 4L;
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.write(header);
            raf.setLength(header.length + rows * rowBytes);
            for (long r : new long[]{0, 5965, 5966, rows - 1}) {
                ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                b.putFloat(r + 0.5f).putFloat(-r);
                raf.seek(header.length + r * rowBytes + (rowItems - 2) * 4L);
                raf.write(b.array());
            }
        }
        assertThat(header.length + rows * rowBytes).isGreaterThan(1L << 31);
        try (MappedNpy m = new MappedNpy(f)) {
            float[] dst = new float[rowItems];
            for (long r : new long[]{0, 5965, 5966, rows - 1}) {
                m.readFloats(r, dst, 0);
                assertThat(dst[rowItems - 2]).isEqualTo(r + 0.5f);
                assertThat(dst[rowItems - 1]).isEqualTo((float) -r);
                assertThat(dst[0]).isZero();
            }
        }
    }
}
