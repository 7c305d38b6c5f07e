package io.skeletonssl.training;

import io.skeletonssl.io.MappedNpy;
import io.skeletonssl.io.NpyHeader;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** One float32 tensor per little-endian .npy file (readable with numpy.load). */
final class TensorFiles {

    private TensorFiles() {
    }

    static void write(Path file, HostTensor t) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write(NpyHeader.encode("<f4", t.shape(), 0));
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : t.data()) {
                if (buf.remaining() < 4) {
                    out.write(buf.array(), 0, buf.position());
                    buf.clear();
                }
                buf.putFloat(v);
            }
            out.write(buf.array(), 0, buf.position());
        }
    }

    static HostTensor read(Path file, long[] expectedShape) throws IOException {
        try (MappedNpy npy = new MappedNpy(file)) {
            NpyHeader h = npy.header();
            if (!h.dtype().equals("f4")) {
                throw new IOException(file + ": expected a float32 array, found dtype " + h.dtype());
            }
            if (!Arrays.equals(h.shape(), expectedShape)) {
                throw new IOException(file + ": array has shape " + h.shapeString() + ", the checkpoint index says "
                        + Arrays.toString(expectedShape));
            }
            float[] data = new float[Math.toIntExact(h.count())];
            if (data.length > 0) {
                npy.readFloatRange(0, npy.rows(), data, 0);
            }
            return new HostTensor(expectedShape, data);
        }
    }

    /** A file name from a parameter name: an index (for uniqueness) plus the name's safe characters. */
    static String fileName(int index, String name) {
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        if (safe.length() > 100) {
            safe = safe.substring(0, 100);
        }
        return String.format("%04d-%s.npy", index, safe);
    }
}
