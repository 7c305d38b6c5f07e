package io.skeletonssl.cli;

import io.skeletonssl.dataset.SkeletonDataset;
import io.skeletonssl.testutil.SharedData;
import io.skeletonssl.util.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line end to end: exit codes, one-line errors, real conversions. */
class CliTest {

    record Result(int code, String out, String err) {
    }

    @BeforeAll
    static void quiet() {
        Progress.setEnabled(false);
    }

    static synchronized Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void helpListsTheCommands() {
        Result r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("synth", "prepare", "info", "render", "bench");
        for (String cmd : new String[]{"synth", "prepare", "info", "render", "bench"}) {
            Result h = run(cmd, "--help");
            assertThat(h.code()).as(cmd + " --help").isZero();
            assertThat(h.out()).contains("Usage:");
        }
    }

    @Test
    void failuresExitNonZeroWithOneLineReason(@TempDir Path dir) throws Exception {
        Result missing = run("info", dir.resolve("nope").toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err().strip()).startsWith("error: ").contains("nope").doesNotContain("\n")
                .doesNotContain("Exception");
        Path in = Files.createDirectories(dir.resolve("in")); // beside the output: -o inside -i is refused
        Result badFormat = run("prepare", "-f", "kinect", "-i", in.toString(), "-o", dir.resolve("o").toString());
        assertThat(badFormat.code()).isEqualTo(2);
        assertThat(badFormat.err()).contains("unknown format 'kinect'");
        Result noProtocol = run("prepare", "-f", "ntu-raw", "-i", in.toString(), "-o", dir.resolve("o").toString());
        assertThat(noProtocol.code()).isEqualTo(1);
        assertThat(noProtocol.err()).contains("ntu-raw needs --protocol");
        Result badProtocol = run("prepare", "-f", "ntu-raw", "-i", in.toString(), "-o", dir.resolve("o").toString(),
                "--protocol", "ntu60-xsetup");
        assertThat(badProtocol.err()).contains("unknown protocol 'ntu60-xsetup'");
        assertThat(dir.resolve("o")).doesNotExist();
    }

    @Test
    void prepareNtuRawBothPipelinesAndInfo(@TempDir Path dir) throws Exception {
        Path input = SharedData.require("ntu-raw-samples");
        for (String pipeline : new String[]{"mamp", "pcm3"}) {
            Path out = dir.resolve(pipeline);
            Result r = run("prepare", "-f", "ntu-raw", "-i", input.toString(), "-o", out.toString(),
                    "--pipeline", pipeline, "--protocol", "ntu60-xsub", "-j", "2");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("5 samples written, 0 skipped");
            try (SkeletonDataset ds = SkeletonDataset.open(out)) {
                assertThat(ds.clips("train").size()).isEqualTo(3);
                assertThat(ds.clips("test").size()).isEqualTo(2);
                assertThat(ds.manifest().maxFrames()).isEqualTo(300);
            }
            Result info = run("info", out.toString());
            assertThat(info.code()).isZero();
            assertThat(info.out()).contains("(3, 3, 300, 25, 2)", "57 handshaking=1", "skipped   0");
        }
        Result again = run("prepare", "-f", "ntu-raw", "-i", input.toString(), "-o", dir.resolve("mamp").toString(),
                "--protocol", "ntu60-xsub");
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("already exists (use --force");
    }

    @Test
    void prepareMsrAndUtkinect(@TempDir Path dir) throws Exception {
        Path msr = SharedData.require("msr-action3d");
        Result r = run("prepare", "-f", "msr-action3d", "-i", msr.toString(), "-o", dir.resolve("msr").toString());
        assertThat(r.code()).as(r.err()).isZero();
        try (SkeletonDataset ds = SkeletonDataset.open(dir.resolve("msr"))) {
            assertThat(ds.clips("train").size() + ds.clips("test").size()).isEqualTo(557);
            assertThat(ds.clips("train").joints()).isEqualTo(20);
            assertThat(ds.clips("train").persons()).isEqualTo(1);
        }
        Path utk = SharedData.require("utkinect");
        Result u = run("prepare", "-f", "utkinect", "-i", utk.toString(), "-o", dir.resolve("utk").toString(),
                "--mode", "both");
        assertThat(u.code()).as(u.err()).isZero();
        assertThat(u.out()).contains("skipped s10_e02_carry");
        try (SkeletonDataset ds = SkeletonDataset.open(dir.resolve("utk"))) {
            assertThat(ds.splitNames()).containsExactly("train", "test", "train_streams", "test_streams");
            assertThat(ds.clips("train").size() + ds.clips("test").size()).isEqualTo(199);
            assertThat(ds.streams("train_streams").size() + ds.streams("test_streams").size()).isEqualTo(20);
        }
        Result info = run("info", "--json", dir.resolve("utk").toString());
        assertThat(info.out()).contains("\"formatVersion\" : 1");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("msr", "utk");
        }
    }

    @Test
    void prepareNpzWrittenByNumpy(@TempDir Path dir) throws Exception {
        Path npz = Path.of(CliTest.class.getResource("/io/skeletonssl/formats/arrays/numpy_savez.npz").toURI());
        Result r = run("prepare", "-f", "ntu-npz", "-i", npz.toString(), "-o", dir.resolve("npz").toString());
        assertThat(r.code()).as(r.err()).isZero();
        try (SkeletonDataset ds = SkeletonDataset.open(dir.resolve("npz"))) {
            assertThat(ds.splitNames()).containsExactly("train", "test");
            assertThat(ds.clips("train").size()).isEqualTo(3);
            assertThat(ds.clips("test").size()).isEqualTo(2);
            assertThat(ds.manifest().numClasses()).isEqualTo(4);
        }
        Result layout = run("prepare", "-f", "ntu-npz", "-i", npz.toString(), "-o", dir.resolve("x").toString(),
                "--layout", "msr20");
        assertThat(layout.code()).isEqualTo(1);
        assertThat(layout.err()).contains("150");
    }

    @Test
    void synthThenRenderGifAndPng(@TempDir Path dir) throws Exception {
        Path ds = dir.resolve("synth");
        Result r = run("synth", "--out", ds.toString(), "--preset", "small", "--classes", "6", "--seed", "3");
        assertThat(r.code()).as(r.err()).isZero();
        try (SkeletonDataset d = SkeletonDataset.open(ds)) {
            assertThat(d.manifest().numClasses()).isEqualTo(6);
            assertThat(d.clips("train").size() + d.clips("test").size()).isEqualTo(6 * 1 * 3 * 6);
            assertThat(d.clips("train").joints()).isEqualTo(25);
        }
        Path gif = dir.resolve("look/a.gif");
        Result g = run("render", ds.toString(), "--split", "test", "--index", "2", "--out", gif.toString(), "--size", "120");
        assertThat(g.code()).as(g.err()).isZero();
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(gif), 6);
        assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("GIF89a");
        Path png = dir.resolve("a.png");
        assertThat(run("render", ds.toString(), "--out", png.toString(), "--frames", "4", "--size", "100").code()).isZero();
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(4 * 100);
        Result bad = run("render", ds.toString(), "--index", "100000", "--out", dir.resolve("x.gif").toString());
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("--index 100000 outside");
        Result badExt = run("render", ds.toString(), "--out", dir.resolve("x.jpg").toString());
        assertThat(badExt.err()).contains(".gif or .png");
        assertThat(dir.resolve("x.gif")).doesNotExist();
    }

    @Test
    void benchDataRunsOnATinyConfiguration(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("bench.json");
        Result r = run("bench", "data", "--subjects", "1", "--ntu-copies", "2", "--epochs", "1", "--batch", "16",
                "--threads", "1", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        String json = Files.readString(out);
        assertThat(json).contains("synthetic_generation", "loader", "samples_per_s");
        io.skeletonssl.testutil.EnvironmentFacts.assertFacts(
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).path("environment"), "bench data");
        assertThat(r.out()).contains("machine: " + io.skeletonssl.engine.MachineInfo.current().summary());
    }

    @Test
    void benchTrainRunsPcm3PresetsAndRefusesAttentionForThem(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("bench-train.json");
        String[] tiny = {"--preset", "pcm3-small", "--batch", "4", "--warmup", "1", "--steps", "2",
                "--set", "model.hidden=16", "--set", "data.frames=16", "--set", "moco.queue=32",
                "--set", "masking.clips=2", "--set", "mixing.tem_min=1", "--set", "mixing.tem_max=3",
                "--set", "prompts.width=4"};
        Result r = run(concat(new String[]{"bench", "train", "--out", out.toString()}, tiny));
        assertThat(r.code()).as(r.err()).isZero();
        var results = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toFile());
        assertThat(results.get("engine_threads").asInt()).isPositive();
        io.skeletonssl.testutil.EnvironmentFacts.assertFacts(results.path("environment"), "bench train");
        assertThat(results.has("attention")).as("MAMP-only key").isFalse();
        var runs = results.get("runs");
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).get("method").asText()).isEqualTo("pcm3");
        assertThat(runs.get(0).get("batch").asInt()).isEqualTo(4);
        assertThat(runs.get(0).get("seconds_per_step").asDouble()).isPositive();
        assertThat(runs.get(0).get("fraction_of_matmul").asDouble()).isPositive();
        assertThat(runs.get(0).get("root_arrays_trace")).hasSize(2);

        Result attention = run(concat(new String[]{"bench", "train", "--attention", "explicit"}, tiny));
        assertThat(attention.code()).isEqualTo(1);
        assertThat(attention.err()).startsWith("error: ").contains("MAMP presets only");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void modelInfoMatchesTheOfficialParameterCounts() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        Object[][] expected = {
                {"mamp-ntu60-xsub", 6_336_000L, 2_453_004L, 8_789_004L, 15_420L, 13_236_284L},
                {"mamp-ntu60-xview", 6_336_000L, 2_453_004L, 8_789_004L, 15_420L, 13_236_284L},
                {"mamp-ntu120-xsub", 6_336_000L, 4_032_524L, 10_368_524L, 30_840L, 13_359_224L},
                {"mamp-ntu120-xset", 6_336_000L, 4_032_524L, 10_368_524L, 30_840L, 13_359_224L},
                {"mamp-pku2", 6_336_000L, 4_032_524L, 10_368_524L, 13_107L, 13_217_843L},
        };
        for (Object[] e : expected) {
            Result r = run("model-info", "--preset", (String) e[0]);
            assertThat(r.code()).as(r.err()).isZero();
            var n = json.readTree(r.out());
            assertThat(n.get("encoder").asLong()).as(e[0] + " encoder").isEqualTo(e[1]);
            assertThat(n.get("decoder").asLong()).as(e[0] + " decoder").isEqualTo(e[2]);
            assertThat(n.get("total").asLong()).as(e[0] + " total").isEqualTo(e[3]);
            assertThat(n.get("heads").get("linear_probe").asLong()).as(e[0] + " probe head").isEqualTo(e[4]);
            assertThat(n.get("heads").get("finetune").asLong()).as(e[0] + " finetune head").isEqualTo(e[5]);
            assertThat(n.get("visible_tokens_per_person").asInt()).isEqualTo(74);
        }
        Result five = run("model-info", "--preset", "mamp-ntu60-xsub", "--set", "model.decoder_depth=5");
        assertThat(json.readTree(five.out()).get("decoder").asLong()).isEqualTo(4_032_524L);
        Result unknown = run("model-info", "--preset", "mamp-ntu61");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("mamp-ntu61");
    }

    @Test
    void modelInfoPrintsThePcm3CountsOfSpec312() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        Result r = run("model-info", "--preset", "pcm3-ntu60-xsub");
        assertThat(r.code()).as(r.err()).isZero();
        var n = json.readTree(r.out());
        assertThat(n.get("method").asText()).isEqualTo("pcm3");
        assertThat(n.get("gru_mode").asText()).isEqualTo("official");
        assertThat(n.get("gru").asLong()).isEqualTo(44_998_656L);
        assertThat(n.get("input_norm").asLong()).isEqualTo(300L);
        assertThat(n.get("encoder").asLong()).isEqualTo(49_457_580L);
        assertThat(n.get("decoder_linear").asLong()).isEqualTo(1_312_768L);
        assertThat(n.get("decoder").asLong()).isEqualTo(3_228_822L);
        assertThat(n.get("prompts").asLong()).isEqualTo(1_112L);
        assertThat(n.get("pretrain_total").asLong()).isEqualTo(54_000_282L);
        assertThat(n.get("linear_model").asLong()).isEqualTo(45_121_896L);
        assertThat(n.get("linear_head").asLong()).isEqualTo(2048L * 60 + 60);
        Result none = run("model-info", "--preset", "pcm3-ntu60-xsub", "--set", "prompts.mode=none");
        assertThat(n.get("prompt_mode").asText()).isEqualTo("official");
        assertThat(json.readTree(none.out()).get("prompt_mode").asText()).isEqualTo("none");
        assertThat(json.readTree(none.out()).get("pretrain_total").asLong()).isEqualTo(54_000_282L - 1_112L);
        Result bad = run("model-info", "--preset", "pcm3-ntu60-xsub", "--set", "model.gru_mode=sideways");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("sideways").contains("bidirectional");
    }
}
