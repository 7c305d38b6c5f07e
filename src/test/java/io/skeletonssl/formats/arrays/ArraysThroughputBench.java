package io.skeletonssl.formats.arrays;

import io.skeletonssl.formats.Converter;
import io.skeletonssl.formats.SampleSource;
import io.skeletonssl.formats.SplitAssigner;
import io.skeletonssl.io.NpyHeader;
import net.razorvine.pickle.Pickler;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Throughput of the two array sources on ~200 MB inputs shaped like the real ones (random clip
 * lengths 40–300 frames, zero padding, half the clips with a second person). Not part of the
 * suite: run with {@code mvn -o -q test -Dtest=ArraysThroughputBench -Dskeletonssl.bench=true}.
 */
class ArraysThroughputBench {

    private static final int T = 300;
    private static final int ROW_ITEMS = T * 150;

    @TempDir
    Path tmp;

    private static byte[] row(Random rnd, boolean agcn) {
        int len = 40 + rnd.nextInt(261);
        boolean two = rnd.nextBoolean();
        float[] f = new float[ROW_ITEMS];
        for (int t = 0; t < len; t++) {
            for (int m = 0; m < (two ? 2 : 1); m++) {
                for (int k = 0; k < 75; k++) {
                    float v = (float) (rnd.nextGaussian() * 0.3);
                    if (agcn) {
                        int c = k % 3;
                        int joint = k / 3;
                        f[((c * T + t) * 25 + joint) * 2 + m] = v;
                    } else {
                        f[t * 150 + m * 75 + k] = v;
                    }
                }
            }
        }
        ByteBuffer b = ByteBuffer.allocate(ROW_ITEMS * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(f);
        return b.array();
    }

    private static void member(ZipOutputStream z, String name, boolean deflated, byte[] header, List<byte[]> rows)
            throws IOException {
        ZipEntry e = new ZipEntry(name);
        if (!deflated) {
            CRC32 crc = new CRC32();
            crc.update(header);
            long size = header.length;
            for (byte[] r : rows) {
                crc.update(r);
                size += r.length;
            }
            e.setMethod(ZipEntry.STORED);
            e.setSize(size);
            e.setCompressedSize(size);
            e.setCrc(crc.getValue());
        }
        z.putNextEntry(e);
        z.write(header);
        for (byte[] r : rows) {
            z.write(r);
        }
        z.closeEntry();
    }

    private Path npz(boolean deflated, int nTrain, int nTest) throws IOException {
        Random rnd = new Random(42);
        Path f = tmp.resolve(deflated ? "bench_compressed.npz" : "bench.npz");
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(f), 1 << 20);
             ZipOutputStream z = new ZipOutputStream(os)) {
            for (String split : List.of("train", "test")) {
                int n = split.equals("train") ? nTrain : nTest;
                List<byte[]> rows = new ArrayList<>();
                double[] y = new double[n * 60];
                for (int i = 0; i < n; i++) {
                    rows.add(row(rnd, false));
                    y[i * 60 + rnd.nextInt(60)] = 1;
                }
                member(z, "x_" + split + ".npy", deflated, NpyHeader.encode("<f4", new long[]{n, T, 150}, 0), rows);
                byte[] yb = Fixtures.npy("<f8", new long[]{n, 60}, y);
                member(z, "y_" + split + ".npy", deflated, yb, List.of());
            }
        }
        return f;
    }

    private Path agcn(int nTrain, int nTest) throws IOException {
        Random rnd = new Random(43);
        Path d = Files.createDirectories(tmp.resolve("agcn"));
        for (String part : List.of("train", "val")) {
            int n = part.equals("train") ? nTrain : nTest;
            List<String> names = new ArrayList<>();
            List<Integer> labels = new ArrayList<>();
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(d.resolve(part + "_data_joint.npy")),
                    1 << 20)) {
                os.write(NpyHeader.encode("<f4", new long[]{n, 3, T, 25, 2}, 0));
                for (int i = 0; i < n; i++) {
                    os.write(row(rnd, true));
                    names.add(String.format("S%03dC001P%03dR001A%03d.skeleton", 1 + i % 17, 1 + i % 40, 1 + i % 60));
                    labels.add(i % 60);
                }
            }
            Files.write(d.resolve(part + "_label.pkl"), new Pickler().dumps(new Object[]{names, labels}));
        }
        return d;
    }

    private static String rate(String what, long rows, long bytes, double s) {
        return String.format("%-44s %6d rows in %6.2f s = %7.0f rows/s, %6.0f MB/s", what, rows, s, rows / s,
                bytes / s / 1e6);
    }

    private static double readAll(SampleSource src) throws Exception {
        long t0 = System.nanoTime();
        Iterator<SampleSource.Unit> it = src.units();
        while (it.hasNext()) {
            it.next().read();
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private double convert(SampleSource src, int threads, String name) throws Exception {
        long t0 = System.nanoTime();
        new Converter(threads).convert(src, SplitAssigner.fromSource(), tmp.resolve(name), name, Map.of(), false,
                false);
        double s = (System.nanoTime() - t0) / 1e9;
        deleteTree(tmp.resolve(name));
        return s;
    }

    private static void deleteTree(Path p) throws IOException {
        try (var walk = Files.walk(p)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(q -> q.toFile().delete());
        }
    }

    @Test
    void measure() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("skeletonssl.bench"), "benchmark: set -Dskeletonssl.bench=true");
        io.skeletonssl.util.Progress.setEnabled(false);
        int nTrain = 900;
        int nTest = 210; // 1110 rows × 180 kB = 200 MB
        long bytes = (long) (nTrain + nTest) * ROW_ITEMS * 4;
        List<String> out = new ArrayList<>();
        for (boolean deflated : new boolean[]{false, true}) {
            Path f = npz(deflated, nTrain, nTest);
            String kind = deflated ? "ntu-npz DEFLATED" : "ntu-npz STORED";
            out.add(String.format("%s: file %.0f MB", kind, Files.size(f) / 1e6));
            for (int rep = 0; rep < 2; rep++) { // first pass warms up the JIT and page cache
                try (NtuNpzSource src = new NtuNpzSource(f)) {
                    double s = readAll(src);
                    if (rep == 1) {
                        out.add(rate(kind + ", units read on 1 thread", nTrain + nTest, bytes, s));
                    }
                }
            }
            try (NtuNpzSource src = new NtuNpzSource(f)) {
                out.add(rate(kind + ", Converter(2) to a dataset", nTrain + nTest, bytes, convert(src, 2, "ds")));
            }
        }
        Path d = agcn(nTrain, nTest);
        for (int rep = 0; rep < 2; rep++) {
            try (AgcnNpySource src = new AgcnNpySource(d)) {
                double s = readAll(src);
                if (rep == 1) {
                    out.add(rate("agcn-npy, units read on 1 thread", nTrain + nTest, bytes, s));
                }
            }
        }
        try (AgcnNpySource src = new AgcnNpySource(d)) {
            out.add(rate("agcn-npy, Converter(2) to a dataset", nTrain + nTest, bytes, convert(src, 2, "ds2")));
        }
        out.forEach(System.out::println);
    }
}
