package io.skeletonssl.formats.arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NpzArchiveTest {

    @TempDir
    Path tmp;

    private static double[] ramp(int n, double scale) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = (i - n / 3) * scale;
        }
        return d;
    }

    private Path sample(boolean deflated) throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("a.npy", Fixtures.npy("<f4", new long[]{4, 3, 5}, ramp(60, 0.25)));
        m.put("b.npy", Fixtures.npy(">f8", new long[]{2, 2}, 1.5, -2.25, 1e300, -0.0));
        m.put("c.npy", Fixtures.npy("<i8", new long[]{3}, 7, -8, 1L << 40));
        return Fixtures.zip(tmp.resolve(deflated ? "d.npz" : "s.npz"), deflated, m);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void membersStreamTheirRowsExactly(boolean deflated) throws IOException {
        try (NpzArchive npz = NpzArchive.open(sample(deflated))) {
            assertThat(npz.keys()).containsExactly("a", "b", "c");
            NpzArchive.Member a = npz.member("a");
            assertThat(a.compressed()).isEqualTo(deflated);
            assertThat(a.header().shape()).containsExactly(4, 3, 5);
            assertThat(a.rows().rowItems()).isEqualTo(15);
            assertThat(a.rows().rowBytes()).isEqualTo(60);
            double[] expected = ramp(60, 0.25);
            try (NpyRowStream s = a.openStream()) {
                float[] row = new float[15];
                for (int r = 0; r < 4; r++) {
                    assertThat(s.hasNext()).isTrue();
                    a.rows().toFloats(s.readRow(), row);
                    for (int k = 0; k < 15; k++) {
                        assertThat(row[k]).isEqualTo((float) expected[r * 15 + k]);
                    }
                }
                assertThat(s.hasNext()).isFalse();
            }
            NpzArchive.Member b = npz.member("b");
            try (NpyRowStream s = b.openStream()) {
                byte[] r0 = s.readRow();
                byte[] r1 = s.readRow();
                assertThat(b.rows().element(r0, 0)).isEqualTo(1.5);
                assertThat(b.rows().element(r0, 1)).isEqualTo(-2.25);
                assertThat(b.rows().element(r1, 0)).isEqualTo(1e300);
                float[] f = new float[2];
                b.rows().toFloats(r1, f);
                assertThat(f[0]).isEqualTo(Float.POSITIVE_INFINITY); // 1e300 does not fit a float
                assertThat(Float.floatToIntBits(f[1])).isEqualTo(Float.floatToIntBits(-0.0f));
            }
            NpzArchive.Member c = npz.member("c");
            try (NpyRowStream s = c.openStream()) {
                assertThat(c.rows().integer(s.readRow(), 0)).isEqualTo(7);
                assertThat(c.rows().integer(s.readRow(), 0)).isEqualTo(-8);
                assertThat(c.rows().integer(s.readRow(), 0)).isEqualTo(1L << 40);
            }
            if (deflated) {
                assertThatThrownBy(a::randomAccess).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("compressed");
            } else {
                try (NpyRowFile f = a.randomAccess()) {
                    float[] row = new float[15];
                    a.rows().toFloats(f.readRow(3), row);
                    assertThat(row[14]).isEqualTo((float) expected[59]);
                    a.rows().toFloats(f.readRow(0), row);
                    assertThat(row[0]).isEqualTo((float) expected[0]);
                    assertThatThrownBy(() -> f.readRow(4)).isInstanceOf(IndexOutOfBoundsException.class);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void skipRowsLandsOnTheRightRow(boolean deflated) throws IOException {
        try (NpzArchive npz = NpzArchive.open(sample(deflated));
             NpyRowStream s = npz.member("a").openStream()) {
            s.skipRows(2);
            assertThat(s.position()).isEqualTo(2);
            float[] row = new float[15];
            s.rows().toFloats(s.readRow(), row);
            assertThat(row[0]).isEqualTo((float) ramp(60, 0.25)[30]);
            assertThatThrownBy(() -> s.skipRows(2)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void missingKeyNamesTheFileAndItsKeys() throws IOException {
        try (NpzArchive npz = NpzArchive.open(sample(false))) {
            assertThatThrownBy(() -> npz.member("x_train"))
                    .hasMessageContaining("s.npz")
                    .hasMessageContaining("x_train")
                    .hasMessageContaining("a, b, c");
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void truncatedMemberNamesMemberAndRow(boolean deflated) throws IOException {
        byte[] full = Fixtures.npy("<f4", new long[]{5, 10}, ramp(50, 1));
        // header says 5 rows of 40 bytes; keep 3.5 rows
        byte[] cut = Arrays.copyOf(full, full.length - 60);
        Path f = Fixtures.zip(tmp.resolve("t.npz"), deflated, Map.of("x_train.npy", cut));
        try (NpzArchive npz = NpzArchive.open(f)) {
            assertThatThrownBy(() -> npz.member("x_train"))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("x_train.npy")
                    .hasMessageContaining("truncated")
                    .hasMessageContaining("row 3 of 5");
        }
    }

    @Test
    void cutFileIsReportedAsTruncatedZip() throws IOException {
        byte[] whole = Files.readAllBytes(sample(false));
        Path cut = Files.write(tmp.resolve("cut.npz"), Arrays.copyOf(whole, whole.length - 30));
        assertThatThrownBy(() -> NpzArchive.open(cut)).isInstanceOf(IOException.class)
                .hasMessageContaining("cut.npz").hasMessageContaining("truncated");
        Path text = Files.writeString(tmp.resolve("text.npz"), "this is not a zip archive at all, just some text");
        assertThatThrownBy(() -> NpzArchive.open(text)).isInstanceOf(IOException.class)
                .hasMessageContaining("text.npz");
    }

    @Test
    void damagedCompressedDataNamesTheRow() throws IOException {
        double[] noisy = new double[2000];
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] = Math.sin(i * 1.7) * 1000;
        }
        Path f = Fixtures.zip(tmp.resolve("bad.npz"), true,
                Map.of("a.npy", Fixtures.npy("<f4", new long[]{20, 100}, noisy)));
        byte[] bytes = Files.readAllBytes(f);
        // flip bytes in the middle of the deflate stream
        for (int i = 2000; i < 2100; i++) {
            bytes[i] ^= (byte) 0x5a;
        }
        Files.write(f, bytes);
        try (NpzArchive npz = NpzArchive.open(f)) {
            assertThatThrownBy(() -> {
                try (NpyRowStream s = npz.member("a").openStream()) {
                    while (s.hasNext()) {
                        s.readRow();
                    }
                }
            }).isInstanceOf(IOException.class).hasMessageContaining("a.npy").hasMessageContaining("row");
        }
    }

    @Test
    void streamWithoutKnownSizeReportsTheRowWhereDataEnds() throws IOException {
        byte[] full = Fixtures.npy("<f4", new long[]{6, 4}, ramp(24, 1));
        InputStream in = new ByteArrayInputStream(Arrays.copyOf(full, full.length - 20)); // 4.75 rows
        try (NpyRowStream s = new NpyRowStream(in, "stream.npy", -1)) {
            for (int i = 0; i < 4; i++) {
                s.readRow();
            }
            assertThatThrownBy(s::readRow).hasMessageContaining("stream.npy")
                    .hasMessageContaining("row 4 of 6");
        }
        try (NpyRowStream s = new NpyRowStream(new ByteArrayInputStream(Arrays.copyOf(full, full.length - 20)),
                "stream.npy", -1)) {
            assertThatThrownBy(() -> s.skipRows(6)).hasMessageContaining("row 4 of 6");
        }
    }

    @Test
    void fortranOrderIsRefused() throws IOException {
        byte[] c = Fixtures.npy("<f4", new long[]{2, 3}, ramp(6, 1));
        String h = new String(c, 0, 128, java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace("'fortran_order': False", "'fortran_order': True ");
        System.arraycopy(h.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, c, 0, 128);
        Path f = Fixtures.zip(tmp.resolve("f.npz"), false, Map.of("a.npy", c));
        try (NpzArchive npz = NpzArchive.open(f)) {
            assertThatThrownBy(() -> npz.member("a")).hasMessageContaining("Fortran");
        }
    }

    /** Archives written by numpy itself (see make_fixtures.py): zip64 extra fields in the local headers. */
    @ParameterizedTest
    @ValueSource(strings = {"numpy_savez.npz", "numpy_savez_compressed.npz"})
    void readsArchivesWrittenByNumpy(String name) throws Exception {
        Path f = tmp.resolve(name);
        try (InputStream in = getClass().getResourceAsStream(name)) {
            Files.copy(in, f);
        }
        try (NpzArchive npz = NpzArchive.open(f)) {
            assertThat(npz.keys()).containsExactly("x_train", "y_train", "x_test", "y_test");
            NpzArchive.Member x = npz.member("x_train");
            assertThat(x.compressed()).isEqualTo(name.contains("compressed"));
            assertThat(x.header().shape()).containsExactly(3, 2, 150);
            assertThat(x.header().dtype()).isEqualTo("f4");
            try (NpyRowStream s = x.openStream()) {
                float[] row = new float[300];
                for (int i = 0; i < 3; i++) {
                    x.rows().toFloats(s.readRow(), row);
                    for (int t = 0; t < 2; t++) {
                        for (int k = 0; k < 150; k++) {
                            assertThat(row[t * 150 + k]).isEqualTo(i * 1000 + t * 150 + k);
                        }
                    }
                }
            }
            assertThat(npz.member("y_test").header().dtype()).isEqualTo("f8");
        }
    }
}
