package io.skeletonssl.training;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skeletonssl.engine.Engines;
import io.skeletonssl.io.MappedNpy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.skeletonssl.training.OptimizerTest.backward;
import static io.skeletonssl.training.OptimizerTest.param;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunDirectoryTest {

    @TempDir
    Path tmp;
    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = Engines.cpu().newManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private PairList<String, Parameter> model(float offset, long rows) {
        PairList<String, Parameter> p = new PairList<>();
        float[] w = new float[(int) rows * 3];
        for (int i = 0; i < w.length; i++) {
            w[i] = offset + i * 0.25f;
        }
        p.add("encoder.blocks.0.attn.qkv.weight", param(manager, "w", manager.create(w, new Shape(rows, 3))));
        p.add("encoder.blocks.0.attn.qkv.bias", param(manager, "b", manager.create(new float[] {offset, -offset}, new Shape(2))));
        p.add("mask_token", param(manager, "t", manager.create(new float[] {offset * 2, 1, 2, 3}, new Shape(1, 1, 4))));
        return p;
    }

    @Test
    void configRoundTripsAsYaml() throws IOException {
        RunDirectory run = RunDirectory.open(tmp.resolve("run"));
        JsonNode cfg = new ObjectMapper().readTree("{\"model\":{\"dim\":256,\"betas\":[0.9,0.95]},\"name\":\"x\"}");
        run.writeConfig(cfg);
        assertThat(Files.readString(run.root().resolve("config.yaml"))).contains("dim: 256");
        assertThat(run.readConfig()).isEqualTo(cfg);
    }

    @Test
    void metricsCsvAppendsAcrossReopenAndTruncatesOnResume() throws IOException {
        RunDirectory run = RunDirectory.open(tmp.resolve("run"));
        for (int e = 0; e < 3; e++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("epoch", e);
            row.put("loss", 1.0 / (e + 1));
            row.put("lr", 1e-3);
            run.appendMetrics(row);
        }
        RunDirectory again = RunDirectory.open(tmp.resolve("run"));
        again.appendMetrics(Map.of("lr", 5e-4, "loss", 0.2, "epoch", 3)); // other key order: header order wins
        List<Map<String, String>> rows = again.readMetrics();
        assertThat(rows).hasSize(4);
        assertThat(rows.get(3)).containsEntry("epoch", "3").containsEntry("loss", "0.2").containsEntry("lr", "5.0E-4");
        assertThat(Files.readAllLines(run.root().resolve("metrics.csv")).get(0)).isEqualTo("epoch,loss,lr");
        assertThatThrownBy(() -> again.appendMetrics(Map.of("epoch", 4, "acc", 1)))
                .hasMessageContaining("metrics.csv").hasMessageContaining("acc");
        again.truncateMetricsAfter(1);
        assertThat(again.readMetrics()).extracting(r -> r.get("epoch")).containsExactly("0", "1");
    }

    @Test
    void metricsJsonIsWritten() throws IOException {
        RunDirectory run = RunDirectory.open(tmp.resolve("run"));
        run.writeMetricsJson(Map.of("final_top1", 0.5));
        run.writeMetricsJson(Map.of("final_top1", 0.75));
        assertThat(new ObjectMapper().readTree(run.root().resolve("metrics.json").toFile()).get("final_top1").asDouble())
                .isEqualTo(0.75);
        try (var s = Files.list(run.root())) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("metrics.json");
        }
    }

    @Test
    void checkpointRoundTripWithOptimizerAndNpyFiles() throws IOException {
        RunDirectory run = RunDirectory.open(tmp.resolve("run"));
        PairList<String, Parameter> saved = model(1f, 4);
        JsonNode cfg = new ObjectMapper().readTree("{\"lr\":0.001}");
        try (AdamW opt = AdamW.mamp(saved, WeightDecayGroups.timm(saved, 0.05, Set.of()))) {
            backward(saved, 0.5);
            opt.step(0.01);
            Checkpoint c = run.saveCheckpoint(0, 17, 42, saved, opt, cfg, Map.of("rng", "abc"), 20, 400);
            assertThat(c.epoch()).isZero();
            assertThat(c.globalStep()).isEqualTo(17);
            assertThat(c.seed()).isEqualTo(42);
            assertThat(c.config()).isEqualTo(cfg);
            assertThat(c.extra().get("rng").asText()).isEqualTo("abc");
            assertThat(c.parameterShapes().get("encoder.blocks.0.attn.qkv.weight")).containsExactly(4, 3);
            // human-inspectable: a plain npy per tensor
            try (var files = Files.list(c.dir().resolve("params"))) {
                Path qkv = files.filter(f -> f.toString().endsWith("qkv.weight.npy")).findFirst().orElseThrow();
                try (MappedNpy npy = new MappedNpy(qkv)) {
                    assertThat(npy.header().shape()).containsExactly(4, 3);
                    float[] live = saved.get(0).getValue().getArray().toFloatArray(); // after one AdamW step
                    assertThat(npy.readFloats(1)).containsExactly(live[3], live[4], live[5]);
                    assertThat(live[3]).isNotEqualTo(1.75f);
                }
            }

            PairList<String, Parameter> fresh = model(-7f, 4);
            Checkpoint latest = run.requireLatest();
            assertThat(latest.loadInto(fresh, false)).isEmpty();
            for (int i = 0; i < saved.size(); i++) {
                assertThat(fresh.get(i).getValue().getArray().toFloatArray())
                        .containsExactly(saved.get(i).getValue().getArray().toFloatArray());
            }
            try (AdamW restored = AdamW.mamp(fresh, WeightDecayGroups.timm(fresh, 0.05, Set.of()))) {
                latest.restoreOptimizer(restored);
                assertThat(restored.steps()).isEqualTo(1);
                assertThat(restored.stateArrays().keySet()).isEqualTo(opt.stateArrays().keySet());
                for (String k : opt.stateArrays().keySet()) {
                    assertThat(restored.stateArrays().get(k).toFloatArray()).containsExactly(opt.stateArrays().get(k).toFloatArray());
                }
                try (Sgd wrong = new Sgd(fresh, WeightDecayGroups.uniform(fresh, 0), 0.9)) {
                    assertThatThrownBy(() -> latest.restoreOptimizer(wrong)).hasMessageContaining("AdamW").hasMessageContaining("Sgd");
                }
            }
        }
    }

    @Test
    void loadErrorsNameTheParameter() throws IOException {
        RunDirectory run = RunDirectory.open(tmp.resolve("run"));
        Checkpoint c = run.saveCheckpoint(3, 1, 0, model(1f, 4), null, null, null, 0, 10);
        assertThatThrownBy(() -> c.loadInto(model(0f, 5), false))
                .hasMessageContaining("checkpoint " + c.dir())
                .hasMessageContaining("parameter encoder.blocks.0.attn.qkv.weight has shape (4, 3), model expects (5, 3)");
        PairList<String, Parameter> fewer = model(0f, 4);
        fewer.remove("mask_token");
        assertThatThrownBy(() -> c.loadInto(fewer, false)).hasMessageContaining("unexpected parameter(s) [mask_token]");
        assertThat(c.loadInto(fewer, true)).containsExactly("mask_token");
        PairList<String, Parameter> more = model(0f, 4);
        more.add("head.weight", param(manager, "h", manager.create(new float[] {1}, new Shape(1))));
        assertThatThrownBy(() -> c.loadInto(more, true)).hasMessageContaining("missing parameter(s) [head.weight]");
        assertThatThrownBy(() -> c.restoreOptimizer(AdamW.mamp(more, WeightDecayGroups.uniform(more, 0))))
                .hasMessageContaining("no optimizer state");
    }

    @Test
    void nonFiniteWeightsAreRefusedNamingTheParameterAndTheModelIsLeftAsItWas() throws IOException {
        RunDirectory run = RunDirectory.open(tmp.resolve("run"));
        PairList<String, Parameter> poisoned = model(1f, 4);
        float[] w = poisoned.get(0).getValue().getArray().toFloatArray();
        w[2] = Float.NaN;
        w[7] = Float.NaN;
        w[11] = Float.POSITIVE_INFINITY;
        poisoned.get(0).getValue().getArray().set(w);
        float[] bias = {Float.NEGATIVE_INFINITY, 0f};
        poisoned.get(1).getValue().getArray().set(bias);
        Checkpoint c = run.saveCheckpoint(4, 1, 0, poisoned, null, null, null, 0, 10);

        PairList<String, Parameter> fresh = model(-7f, 4);
        float[][] before = new float[fresh.size()][];
        for (int i = 0; i < fresh.size(); i++) {
            before[i] = fresh.get(i).getValue().getArray().toFloatArray();
        }
        // the first bad tensor in model order is named, with its counts and the checkpoint folder
        assertThatThrownBy(() -> c.loadInto(fresh, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(c.dir() + ": parameter 'encoder.blocks.0.attn.qkv.weight' has 3 non-finite values"
                        + " (2 NaN, 1 +Inf) of 12; the checkpoint is unusable");
        // nothing was copied: not even the tensors before the bad one
        for (int i = 0; i < fresh.size(); i++) {
            assertThat(fresh.get(i).getValue().getArray().toFloatArray()).containsExactly(before[i]);
        }
        // a model that does not load the bad weight is told about the next one
        PairList<String, Parameter> noWeight = model(0f, 4);
        noWeight.remove("encoder.blocks.0.attn.qkv.weight");
        assertThatThrownBy(() -> c.loadInto(noWeight, true))
                .hasMessage(c.dir() + ": parameter 'encoder.blocks.0.attn.qkv.bias' has 1 non-finite value (-Inf)"
                        + " of 2; the checkpoint is unusable");
        // and one that loads only finite tensors is fine
        PairList<String, Parameter> onlyMask = new PairList<>();
        onlyMask.add("mask_token", model(0f, 4).get(2).getValue());
        c.loadInto(onlyMask, true);
        assertThat(onlyMask.get(0).getValue().getArray().toFloatArray()).containsExactly(2f, 1f, 2f, 3f);
    }

    @Test
    void nonFiniteOptimizerStateIsRefusedOnResume() throws IOException {
        RunDirectory run = RunDirectory.open(tmp.resolve("run"));
        PairList<String, Parameter> saved = model(1f, 4);
        try (AdamW opt = AdamW.mamp(saved, WeightDecayGroups.timm(saved, 0.05, Set.of()))) {
            backward(saved, Double.POSITIVE_INFINITY); // infinite gradients: the moments become non-finite
            opt.step(0.0);
            saved = model(1f, 4); // finite weights; only the optimizer state is bad
            Checkpoint c = run.saveCheckpoint(0, 1, 0, saved, opt, null, null, 0, 10);
            PairList<String, Parameter> fresh = model(0f, 4);
            c.loadInto(fresh, false);
            try (AdamW restored = AdamW.mamp(fresh, WeightDecayGroups.timm(fresh, 0.05, Set.of()))) {
                assertThatThrownBy(() -> c.restoreOptimizer(restored))
                        .hasMessageStartingWith(c.dir() + ": optimizer state '")
                        .hasMessageContaining("non-finite value")
                        .hasMessageEndingWith("; the checkpoint is unusable");
                assertThat(restored.steps()).isZero();
            }
        }
    }

    @Test
    void latestSkipsIncompleteFoldersAndRetentionKeepsEveryNth() throws IOException {
        RunDirectory run = RunDirectory.open(tmp.resolve("run"));
        assertThat(run.latest()).isEmpty();
        assertThatThrownBy(run::requireLatest).hasMessageContaining("no complete checkpoint");
        for (int e = 0; e < 6; e++) {
            run.saveCheckpoint(e, e * 10L, 0, model(e, 2), null, null, null, 2, 6);
        }
        // kept: epochs % 2 == 0, the final epoch 5, and the newest
        assertThat(run.checkpointEpochs()).containsExactly(0, 2, 4, 5);
        assertThat(run.requireLatest().epoch()).isEqualTo(5);
        // a save killed half-way leaves only a hidden partial folder or a folder without index
        Files.createDirectories(run.root().resolve(".checkpoint-6.partial-1234/params"));
        Files.createDirectories(run.root().resolve("checkpoint-7/params"));
        assertThat(run.requireLatest().epoch()).isEqualTo(5);
        // a stale 'last' pointer (older than what exists) loses to the newest complete folder
        Files.writeString(run.root().resolve("last"), "checkpoint-2\n");
        assertThat(run.requireLatest().epoch()).isEqualTo(5);
        Files.delete(run.root().resolve("last"));
        assertThat(run.requireLatest().epoch()).isEqualTo(5);
        assertThat(run.requireLatest().parameterShapes()).containsOnlyKeys(
                "encoder.blocks.0.attn.qkv.weight", "encoder.blocks.0.attn.qkv.bias", "mask_token");
    }

    @Test
    void corruptIndexIsAClearError() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("checkpoint-1"));
        Files.writeString(dir.resolve("checkpoint.json"), "{\"format\":\"other\"}");
        assertThatThrownBy(() -> Checkpoint.open(dir)).hasMessageContaining("checkpoint.json").hasMessageContaining("format");
        Files.writeString(dir.resolve("checkpoint.json"), "{not json");
        assertThatThrownBy(() -> Checkpoint.open(dir)).hasMessageContaining("unreadable");
    }

    @Test
    void diskFullWhileAppendingMetricsNamesTheFile() throws IOException {
        Path full = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(full), "no /dev/full on this system");
        RunDirectory run = RunDirectory.open(tmp.resolve("run"));
        // every write to /dev/full fails with ENOSPC, as on a full disk
        Files.createSymbolicLink(run.root().resolve(RunDirectory.METRICS_CSV), full);
        assertThatThrownBy(() -> run.appendMetrics(Map.of("epoch", 0, "loss", 1.5)))
                .isInstanceOf(IOException.class)
                .hasMessage("writing a metrics row to " + run.root().resolve(RunDirectory.METRICS_CSV)
                        + ": No space left on device");
    }

    @Test
    void checkpointWriteErrorsNameTheEpochAndTheTargetPath() throws IOException {
        RunDirectory run = RunDirectory.open(tmp.resolve("run"));
        Path target = run.checkpointDir(3);
        try (io.skeletonssl.io.AtomicDirectory d = io.skeletonssl.io.AtomicDirectory.create(target, true)) {
            IOException e = Checkpoint.failure(3, d.temp().resolve("params/0001-w.npy"),
                    new IOException("No space left on device"));
            assertThat(e).hasMessage("writing checkpoint of epoch 3 to " + target.resolve("params/0001-w.npy")
                    + ": No space left on device").hasCauseInstanceOf(IOException.class);
            assertThat(e.getMessage()).doesNotContain(".partial-");
        }
        // a run "folder" that is a file: the message names the checkpoint folder the user will look for
        Path file = Files.writeString(tmp.resolve("not-a-folder"), "x");
        assertThatThrownBy(() -> Checkpoint.write(file.resolve("checkpoint-0"), 0, 0, 0, model(0, 2), null, null, null))
                .hasMessage("cannot create output folder " + file.resolve("checkpoint-0") + ": " + file
                        + " is a file, not a folder");
    }
}
