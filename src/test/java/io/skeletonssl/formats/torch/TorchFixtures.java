package io.skeletonssl.formats.torch;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The PyTorch-made fixtures of {@code src/test/resources/fixtures/torch} (see make_mamp_pth.py) and
 * an independent reader of their expected values (np.savez of float32 arrays, parsed here by hand).
 */
public final class TorchFixtures {

    private TorchFixtures() {
    }

    public static Path file(String name) {
        try {
            return Path.of(TorchFixtures.class.getResource("/fixtures/torch/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test fixture " + name, e);
        }
    }

    /** A float32 array: row-major values and shape. */
    public record Expected(long[] shape, float[] values) {
    }

    private static final Pattern SHAPE = Pattern.compile("'shape': \\(([0-9, ]*)\\)");

    /** Every array of {@code mamp_tiny_expected.npz} by name. */
    public static Map<String, Expected> expected() throws IOException {
        Map<String, Expected> out = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(file("mamp_tiny_expected.npz").toFile())) {
            for (ZipEntry e : java.util.Collections.list(z.entries())) {
                byte[] b;
                try (InputStream in = z.getInputStream(e)) {
                    b = in.readAllBytes();
                }
                ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
                int headerLen = Short.toUnsignedInt(buf.getShort(8));
                String header = new String(b, 10, headerLen, StandardCharsets.ISO_8859_1);
                if (!header.contains("'descr': '<f4'") || !header.contains("'fortran_order': False")) {
                    throw new IOException(e.getName() + ": fixture arrays are C-order float32, header " + header);
                }
                Matcher m = SHAPE.matcher(header);
                if (!m.find()) {
                    throw new IOException(e.getName() + ": no shape in " + header);
                }
                long[] shape = Arrays.stream(m.group(1).split(",")).map(String::trim).filter(s -> !s.isEmpty())
                        .mapToLong(Long::parseLong).toArray();
                float[] v = new float[(int) Arrays.stream(shape).reduce(1, (x, y) -> x * y)];
                buf.position(10 + headerLen);
                buf.asFloatBuffer().get(v);
                out.put(e.getName().replaceFirst("\\.npy$", ""), new Expected(shape, v));
            }
        }
        return out;
    }
}
