package io.skeletonssl.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.engine.Engines;
import io.skeletonssl.eval.TestScores;
import io.skeletonssl.methods.pcm3.Pcm3RunFixture;
import io.skeletonssl.testutil.EnvironmentFacts;
import io.skeletonssl.training.RunDirectory;
import io.skeletonssl.util.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code eval occlusion} and {@code eval ensemble} end to end from the command line, for MAMP (tiny
 * one-epoch pretraining runs on the joint, bone and motion streams, and random init) and PCM3
 * (tiny run folders on the three streams, and random init), on a tiny synthetic dataset.
 */
class EvalOcclusionEnsembleCommandTest {

    /** A tiny MAMP, probe batch 12, two precomputed feature views. */
    static final List<String> MAMP_TINY = List.of("model.dim=16", "model.depth=1", "model.heads=2", "model.decoder_dim=16",
            "model.decoder_depth=1", "model.decoder_heads=2", "linear_probe.batch_size=12", "linear_probe.feature_views=2");

    @TempDir
    static Path shared;
    static Path data;
    static final Map<String, Path> MAMP = new LinkedHashMap<>();
    static final Map<String, Path> PCM3 = new LinkedHashMap<>();

    @BeforeAll
    static void setUp() throws Exception {
        Progress.setEnabled(false);
        data = shared.resolve("synth");
        CliTest.Result s = CliTest.run("synth", "--out", data.toString(), "--preset", "small", "--classes", "3", "-j", "2");
        assertThat(s.code()).as(s.err()).isZero();
        for (String stream : List.of("joint", "bone", "motion")) {
            Path out = shared.resolve("mamp-" + stream);
            List<String> a = new ArrayList<>(List.of("pretrain", "--method", "mamp", "--preset", "mamp-small", "--data",
                    data.toString(), "--out", out.toString(), "--epochs", "1", "-j", "2", "--stream", stream,
                    "--set", "pretrain.batch_size=12", "--set", "pretrain.warmup_epochs=0"));
            MAMP_TINY.subList(0, 6).forEach(x -> a.addAll(List.of("--set", x)));
            CliTest.Result r = CliTest.run(a.toArray(String[]::new));
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(RunDirectory.open(out).readConfig().path("pretrain").path("stream").asText()).isEqualTo(stream);
            MAMP.put(stream, out);
        }
        try (NDManager m = Engines.cpu().newManager()) {
            for (String stream : List.of("joint", "bone", "motion")) {
                ObjectNode tree = Pcm3RunFixture.tinyTree("pretrain.stream=" + stream, "linear_probe.feature_views=2");
                PCM3.put(stream, Pcm3RunFixture.writeRun(shared.resolve("pcm3-" + stream), tree, data,
                        Pcm3RunFixture.trainedLike(tree, m, 3), 1, m));
            }
        }
    }

    private static CliTest.Result cli(List<String> args, String... extra) {
        List<String> a = new ArrayList<>(args);
        a.addAll(List.of(extra));
        return CliTest.run(a.toArray(String[]::new));
    }

    /** {@code eval <protocol>} of {@code checkpoint} (a run, or random init of {@code method}) on the tiny data. */
    private static List<String> eval(String protocol, String method, String checkpoint, Path out) {
        List<String> a = new ArrayList<>(List.of("eval", protocol, "--checkpoint", checkpoint, "--data", data.toString(),
                "--out", out.toString(), "-j", "2", "--epochs", "3"));
        if (checkpoint.equals("random")) {
            a.addAll(List.of("--preset", method + "-small"));
            (method.equals("mamp") ? MAMP_TINY : Pcm3RunFixture.TINY).forEach(s -> a.addAll(List.of("--set", s)));
            a.addAll(List.of("--set", "linear_probe.feature_views=2"));
        } else if (method.equals("mamp")) {
            a.addAll(List.of("--set", "linear_probe.batch_size=12", "--set", "linear_probe.feature_views=2"));
        }
        return a;
    }

    private static JsonNode metrics(Path out) throws Exception {
        EnvironmentFacts.assertIn(out.resolve("metrics.json"));
        return new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    }

    /** Loss and train accuracy per epoch: what the head's training saw. */
    private static List<String> training(Path folder) throws Exception {
        return RunDirectory.open(folder).readMetrics().stream().map(r -> r.get("loss") + "/" + r.get("train_top1")).toList();
    }

    /** Checks one kind's folder and numbers against the summary. */
    private static void checkKind(Path out, String kind, String train) throws Exception {
        JsonNode m = metrics(out);
        JsonNode k = m.path("kinds").path(kind);
        JsonNode sub = metrics(out.resolve(kind));
        assertThat(sub.path("protocol").asText()).isEqualTo("occlusion");
        assertThat(sub.path("occlusion").asText()).isEqualTo(kind);
        assertThat(sub.path("occlusion_train").asText()).isEqualTo(train);
        assertThat(k.path("final_top1").asDouble()).isEqualTo(sub.path("final_top1").asDouble());
        assertThat(k.path("clean_final_top1").asDouble()).isEqualTo(metrics(out.resolve("clean")).path("final_top1").asDouble());
        assertThat(k.path("drop_top1").asDouble()).isCloseTo(
                k.path("clean_final_top1").asDouble() - k.path("final_top1").asDouble(), within(1e-9));
        assertThat(RunDirectory.open(out.resolve(kind)).readMetrics()).hasSize(3);
        // the saved scores are the final epoch's: their accuracy is the headline
        TestScores scores = TestScores.read(out.resolve(kind));
        assertThat(scores.size()).isEqualTo(18);
        assertThat(scores.top1()).isCloseTo(sub.path("final_top1").asDouble(), within(1e-9));
        assertThat(scores.names()).isEqualTo(TestScores.read(out.resolve("clean")).names());
    }

    @Test
    void mampOcclusionBothKindsTrainedOccludedWithValidationAndTrainedClean(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("occ");
        CliTest.Result r = cli(eval("occlusion", "mamp", MAMP.get("joint").toString(), out), "--val-fraction", "0.25");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("occlusion (train occluded, test occluded", "spatial", "temporal");
        JsonNode m = metrics(out);
        assertThat(m.path("protocol").asText()).isEqualTo("occlusion");
        assertThat(m.path("method").asText()).isEqualTo("mamp");
        assertThat(m.path("code_version").asText()).isNotEmpty();
        assertThat(m.path("dataset").asText()).isEqualTo(data.toAbsolutePath().normalize().toString());
        assertThat(m.path("occlusion_train").asText()).isEqualTo("occluded");
        checkKind(out, "spatial", "occluded");
        checkKind(out, "temporal", "occluded");
        JsonNode clean = metrics(out.resolve("clean"));
        assertThat(clean.path("protocol").asText()).isEqualTo("linear");
        // 36 train clips, 25% of each of the 3 classes held out: 9 validation, 27 training
        assertThat(clean.path("val_clips").asInt()).isEqualTo(9);
        assertThat(clean.path("train_clips").asInt()).isEqualTo(27);
        int e = clean.path("val_selected_epoch").asInt();
        assertThat(clean.path("val_selected_test_top1").asDouble()).isEqualTo(
                Double.parseDouble(RunDirectory.open(out.resolve("clean")).readMetrics().get(e).get("test_top1")));
        assertThat(m.path("kinds").path("spatial").has("val_selected_test_top1")).isTrue();
        assertThat(RunDirectory.open(out).readMetrics()).extracting(row -> row.get("condition"))
                .containsExactly("clean", "spatial", "temporal");
        JsonNode cfg = RunDirectory.open(out).readConfig();
        assertThat(cfg.path("occlusion").path("train").asText()).isEqualTo("occluded");
        // trained occluded: the head saw other features than the clean head
        assertThat(training(out.resolve("spatial"))).isNotEqualTo(training(out.resolve("clean")));

        // RA-GCN's variant on the bone run: the head is trained exactly as the clean one, only the test differs
        Path ra = dir.resolve("ra");
        CliTest.Result c = cli(eval("occlusion", "mamp", MAMP.get("bone").toString(), ra), "--train", "clean", "--kind",
                "temporal");
        assertThat(c.code()).as(c.err()).isZero();
        checkKind(ra, "temporal", "clean");
        assertThat(ra.resolve("spatial")).doesNotExist();
        assertThat(training(ra.resolve("temporal"))).isEqualTo(training(ra.resolve("clean")));
        assertThat(RunDirectory.open(ra).readConfig().path("pretrain").path("stream").asText()).isEqualTo("bone");

        // a random-init MAMP too; a fixed mask seed gives the same occluded test clips, so the same numbers
        Path rnd = dir.resolve("rnd");
        assertThat(cli(eval("occlusion", "mamp", "random", rnd), "--kind", "spatial").code()).isZero();
        Path again = dir.resolve("again");
        assertThat(cli(eval("occlusion", "mamp", "random", again), "--kind", "spatial").code()).isZero();
        assertThat(TestScores.read(again.resolve("spatial")).scores()).isEqualTo(TestScores.read(rnd.resolve("spatial")).scores());
        Path other = dir.resolve("other");
        assertThat(cli(eval("occlusion", "mamp", "random", other), "--kind", "spatial", "--mask-seed", "5").code()).isZero();
        assertThat(TestScores.read(other.resolve("spatial")).scores()).isNotEqualTo(TestScores.read(rnd.resolve("spatial")).scores());

        CliTest.Result bad = cli(eval("occlusion", "mamp", "random", dir.resolve("bad")), "--kind", "diagonal");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).startsWith("error: ").contains("--kind must be spatial, temporal or both");
        assertThat(dir.resolve("bad")).doesNotExist();
    }

    @Test
    void pcm3OcclusionOfARunAndOfRandomInit(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("occ");
        CliTest.Result r = cli(eval("occlusion", "pcm3", PCM3.get("motion").toString(), out));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(metrics(out).path("method").asText()).isEqualTo("pcm3");
        checkKind(out, "spatial", "occluded");
        checkKind(out, "temporal", "occluded");
        assertThat(metrics(out.resolve("clean")).path("head").asText()).isEqualTo("Linear");

        Path rnd = dir.resolve("rnd");
        CliTest.Result c = cli(eval("occlusion", "pcm3", "random", rnd), "--train", "clean");
        assertThat(c.code()).as(c.err()).isZero();
        checkKind(rnd, "spatial", "clean");
        checkKind(rnd, "temporal", "clean");
        assertThat(training(rnd.resolve("spatial"))).isEqualTo(training(rnd.resolve("clean")));
    }

    @Test
    void mampEnsembleOfThreeStreamRunsThenOfTheirScoreFolders(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("ens");
        List<String> a = new ArrayList<>(List.of("eval", "ensemble", "--data", data.toString(), "--out", out.toString(),
                "-j", "2", "--epochs", "2", "--val-fraction", "0.2", "--set", "linear_probe.batch_size=12",
                "--set", "linear_probe.feature_views=2"));
        MAMP.values().forEach(p -> a.addAll(List.of("--checkpoint", p.toString())));
        CliTest.Result r = CliTest.run(a.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("ensemble (logits fusion", "joint", "bone", "motion", "fused");
        JsonNode m = metrics(out);
        assertThat(m.path("protocol").asText()).isEqualTo("ensemble");
        assertThat(m.path("member_protocol").asText()).isEqualTo("linear");
        assertThat(m.path("method").asText()).isEqualTo("mamp");
        assertThat(m.path("members")).hasSize(3);
        for (JsonNode member : m.path("members")) {
            String stream = member.path("name").asText();
            Path folder = out.resolve(stream);
            assertThat(RunDirectory.open(folder).readConfig().path("pretrain").path("stream").asText()).isEqualTo(stream);
            JsonNode mm = metrics(folder);
            assertThat(member.path("final_top1").asDouble()).isCloseTo(mm.path("final_top1").asDouble(), within(1e-9));
            assertThat(member.path("final_top5").asDouble()).isEqualTo(100.0); // 3 classes: top-3
            assertThat(mm.has("val_selected_test_top1")).isTrue();
        }
        assertThat(m.path("final_top1").asDouble()).isCloseTo(TestScores.read(out).top1(), within(1e-9));
        assertThat(RunDirectory.open(out).readMetrics()).extracting(row -> row.get("member"))
                .containsExactly("joint", "bone", "motion", "fused");

        // form (a): the member folders, weighted, softmax; the fusion is recomputed from their scores
        Path fused = dir.resolve("fused");
        CliTest.Result f = CliTest.run("eval", "ensemble", "--scores", out.resolve("joint").toString(), "--scores",
                out.resolve("motion").toString(), "--weights", "1,2", "--fuse", "softmax", "--out", fused.toString());
        assertThat(f.code()).as(f.err()).isZero();
        TestScores j = TestScores.read(out.resolve("joint"));
        TestScores mo = TestScores.read(out.resolve("motion"));
        TestScores s = TestScores.read(fused);
        float[] row = j.scores()[4];
        double z = 0;
        for (float v : row) {
            z += Math.exp(v);
        }
        float[] mrow = mo.scores()[4];
        double zm = 0;
        for (float v : mrow) {
            zm += Math.exp(v);
        }
        assertThat(s.scores()[4][1]).isCloseTo((float) (Math.exp(row[1]) / z + 2 * Math.exp(mrow[1]) / zm), within(1e-5f));
        assertThat(metrics(fused).path("members").get(1).path("weight").asDouble()).isEqualTo(2.0);
        assertThat(metrics(fused).path("fuse").asText()).isEqualTo("softmax");

        // scores of other clips: a clear error naming the folder
        Path trainScores = dir.resolve("on-train");
        assertThat(cli(eval("linear", "mamp", MAMP.get("joint").toString(), trainScores), "--test-split", "train").code())
                .isZero();
        CliTest.Result bad = CliTest.run("eval", "ensemble", "--scores", out.resolve("joint").toString(), "--scores",
                trainScores.toString(), "--out", dir.resolve("bad").toString());
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).startsWith("error: " + trainScores).contains("36 test clips, but");
        CliTest.Result weights = CliTest.run("eval", "ensemble", "--scores", out.resolve("joint").toString(), "--scores",
                out.resolve("bone").toString(), "--weights", "1,1,1", "--out", dir.resolve("w").toString());
        assertThat(weights.err()).startsWith("error: ").contains("--weights has 3 values for 2 members");
        Path noScores = Files.createDirectories(dir.resolve("no-scores"));
        CliTest.Result none = CliTest.run("eval", "ensemble", "--scores", noScores.toString(), "--scores",
                out.resolve("bone").toString(), "--out", dir.resolve("n").toString());
        assertThat(none.err()).startsWith("error: " + noScores).contains("no test_scores.npy");
        assertThat(dir.resolve("bad")).doesNotExist();
        assertThat(Files.exists(dir.resolve("w")) || Files.exists(dir.resolve("n"))).isFalse();
    }

    @Test
    void pcm3EnsembleOfThreeStreamRunsAndOfRandomInits(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("ens");
        List<String> a = new ArrayList<>(List.of("eval", "ensemble", "--data", data.toString(), "--out", out.toString(),
                "-j", "2", "--epochs", "2", "--weights", "1,1,0.5"));
        PCM3.values().forEach(p -> a.addAll(List.of("--checkpoint", p.toString())));
        CliTest.Result r = CliTest.run(a.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode m = metrics(out);
        assertThat(m.path("method").asText()).isEqualTo("pcm3");
        assertThat(m.path("members")).extracting(x -> x.path("name").asText()).containsExactly("joint", "bone", "motion");
        assertThat(m.path("members").get(2).path("weight").asDouble()).isEqualTo(0.5);
        assertThat(metrics(out.resolve("bone")).path("head").asText()).isEqualTo("Linear");

        // two random inits of the same stream: members named by position
        Path rnd = dir.resolve("rnd");
        List<String> b = new ArrayList<>(List.of("eval", "ensemble", "--data", data.toString(), "--out", rnd.toString(),
                "-j", "2", "--epochs", "2", "--checkpoint", "random", "--checkpoint", "random", "--preset", "pcm3-small"));
        Pcm3RunFixture.TINY.forEach(s -> b.addAll(List.of("--set", s)));
        b.addAll(List.of("--set", "linear_probe.feature_views=2"));
        CliTest.Result q = CliTest.run(b.toArray(String[]::new));
        assertThat(q.code()).as(q.err()).isZero();
        assertThat(rnd.resolve("1-joint/test_scores.npy")).exists();
        assertThat(rnd.resolve("2-joint/test_scores.npy")).exists();
        // same seed, same encoder: equal members, and the fusion of equal members ranks as each does
        assertThat(metrics(rnd).path("final_top1").asDouble()).isEqualTo(metrics(rnd.resolve("1-joint")).path("final_top1").asDouble());
    }
}
