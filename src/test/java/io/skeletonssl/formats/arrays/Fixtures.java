package io.skeletonssl.formats.arrays;

import io.skeletonssl.io.NpyHeader;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Test inputs made in memory: npy bytes, npz zips, hand-written pickles. */
final class Fixtures {

    private Fixtures() {
    }

    /** An npy file of the given little/big-endian dtype ({@code <f4}, {@code >f8}, {@code <i8}...) and values. */
    static byte[] npy(String descr, long[] shape, double... values) {
        byte[] header = NpyHeader.encode(descr, shape, 0);
        ByteOrder order = descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        String dtype = descr.substring(1);
        int item = Integer.parseInt(dtype.substring(1));
        ByteBuffer b = ByteBuffer.allocate(header.length + values.length * item).order(order);
        b.put(header);
        for (double v : values) {
            switch (dtype) {
                case "f4" -> b.putFloat((float) v);
                case "f8" -> b.putDouble(v);
                case "i8" -> b.putLong((long) v);
                case "i4" -> b.putInt((int) v);
                case "u1" -> b.put((byte) v);
                default -> throw new IllegalArgumentException(dtype);
            }
        }
        return b.array();
    }

    static byte[] npyFloats(long[] shape, float[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i];
        }
        return npy("<f4", shape, d);
    }

    /** Writes a zip of the members (name → bytes), STORED like np.savez or DEFLATED like np.savez_compressed. */
    static Path zip(Path out, boolean deflated, Map<String, byte[]> members) throws IOException {
        try (OutputStream os = Files.newOutputStream(out); ZipOutputStream z = new ZipOutputStream(os)) {
            for (Map.Entry<String, byte[]> m : members.entrySet()) {
                ZipEntry e = new ZipEntry(m.getKey());
                if (deflated) {
                    e.setMethod(ZipEntry.DEFLATED);
                } else {
                    CRC32 crc = new CRC32();
                    crc.update(m.getValue());
                    e.setMethod(ZipEntry.STORED);
                    e.setSize(m.getValue().length);
                    e.setCompressedSize(m.getValue().length);
                    e.setCrc(crc.getValue());
                }
                z.putNextEntry(e);
                z.write(m.getValue());
                z.closeEntry();
            }
        }
        return out;
    }

    /** Little-endian writer of pickle opcodes, for hand-made (and hostile) pickles. */
    static final class Pickle {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickle op(int opcode) {
            out.write(opcode);
            return this;
        }

        Pickle raw(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        Pickle text(String s) {
            return raw(s.getBytes(StandardCharsets.ISO_8859_1));
        }

        Pickle proto(int p) {
            return op(0x80).op(p);
        }

        /** GLOBAL "module\nname\n" (protocols 0–3). */
        Pickle global(String module, String name) {
            return op('c').text(module + "\n" + name + "\n");
        }

        /** SHORT_BINUNICODE ×2 + STACK_GLOBAL (protocol 4+). */
        Pickle stackGlobal(String module, String name) {
            return str(module).str(name).op(0x93);
        }

        /** SHORT_BINUNICODE. */
        Pickle str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            return op(0x8c).op(b.length).raw(b);
        }

        /** SHORT_BINBYTES. */
        Pickle bytes(byte[] b) {
            return op('C').op(b.length).raw(b);
        }

        Pickle int1(int v) {
            return op('K').op(v);
        }

        Pickle binint(int v) {
            return op('J').raw(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
        }

        Pickle binfloat(double v) {
            return op('G').raw(ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putDouble(v).array());
        }

        Pickle mark() {
            return op('(');
        }

        Pickle tuple() {
            return op('t');
        }

        Pickle tuple2() {
            return op(0x86);
        }

        Pickle list() {
            return op('l');
        }

        Pickle reduce() {
            return op('R');
        }

        Pickle stop() {
            return op('.');
        }

        /** numpy.dtype(typestr) with its BUILD state, as numpy pickles it (protocol 4 opcodes). */
        Pickle dtype(String typestr, String byteOrder) {
            return stackGlobal("numpy", "dtype").str(typestr).op(0x89).op(0x88).op(0x87).reduce()
                    .mark().int1(3).str(byteOrder).op('N').op('N').op('N').binint(-1).binint(-1).int1(0).tuple()
                    .op('b');
        }

        /** numpy.core.multiarray.scalar(dtype, bytes). */
        Pickle scalar(String module, String typestr, String byteOrder, byte[] value) {
            return stackGlobal(module, "scalar").dtype(typestr, byteOrder).bytes(value).tuple2().reduce();
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    static byte[] le64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    static byte[] be64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putLong(v).array();
    }
}
