package io.skeletonssl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skeletonssl.api.Embedder;
import io.skeletonssl.io.MappedNpy;
import io.skeletonssl.util.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A real pretraining checkpoint with NaN written into one encoder weight: every command that loads
 * it (linear probe, KNN, fine-tuning, resume, the embedding API) fails naming the tensor and the
 * checkpoint, and leaves no output folder; the untouched checkpoint still evaluates.
 */
class NonFiniteWeightsCommandTest {

    private static final String TENSOR = "blocks.0.attn.qkv.weight";
    private static final int POISONED = 12;

    @TempDir
    static Path shared;
    static Path data;
    static Path good;
    static Path bad;

    @BeforeAll
    static void setUp() throws IOException {
        Progress.setEnabled(false);
        data = shared.resolve("synth");
        CliTest.Result s = CliTest.run("synth", "--out", data.toString(), "--preset", "small", "--classes", "3", "-j", "2");
        assertThat(s.code()).as(s.err()).isZero();
        good = shared.resolve("run");
        // two epochs planned, stopped after the first: checkpoint-0 can be resumed
        CliTest.Result p = CliTest.run(pretrain(good, "--epochs", "2", "--stop-after-epoch", "0"));
        assertThat(p.code()).as(p.err()).isZero();
        assertThat(good.resolve("checkpoint-0/checkpoint.json")).isRegularFile();
        bad = copy(good, shared.resolve("bad"));
        poison(bad.resolve("checkpoint-0"), TENSOR, POISONED);
    }

    private static String[] pretrain(Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("pretrain", "--method", "mamp", "--preset", "mamp-small",
                "--data", data.toString(), "--out", out.toString(), "-j", "2"));
        for (String s : new String[]{"model.dim=32", "model.depth=1", "model.heads=2", "model.decoder_dim=32",
                "model.decoder_depth=1", "model.decoder_heads=2", "pretrain.batch_size=8", "pretrain.warmup_epochs=0"}) {
            a.add("--set");
            a.add(s);
        }
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    /** Overwrites the first {@code n} values of parameter {@code name} of a checkpoint folder with NaN. */
    static void poison(Path checkpoint, String name, int n) throws IOException {
        JsonNode index = new ObjectMapper().readTree(checkpoint.resolve("checkpoint.json").toFile());
        Path file = null;
        for (JsonNode e : index.path("parameters")) {
            if (e.path("name").asText().equals(name)) {
                file = checkpoint.resolve(e.path("file").asText());
            }
        }
        assertThat(file).as("parameter " + name + " in " + checkpoint).isNotNull();
        long offset;
        try (MappedNpy npy = new MappedNpy(file)) {
            offset = npy.header().headerBytes();
            assertThat(npy.header().count()).isGreaterThan(n);
        }
        ByteBuffer nan = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            nan.putFloat(Float.NaN);
        }
        nan.flip();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(nan, offset);
        }
    }

    static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return to;
    }

    private static String expectedMessage() {
        return bad.resolve("checkpoint-0").toAbsolutePath().normalize() + ": parameter '" + TENSOR + "' has "
                + POISONED + " non-finite values (NaN) of ";
    }

    private static CliTest.Result eval(String protocol, Path checkpoint, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("eval", protocol, "--checkpoint", checkpoint.toString(),
                "--data", data.toString(), "--out", out.toString(), "-j", "2"));
        a.addAll(List.of(extra));
        return CliTest.run(a.toArray(String[]::new));
    }

    @Test
    void evalLinearRefusesTheCheckpointAndWritesNothing(@TempDir Path dir) {
        Path out = dir.resolve("probe");
        CliTest.Result r = eval("linear", bad, out, "--epochs", "1", "--set", "linear_probe.batch_size=8",
                "--set", "linear_probe.feature_views=1");
        assertThat(r.code()).as(r.out()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: " + expectedMessage()).contains("the checkpoint is unusable");
        assertThat(out).doesNotExist();
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).as("no temporary folder left behind either").isEmpty();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void evalKnnRefusesTheCheckpointButTheCleanOneStillEvaluates(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("knn");
        CliTest.Result r = eval("knn", bad, out);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: " + expectedMessage());
        assertThat(out).doesNotExist();

        Path clean = dir.resolve("knn-clean");
        CliTest.Result ok = eval("knn", good, clean);
        assertThat(ok.code()).as(ok.err()).isZero();
        JsonNode m = new ObjectMapper().readTree(clean.resolve("metrics.json").toFile());
        assertThat(m.path("top1").asDouble()).isBetween(0.0, 100.0);
    }

    @Test
    void fineTuningRefusesTheCheckpoint(@TempDir Path dir) {
        Path out = dir.resolve("ft");
        CliTest.Result r = eval("finetune", bad, out, "--epochs", "1", "--set", "finetune.batch_size=16");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: " + expectedMessage());
        assertThat(out).doesNotExist();
    }

    @Test
    void theEmbeddingApiRefusesTheCheckpoint() {
        assertThatThrownBy(() -> Embedder.load(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(expectedMessage());
    }

    @Test
    void resumingFromItFailsAndLeavesTheRunAsItWas(@TempDir Path dir) throws IOException {
        Path run = copy(bad, dir.resolve("run"));
        List<String> metricsBefore = Files.readAllLines(run.resolve("metrics.csv"));
        CliTest.Result r = CliTest.run("pretrain", "--out", run.toString(), "--resume", "-j", "2");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: " + run.resolve("checkpoint-0").toAbsolutePath().normalize()
                + ": parameter '" + TENSOR + "' has " + POISONED + " non-finite values (NaN)");
        assertThat(run.resolve("checkpoint-1")).doesNotExist();
        assertThat(Files.readAllLines(run.resolve("metrics.csv"))).isEqualTo(metricsBefore);
    }
}
