package io.skeletonssl.formats.torch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TorchArchiveTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    @Test
    void readsAPytorchCheckpointExactlyIncludingViews() throws IOException {
        Map<String, TorchFixtures.Expected> expected = TorchFixtures.expected();
        try (TorchArchive a = TorchArchive.open(TorchFixtures.file("mamp_tiny.pth"))) {
            Map<String, Object> root = map(a.root());
            assertThat(root.keySet()).containsExactly("model", "optimizer", "epoch", "scaler", "args");
            assertThat(root.get("epoch")).isEqualTo(399);
            Map<String, Object> sd = map(root.get("model"));
            assertThat(sd).isInstanceOf(PickledOrderedDict.class);
            assertThat(((PickledOrderedDict) root.get("model")).attributes()).containsKey("_metadata");
            assertThat(sd).hasSize(51);
            for (Map.Entry<String, Object> e : sd.entrySet()) {
                TorchTensor t = (TorchTensor) e.getValue();
                TorchFixtures.Expected x = expected.get(e.getKey());
                assertThat(t.shape()).as(e.getKey()).isEqualTo(x.shape());
                assertThat(t.dtype()).isEqualTo(TorchDtype.FLOAT32);
                assertThat(floatBits(t.toFloatArray())).as(e.getKey()).isEqualTo(floatBits(x.values()));
            }
            TorchTensor fc1 = (TorchTensor) sd.get("blocks.0.mlp.fc1.weight");
            assertThat(fc1.isContiguous()).isFalse();
            assertThat(fc1.stride()).containsExactly(1, 32);
            TorchTensor bias = (TorchTensor) sd.get("decoder_pred.bias");
            assertThat(bias.storageOffset()).isEqualTo(5);
            assertThat(bias.storage().numel()).isEqualTo(24);

            PickledNamespace args = (PickledNamespace) root.get("args");
            assertThat(map(args.get("model_args"))).containsEntry("dim_feat", 8).containsEntry("num_heads", 2)
                    .containsEntry("qk_scale", "None");
            assertThat(args.get("motion_aware_tau")).isEqualTo(0.8);
            assertThat(args.get("numpy_seed")).isEqualTo(0L); // a numpy int64 scalar
            assertThat(map(root.get("scaler"))).containsEntry("scale", 65536.0);
            Map<String, Object> opt = map(root.get("optimizer"));
            Map<String, Object> state0 = map(map(opt.get("state")).get(0));
            assertThat(((TorchTensor) state0.get("step")).item()).isEqualTo(1.0);
            List<?> groups = (List<?>) opt.get("param_groups");
            assertThat(map(groups.get(0)).get("betas")).isEqualTo(new Object[]{0.9, 0.95});
        }
    }

    private static int[] floatBits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToRawIntBits(v[i]);
        }
        return b;
    }

    /** Copies a zip, letting {@code edit} replace (or drop, with null) each record's bytes; {@code extra} is added. */
    private static Path rewrite(Path from, Path to, BiFunction<String, byte[], byte[]> edit, String extraName,
                                byte[] extra) throws IOException {
        try (ZipFile z = new ZipFile(from.toFile()); OutputStream os = Files.newOutputStream(to);
             ZipOutputStream out = new ZipOutputStream(os)) {
            for (ZipEntry e : Collections.list(z.entries())) {
                byte[] b;
                try (InputStream in = z.getInputStream(e)) {
                    b = edit.apply(e.getName(), in.readAllBytes());
                }
                if (b != null) {
                    out.putNextEntry(new ZipEntry(e.getName()));
                    out.write(b);
                    out.closeEntry();
                }
            }
            if (extraName != null) {
                out.putNextEntry(new ZipEntry(extraName));
                out.write(extra);
                out.closeEntry();
            }
        }
        return to;
    }

    @Test
    void honoursABigEndianByteOrderRecord(@TempDir Path dir) throws IOException {
        Path src = TorchFixtures.file("mamp_tiny_ddp.pth");
        // every storage of this file is float32: swap each value's bytes and declare the order
        Path big = rewrite(src, dir.resolve("big.pth"), (name, b) -> {
            if (!name.contains("/data/")) {
                return b;
            }
            ByteBuffer in = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer out = ByteBuffer.allocate(b.length).order(ByteOrder.BIG_ENDIAN);
            while (in.hasRemaining()) {
                out.putFloat(in.getFloat());
            }
            return out.array();
        }, "mamp_tiny_ddp/byteorder", "big".getBytes(StandardCharsets.US_ASCII));
        try (TorchArchive little = TorchArchive.open(src); TorchArchive bigA = TorchArchive.open(big)) {
            Map<String, Object> a = map(little.root());
            Map<String, Object> b = map(bigA.root());
            assertThat(b.keySet()).containsExactlyElementsOf(a.keySet()).allMatch(k -> k.startsWith("module."));
            for (String k : a.keySet()) {
                assertThat(((TorchTensor) b.get(k)).toFloatArray()).isEqualTo(((TorchTensor) a.get(k)).toFloatArray());
            }
        }
    }

    @Test
    void aMissingOrShortStorageIsAClearError(@TempDir Path dir) throws IOException {
        Path src = TorchFixtures.file("mamp_tiny_ddp.pth");
        Path dropped = rewrite(src, dir.resolve("d.pth"), (n, b) -> n.endsWith("/data/0") ? null : b, null, null);
        Path shortened = rewrite(src, dir.resolve("s.pth"), (n, b) -> n.endsWith("/data/0")
                ? Arrays.copyOf(b, b.length - 4) : b, null, null);
        for (Path p : List.of(dropped, shortened)) {
            try (TorchArchive a = TorchArchive.open(p)) {
                TorchTensor t = map(a.root()).values().stream().map(TorchTensor.class::cast)
                        .filter(x -> x.storage().key().equals("0")).findFirst().orElseThrow();
                assertThatThrownBy(t::toFloatArray).isInstanceOf(IOException.class)
                        .hasMessageContaining(p.toString()).hasMessageContaining("storage")
                        .hasMessageMatching(".*(is missing|bytes, its .* elements need).*");
            }
        }
    }

    @Test
    void refusesForbiddenGlobalsWithoutExecutingThem() throws IOException {
        Path marker = Path.of("/tmp/skeletonssl-pwned");
        Files.deleteIfExists(marker);
        Path sys = TorchFixtures.file("evil_system.pth");
        assertThatThrownBy(() -> TorchArchive.open(sys)).isInstanceOf(IOException.class)
                .hasMessageContaining("evil_system.pth").hasMessageContaining("forbidden class posix.system")
                .hasMessageContaining("a PyTorch checkpoint may hold only tensors");
        assertThatThrownBy(() -> TorchArchive.open(TorchFixtures.file("evil_eval.pth")))
                .hasMessageContaining("forbidden class __builtin__.eval");
        assertThat(marker).doesNotExist();
    }

    @Test
    void legacyNotAZipTruncatedAndForeignZipsAreClearErrors(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> TorchArchive.open(TorchFixtures.file("legacy.pth")))
                .hasMessageContaining("legacy (non-zip) torch.save file").hasMessageContaining("torch >= 1.6");
        Path text = Files.writeString(dir.resolve("notes.pth"), "hello, not a checkpoint\n");
        assertThatThrownBy(() -> TorchArchive.open(text)).hasMessageContaining("not a PyTorch checkpoint");
        Path empty = Files.write(dir.resolve("empty.pth"), new byte[0]);
        assertThatThrownBy(() -> TorchArchive.open(empty)).hasMessageContaining("empty file");
        byte[] full = Files.readAllBytes(TorchFixtures.file("mamp_tiny.pth"));
        Path cut = Files.write(dir.resolve("cut.pth"), Arrays.copyOf(full, full.length / 2));
        assertThatThrownBy(() -> TorchArchive.open(cut)).isInstanceOf(IOException.class)
                .hasMessageContaining("cut.pth").hasMessageContaining("damaged or truncated zip");
        Path npz = TorchFixtures.file("mamp_tiny_expected.npz");
        assertThatThrownBy(() -> TorchArchive.open(npz)).hasMessageContaining("not a torch.save file");
        assertThatThrownBy(() -> TorchArchive.open(dir.resolve("nope.pth"))).hasMessageContaining("no such");
    }
}
