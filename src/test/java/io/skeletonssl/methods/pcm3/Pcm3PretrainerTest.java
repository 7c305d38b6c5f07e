package io.skeletonssl.methods.pcm3;

import io.skeletonssl.formats.CentredSource;
import io.skeletonssl.formats.Converter;
import io.skeletonssl.formats.Protocol;
import io.skeletonssl.synth.SynthConfig;
import io.skeletonssl.synth.SyntheticSource;
import io.skeletonssl.training.Checkpoint;
import io.skeletonssl.training.RunDirectory;
import io.skeletonssl.training.Pretrainer;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class Pcm3PretrainerTest {

    @TempDir
    static Path shared;
    static Path data;

    /** pcm3-small shrunk to seconds: 16 frames, GRU 8 × 2, queue 16 (a multiple of the batch of 8). */
    static final List<String> TINY = List.of("data.frames=16", "model.hidden=8", "model.layers=2",
            "model.projector_hidden=12", "model.projector_out=6", "model.decoder_hidden=5", "masking.clips=2",
            "mixing.tem_min=1", "mixing.tem_max=3", "prompts.width=2", "moco.queue=16", "pretrain.batch_size=8",
            "pretrain.checkpoint_every=1", "pretrain.milestones=[1]", "pretrain.lr=0.02");

    @BeforeAll
    static void dataset() throws Exception {
        data = synthetic(shared.resolve("synth"), 4);
    }

    /** The small synthetic set with {@code classes} classes (4 train subjects x 3 views each), centred. */
    static Path synthetic(Path dir, int classes) throws Exception {
        Progress.setEnabled(false);
        new Converter(2).convert(new CentredSource(new SyntheticSource(SynthConfig.small().withClasses(classes))),
                Protocol.NTU60_XSUB, dir, "synthetic-test", Map.of("format", "synthetic"), false, false);
        return dir;
    }

    static Pretrainer.Options opts(Path out, boolean resume, int epochs, int stopAfter, String... extra) {
        return opts(data, out, resume, epochs, stopAfter, extra);
    }

    /** pcm3-small with {@link #TINY} and {@code extra} on {@code dataset}; on resume the run's own. */
    static Pretrainer.Options opts(Path dataset, Path out, boolean resume, int epochs, int stopAfter, String... extra) {
        List<String> sets = new ArrayList<>(TINY);
        sets.addAll(List.of(extra));
        return new Pretrainer.Options(resume ? null : "pcm3-small", null, resume ? List.of() : sets,
                resume ? null : dataset, out, resume, epochs, 2, stopAfter);
    }

    static Pretrainer quiet() {
        return Pcm3Pretrainer.create(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void pretrainsWritesTheRunFolderAndResumesExactlyWithTheQueue(@TempDir Path dir) throws Exception {
        Path straight = dir.resolve("straight");
        Pretrainer.Result a = quiet().run(opts(straight, false, 2, -1));
        assertThat(a.finalLoss()).isFinite();
        RunDirectory run = RunDirectory.open(straight);
        List<Map<String, String>> rows = run.readMetrics();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsKeys("ce_query", "ce_mix", "ce_masked", "ce_reconstructed", "kd",
                "reconstruction", "lr", "feature_std", "grad_norm", "clipped_fraction", "rollbacks");
        // pcm3-small scales the lr to the batch (0.02 x 8 / 128 = 0.00125) and warms it up over epoch 0, whose
        // last step has all of it; then the step decay from epoch 1 (pretrain.milestones=[1])
        assertThat(Double.parseDouble(rows.get(0).get("lr"))).isCloseTo(0.00125, within(1e-12));
        assertThat(Double.parseDouble(rows.get(1).get("lr"))).isCloseTo(0.000125, within(1e-12));
        for (Map<String, String> row : rows) {
            assertThat(Double.parseDouble(row.get("grad_norm"))).isPositive().isFinite();
            assertThat(Double.parseDouble(row.get("clipped_fraction"))).isBetween(0.0, 1.0);
            // unit embeddings in 6 dimensions: between collapsed (0) and evenly spread (1/sqrt(6) = 0.41)
            assertThat(Double.parseDouble(row.get("feature_std"))).isPositive().isLessThan(0.5);
            assertThat(row.get("rollbacks")).isEqualTo("0");
        }
        var pretrain = run.readConfig().path("pretrain"); // the resolved options, as the run used them
        assertThat(pretrain.path("clip_grad_norm").asDouble()).isEqualTo(20.0);
        assertThat(pretrain.path("warmup_epochs").asDouble()).isEqualTo(1.0);
        assertThat(pretrain.path("lr_reference_batch").asInt()).isEqualTo(128);
        assertThat(pretrain.path("divergence_rollbacks").asInt()).isEqualTo(3);
        Checkpoint last = run.requireLatest();
        assertThat(last.parameterShapes()).containsKeys("encoder_q.gru.weight_ih_l0", "encoder_k.gru.weight_ih_l0",
                "decoder.dec.1.weight", "cl_prompt", "queue", "queue_ptr", "encoder_q.input_norm.running_mean");
        assertThat(run.readConfig().path("method").asText()).isEqualTo("pcm3");

        Path killed = dir.resolve("killed");
        quiet().run(opts(killed, false, 2, 0));
        Pretrainer.Result r = quiet().run(opts(killed, true, 2, -1));
        assertThat(r.startEpoch()).isEqualTo(1);
        assertThat(r.finalLoss()).isCloseTo(a.finalLoss(), within(1e-4 * Math.abs(a.finalLoss())));
        Checkpoint resumed = RunDirectory.open(killed).requireLatest();
        assertThat(resumed.readParameter("queue").data()).containsExactly(last.readParameter("queue").data());
        assertThat(resumed.readParameter("encoder_k.fc.2.weight").data())
                .containsExactly(last.readParameter("encoder_k.fc.2.weight").data());
    }

    @Test
    void everyPromptModeAndStreamRuns(@TempDir Path dir) throws Exception {
        for (String[] v : new String[][] {{"prompts.mode=effective", "pretrain.stream=bone"},
                {"prompts.mode=none", "pretrain.stream=motion"}, {"model.gru_mode=bidirectional"}}) {
            Pretrainer.Result r = quiet().run(opts(dir.resolve(String.join("-", v).replace('=', '_')), false, 1, -1, v));
            assertThat(r.finalLoss()).as(String.join(" ", v)).isFinite();
        }
    }

    @Test
    void aQueueThatIsNotAMultipleOfTheBatchIsAClearError(@TempDir Path dir) {
        assertThatThrownBy(() -> quiet().run(opts(dir.resolve("q"), false, 1, -1, "moco.queue=20")))
                .hasMessageContaining("moco.queue 20").hasMessageContaining("multiple of pretrain.batch_size 8");
    }

    @Test
    void aMampConfigurationIsRefused(@TempDir Path dir) {
        assertThatThrownBy(() -> quiet().run(new Pretrainer.Options("mamp-small", null, List.of(), data,
                dir.resolve("m"), false, 1, 1, -1)))
                .hasMessageContaining("method 'mamp', not pcm3");
    }

    @Test
    void aLayoutWithoutBodyPartsIsAClearError() throws Exception {
        List<String> names = new ArrayList<>();
        for (int j = 0; j < 25; j++) {
            names.add("j" + j);
        }
        var bare = new io.skeletonssl.layout.SkeletonLayout("bare", names, null, null, 0, null);
        var tree = io.skeletonssl.training.ConfigTree.resolve("pcm3-small", null, TINY);
        assertThatThrownBy(() -> new Pcm3Pretrainer().validate(tree, bare))
                .hasMessageContaining("layout 'bare' has no body parts").hasMessageContaining("topology masking");
    }

    @Test
    void aDatasetSmallerThanOneBatchIsAClearError(@TempDir Path dir) {
        assertThatThrownBy(() -> quiet().run(opts(dir.resolve("b"), false, 1, -1, "pretrain.batch_size=4096",
                "moco.queue=4096")))
                .hasMessageContaining("fewer than one batch of 4096");
    }

    @Test
    void aCollapsedEpochIsReportedFromTheThirdEpochOn() throws Exception {
        var tree = io.skeletonssl.training.ConfigTree.resolve("pcm3-small", null, List.of()); // K = 1024
        Pcm3Pretrainer p = new Pcm3Pretrainer();
        double chance = Math.log(1025); // 6.93
        // the collapsed demo run (seed 1): 6.75 in epoch 7; healthy runs stay below 6.1 after epoch 1
        assertThat(p.epochWarnings(tree, 7, Map.of("ce_query", 6.75))).singleElement().asString()
                .contains("epoch 7").contains("collapsed").contains(String.format(java.util.Locale.ROOT, "%.3f", chance));
        assertThat(p.epochWarnings(tree, 7, Map.of("ce_query", 6.05))).isEmpty();
        assertThat(p.epochWarnings(tree, 1, Map.of("ce_query", 6.9))).as("early epochs sit near chance").isEmpty();
        assertThat(p.epochWarnings(tree, 7, Map.of())).isEmpty();
        // feature_std of the 64-d embeddings below 0.2 / sqrt(64) = 0.025, in any epoch
        assertThat(p.epochWarnings(tree, 0, Map.of("feature_std", 0.01, "ce_query", 6.0))).singleElement().asString()
                .startsWith("COLLAPSE? epoch 0").contains("feature_std 0.0100");
        assertThat(p.epochWarnings(tree, 0, Map.of("feature_std", 0.08))).isEmpty();
    }
}
