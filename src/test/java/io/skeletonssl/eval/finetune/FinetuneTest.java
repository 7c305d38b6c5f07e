package io.skeletonssl.eval.finetune;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.engine.Engines;
import io.skeletonssl.eval.TestScores;
import io.skeletonssl.formats.Converter;
import io.skeletonssl.formats.Protocol;
import io.skeletonssl.methods.pcm3.Pcm3RunFixture;
import io.skeletonssl.models.mamp.MampModel;
import io.skeletonssl.models.mamp.MampPresets;
import io.skeletonssl.synth.SynthConfig;
import io.skeletonssl.synth.SyntheticSource;
import io.skeletonssl.training.ConfigTree;
import io.skeletonssl.training.RunDirectory;
import io.skeletonssl.util.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Fine-tuning end to end on a tiny synthetic dataset: MAMP and PCM3, pretrained, random and from scratch. */
class FinetuneTest {

    /** A tiny MAMP (one block of width 16) and a small head. */
    static final List<String> MAMP_TINY = List.of("model.dim=16", "model.depth=2", "model.heads=2", "model.decoder_dim=16",
            "model.decoder_depth=1", "model.decoder_heads=2", "finetune.batch_size=16", "finetune.head_hidden=16",
            "finetune.warmup_epochs=0");
    static final List<String> PCM3_TINY = tinyPcm3();

    @TempDir
    static Path shared;
    static Path data;
    static Path mampRun;
    static Path pcm3Run;

    private static List<String> tinyPcm3() {
        List<String> s = new ArrayList<>(Pcm3RunFixture.TINY);
        s.addAll(List.of("finetune.batch_size=16", "finetune.min_frames=8"));
        return s;
    }

    @BeforeAll
    static void setUp() throws Exception {
        Progress.setEnabled(false);
        data = shared.resolve("synth");
        // 4 classes × 10 subjects × 3 views: 72 train clips, 48 test clips
        new Converter(2).convert(new SyntheticSource(SynthConfig.small().withClasses(4).withSize(10, 1)),
                Protocol.NTU60_XSUB, data, "synthetic-test", Map.of("format", "synthetic"), false, false);
        ObjectNode mamp = ConfigTree.resolve("mamp-small", null, MAMP_TINY);
        mamp.with("data").put("path", data.toAbsolutePath().toString());
        mampRun = writeMampRun(shared.resolve("mamp-run"), mamp);
        ObjectNode pcm3 = Pcm3RunFixture.tinyTree("finetune.batch_size=16", "finetune.min_frames=8");
        try (NDManager m = Engines.cpu().newManager()) {
            pcm3Run = Pcm3RunFixture.writeRun(shared.resolve("pcm3-run"), pcm3, data,
                    Pcm3RunFixture.trainedLike(pcm3, m, 3), 4, m);
        }
    }

    /** A MAMP run folder with one checkpoint of seeded weights (standing in for pretraining). */
    static Path writeMampRun(Path dir, ObjectNode tree) throws Exception {
        try (NDManager m = Engines.cpu().newManager()) {
            MampModel model = new MampModel(MampPresets.fromTree(tree));
            model.initializeSeeded(m, 7);
            RunDirectory run = RunDirectory.open(dir);
            run.writeConfig(tree);
            run.saveCheckpoint(2, 30, 0, new PairList<String, Parameter>(model.namedParameters()), null, tree, Map.of(),
                    0, 3);
        }
        return dir;
    }

    static PrintStream quietLog() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    static Finetune.Options options(String checkpoint, String preset, List<String> sets, Path out, int epochs,
                                    boolean scratch, double val) {
        return new Finetune.Options(checkpoint, preset, sets, data, out, epochs, 0L, scratch, val, 2, null, null, false);
    }

    static JsonNode metrics(Path out) throws Exception {
        return new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    }

    @Test
    void mampPretrainedRunFinetunesAndWritesEverything(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("ft");
        Finetune.Result r = new Finetune(quietLog()).run(options(mampRun.toString(), null, List.of(), out, 2, false, 0));
        assertThat(r.trainClips()).isEqualTo(72);
        assertThat(r.testClips()).isEqualTo(48);
        assertThat(r.classes()).isEqualTo(4);
        JsonNode m = metrics(out);
        assertThat(m.path("protocol").asText()).isEqualTo("finetune");
        assertThat(m.path("method").asText()).isEqualTo("mamp");
        assertThat(m.path("encoder_source").asText()).contains("checkpoint-2");
        assertThat(m.path("final_top1").asDouble()).isEqualTo(r.finalTop1()).isBetween(0.0, 100.0);
        assertThat(m.path("best_top1").asDouble()).isGreaterThanOrEqualTo(r.finalTop1());
        assertThat(m.path("best_top1_note").asText()).startsWith("test-selected");
        assertThat(m.path("layer_decay").asDouble()).isEqualTo(0.8);
        assertThat(m.path("head_parameters").asLong()).isEqualTo(MampFinetuneHead.parameterCount(25, 16, 16, 4));
        assertThat(m.has("code_version") && m.has("dataset") && m.has("seed") && m.has("classes")).isTrue();
        assertThat(m.has("val_fraction")).isFalse();
        List<Map<String, String>> rows = RunDirectory.open(out).readMetrics();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).keySet()).containsExactly("epoch", "loss", "lr", "train_top1", "test_top1", "test_top5",
                "seconds");
        TestScores ts = TestScores.read(out);
        assertThat(ts.size()).isEqualTo(48);
        assertThat(ts.top1()).isEqualTo(r.finalTop1());
        assertThat(RunDirectory.open(out).readConfig().path("finetune").path("epochs").asInt()).isEqualTo(2);
    }

    @Test
    void fromScratchAndValidationHoldOut(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("scratch");
        Finetune.Result r = new Finetune(quietLog()).run(options(mampRun.toString(), null, List.of(), out, 2, true, 0.25));
        JsonNode m = metrics(out);
        assertThat(m.path("from_scratch").asBoolean()).isTrue();
        assertThat(m.path("layer_decay").asDouble()).isEqualTo(1.0);
        assertThat(m.path("encoder_source").asText()).startsWith("random init");
        // stratified 25 % of 72 clips (18 per class): round(4.5) = 5 per class held out
        assertThat(m.path("val_clips").asInt()).isEqualTo(20);
        assertThat(r.trainClips()).isEqualTo(52);
        assertThat(m.path("val_fraction").asDouble()).isEqualTo(0.25);
        int sel = m.path("val_selected_epoch").asInt();
        assertThat(sel).isBetween(0, 1).isEqualTo(r.valSelectedEpoch());
        List<Map<String, String>> rows = RunDirectory.open(out).readMetrics();
        assertThat(rows.get(0)).containsKey("val_top1");
        assertThat(m.path("val_selected_test_top1").asDouble())
                .isEqualTo(Double.parseDouble(rows.get(sel).get("test_top1")));
    }

    @Test
    void pcm3RunAndRandomInitFinetune(@TempDir Path dir) throws Exception {
        Finetune.Result r = new Finetune(quietLog()).run(options(pcm3Run.toString(), null, List.of(), dir.resolve("p"), 2,
                false, 0));
        JsonNode m = metrics(dir.resolve("p"));
        assertThat(m.path("method").asText()).isEqualTo("pcm3");
        assertThat(m.path("encoder_source").asText()).contains("checkpoint-4");
        assertThat(m.path("head_parameters").asLong()).isEqualTo(16 * 4 + 4);
        assertThat(r.finalTop1()).isBetween(0.0, 100.0);
        Finetune.Result rnd = new Finetune(quietLog()).run(options("random", "pcm3-small", PCM3_TINY, dir.resolve("r"), 1,
                false, 0));
        assertThat(metrics(dir.resolve("r")).path("encoder_source").asText()).startsWith("random init");
        assertThat(rnd.testClips()).isEqualTo(48);
    }

    @Test
    void semiRepeatsDrawDifferentSubsetsAndReportMeanAndStd(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("semi");
        SemiSupervised.Result r = new SemiSupervised(quietLog()).run(new SemiSupervised.Options(
                options(mampRun.toString(), null, List.of(), out, 1, false, 0), 0.25, 2, true));
        assertThat(r.repeats()).hasSize(2);
        assertThat(r.repeats().get(0).subsetSeed()).isNotEqualTo(r.repeats().get(1).subsetSeed());
        // stratified 25 % of 18 clips per class: 5 per class
        assertThat(r.repeats()).allSatisfy(x -> assertThat(x.labelledClips()).isEqualTo(20));
        int[] labels = new int[72];
        try (var ds = io.skeletonssl.dataset.SkeletonDataset.open(data)) {
            labels = ds.clips("train").labels();
        }
        int[] a = io.skeletonssl.eval.LabelledSubset.draw(labels, 0.25, r.repeats().get(0).subsetSeed(), true);
        int[] b = io.skeletonssl.eval.LabelledSubset.draw(labels, 0.25, r.repeats().get(1).subsetSeed(), true);
        assertThat(a).isNotEqualTo(b);
        assertThat(io.skeletonssl.eval.LabelledSubset.missingClasses(labels, a, 4)).isEmpty();
        JsonNode m = metrics(out);
        assertThat(m.path("protocol").asText()).isEqualTo("semi");
        assertThat(m.path("per_repeat")).hasSize(2);
        double x0 = m.path("per_repeat").get(0).path("final_top1").asDouble();
        double x1 = m.path("per_repeat").get(1).path("final_top1").asDouble();
        assertThat(m.path("final_top1").asDouble()).isCloseTo((x0 + x1) / 2, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(m.path("final_top1_std").asDouble())
                .isCloseTo(Math.abs(x0 - x1) / Math.sqrt(2), org.assertj.core.api.Assertions.within(1e-9));
        assertThat(m.path("std_note").asText()).contains("n - 1");
        assertThat(java.nio.file.Files.readAllLines(out.resolve("repeats.csv"))).hasSize(3);
        assertThat(metrics(out.resolve("repeat-1")).path("subset_seed").asLong()).isEqualTo(r.repeats().get(1).subsetSeed());
        assertThat(TestScores.read(out.resolve("repeat-0")).size()).isEqualTo(48);
    }

    @Test
    void semiValidationFractionHoldsOutPartOfEveryRepeatsSubset(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("semi-val");
        SemiSupervised.Result r = new SemiSupervised(quietLog()).run(new SemiSupervised.Options(
                options(mampRun.toString(), null, List.of(), out, 2, false, 0.25), 0.25, 2, true));
        JsonNode m = metrics(out);
        assertThat(m.path("val_fraction").asDouble()).isEqualTo(0.25);
        double[] sel = new double[2];
        int[] labels;
        try (var ds = io.skeletonssl.dataset.SkeletonDataset.open(data)) {
            labels = ds.clips("train").labels();
        }
        for (int k = 0; k < 2; k++) {
            SemiSupervised.Repeat rep = r.repeats().get(k);
            JsonNode rm = metrics(out.resolve("repeat-" + k));
            // 5 labelled clips per class, round(5 * 0.25) = 1 of each held out: 4 validation, 16 training
            assertThat(rm.path("val_clips").asInt()).isEqualTo(4);
            assertThat(rm.path("train_clips").asInt()).isEqualTo(16);
            int e = rm.path("val_selected_epoch").asInt();
            assertThat(rep.valSelectedEpoch()).isEqualTo(e);
            List<Map<String, String>> rows = RunDirectory.open(out.resolve("repeat-" + k)).readMetrics();
            assertThat(rows).hasSize(2);
            assertThat(rep.valSelectedTestTop1())
                    .isCloseTo(Double.parseDouble(rows.get(e).get("test_top1")), org.assertj.core.api.Assertions.within(1e-6));
            JsonNode row = m.path("per_repeat").get(k);
            assertThat(row.path("val_selected_epoch").asInt()).isEqualTo(e);
            assertThat(row.path("val_selected_test_top1").asDouble()).isEqualTo(rep.valSelectedTestTop1());
            sel[k] = rep.valSelectedTestTop1();
            // the held-out clips come out of this repeat's labelled subset and are never trained on
            int[] subset = io.skeletonssl.eval.LabelledSubset.draw(labels, 0.25, rep.subsetSeed(), true);
            try (var ds = io.skeletonssl.dataset.SkeletonDataset.open(data)) {
                io.skeletonssl.loader.ClipSource labelled = io.skeletonssl.loader.ClipSource.subset(
                        io.skeletonssl.loader.ClipSource.of(ds.clips("train")), subset);
                io.skeletonssl.eval.LabelledSubset.Holdout h = Finetune.holdOut(labelled, 0.25, rep.subsetSeed(), 4);
                assertThat(h.train()).hasSize(16).doesNotContain(h.val());
                assertThat(java.util.Arrays.stream(h.val()).map(j -> labels[subset[j]]).sorted().toArray())
                        .containsExactly(0, 1, 2, 3);
            }
        }
        assertThat(m.path("val_selected_test_top1").asDouble())
                .isCloseTo((sel[0] + sel[1]) / 2, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(m.path("val_selected_test_top1_std").asDouble())
                .isCloseTo(Math.abs(sel[0] - sel[1]) / Math.sqrt(2), org.assertj.core.api.Assertions.within(1e-9));
        assertThat(r.meanValSelectedTop1()).isEqualTo(m.path("val_selected_test_top1").asDouble());
        assertThat(java.nio.file.Files.readAllLines(out.resolve("repeats.csv")).get(0))
                .contains("val_selected_epoch,val_selected_test_top1");
    }

    @Test
    void semiValidationNeedsTwoLabelledClipsPerClass(@TempDir Path dir) {
        // stratified 5 % of 18 clips per class: one labelled clip per class, none left to train on after the hold-out
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SemiSupervised(quietLog()).run(
                        new SemiSupervised.Options(options(mampRun.toString(), null, List.of(), dir.resolve("s"), 1,
                                false, 0.25), 0.05, 2, true)))
                .hasMessageContaining("repeat 0").hasMessageContaining("holds out all 4 training clips")
                .hasMessageContaining("per class").hasMessageContaining("--ratio");
        assertThat(dir.resolve("s")).doesNotExist();
        // uneven classes: class 1's only clip is held out, class 0 keeps two
        int[] labels = {0, 0, 0, 1};
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Finetune.requireTrainingClipPerClass(labels,
                        new io.skeletonssl.eval.LabelledSubset.Holdout(new int[] {0, 1}, new int[] {2, 3}), 0.25, 2))
                .hasMessageContaining("holds out every clip of class(es) [1]");
        Finetune.requireTrainingClipPerClass(labels,
                new io.skeletonssl.eval.LabelledSubset.Holdout(new int[] {0, 1, 3}, new int[] {2}), 0.25, 2);
    }

    @Test
    void semiPlainDrawLeavingAClassEmptySuggestsStratified(@TempDir Path dir) {
        // 1 % of 72 clips: one labelled clip, three of the four classes empty
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SemiSupervised(quietLog()).run(
                        new SemiSupervised.Options(options(mampRun.toString(), null, List.of(), dir.resolve("s"), 1, false,
                                0), 0.01, 2, false)))
                .hasMessageContaining("without a labelled clip").hasMessageContaining("--stratified");
        assertThat(dir.resolve("s")).doesNotExist();
    }

    @Test
    void transferRecordsSourceAndTargetAndRefusesOtherLayouts(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("target");
        new Converter(1).convert(new SyntheticSource(SynthConfig.small().withClasses(3).withSize(6, 1)),
                Protocol.NTU60_XSUB, target, "synthetic-target", Map.of("format", "synthetic"), false, false);
        Path out = dir.resolve("tr");
        Finetune.Result r = new Transfer(quietLog()).run(new Finetune.Options(mampRun.toString(), null, List.of(), target,
                out, 1, 0L, false, 0, 2, null, null, false));
        assertThat(r.classes()).isEqualTo(3);
        JsonNode m = metrics(out);
        assertThat(m.path("protocol").asText()).isEqualTo("transfer");
        assertThat(m.path("source_dataset").asText()).isEqualTo(data.toAbsolutePath().toString());
        assertThat(m.path("target_dataset").asText()).isEqualTo(target.toAbsolutePath().normalize().toString());
        assertThat(m.path("source_layout").asText()).isEqualTo(m.path("target_layout").asText());
        assertThat(m.path("head_parameters").asLong()).isEqualTo(MampFinetuneHead.parameterCount(25, 16, 16, 3));

        Path kinect = smallDataset(dir.resolve("kinect"), io.skeletonssl.layout.Layouts.kinectV1(), 2);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Transfer(quietLog()).run(new Finetune.Options(
                        mampRun.toString(), null, List.of(), kinect, dir.resolve("bad"), 1, 0L, false, 0, 1, null, null,
                        false)))
                .hasMessageContaining("cannot transfer across skeleton layouts")
                .hasMessageContaining("layout ntu25, 25 joints").hasMessageContaining("20 joints");
        Path single = smallDataset(dir.resolve("single"), io.skeletonssl.layout.Layouts.ntu25(), 1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Transfer(quietLog()).run(new Finetune.Options(
                        mampRun.toString(), null, List.of(), single, dir.resolve("bad1"), 1, 0L, false, 0, 1, null, null,
                        false)))
                .hasMessageContaining("M=2 persons").hasMessageContaining("has M=1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Transfer(quietLog()).run(new Finetune.Options(
                        "random", "mamp-small", List.of(), target, dir.resolve("bad2"), 1, 0L, false, 0, 1, null, null,
                        false)))
                .hasMessageContaining("needs a pretrained run");
        assertThat(dir.resolve("bad")).doesNotExist();
    }

    @Test
    void runConfigsWithoutAFinetuneSectionGetTheMethodDefaults(@TempDir Path dir) throws Exception {
        ObjectNode cfg = (ObjectNode) RunDirectory.open(mampRun).readConfig();
        cfg.remove("finetune");
        Path old = writeMampRun(dir.resolve("old-run"), cfg);
        var t = io.skeletonssl.eval.Encoders.resolve(old.toString(), null, List.of(),
                io.skeletonssl.layout.Layouts.ntu25(), 2, quietLog());
        assertThat(t.config().path("finetune")).isEqualTo(ConfigTree.preset("mamp-small").path("finetune"));
        assertThat(io.skeletonssl.eval.Encoders.defaultPresetOf(ConfigTree.preset("mamp-ntu60-xview"), "mamp"))
                .isEqualTo("mamp-ntu60-xsub");
        assertThat(FinetuneRecipe.of(ConfigTree.preset("pcm3-ntu60-xsub"))).isInstanceOf(Pcm3FinetuneSettings.class);
        MampFinetuneSettings official = (MampFinetuneSettings) FinetuneRecipe.of(ConfigTree.preset("mamp-ntu120-xsub"));
        assertThat(official.layerDecay()).isEqualTo(0.8);
        assertThat(official.batchSize()).isEqualTo(48);
    }

    /** Four random 8-frame clips of two classes (train and test) in {@code layout} with M = {@code persons}. */
    static Path smallDataset(Path out, io.skeletonssl.layout.SkeletonLayout layout, int persons) throws Exception {
        int v = layout.numJoints();
        java.util.Random rnd = new java.util.Random(1);
        try (io.skeletonssl.dataset.DatasetWriter w = new io.skeletonssl.dataset.DatasetWriter(out,
                new io.skeletonssl.dataset.DatasetWriter.Spec("small", layout, 8, persons, 2, List.of("a", "b"),
                        Map.of("format", "unit-test"), Map.of()), false)) {
            for (int i = 0; i < 4; i++) {
                float[] d = new float[3 * 8 * v * persons];
                for (int k = 0; k < d.length; k++) {
                    d[k] = (float) rnd.nextGaussian();
                }
                String name = "c" + i;
                w.add(i < 2 ? "train" : "test", new io.skeletonssl.dataset.Sample(d, 8, v, persons, 8, i % 2,
                        new io.skeletonssl.dataset.SampleMeta(name, 1, 1, 1, 1, name, name)));
            }
            w.commit();
        }
        return out;
    }
}
