package io.skeletonssl.methods.mamp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skeletonssl.formats.Converter;
import io.skeletonssl.formats.Protocol;
import io.skeletonssl.synth.SynthConfig;
import io.skeletonssl.synth.SyntheticSource;
import io.skeletonssl.training.ConfigTree;
import io.skeletonssl.training.Pretrainer;
import io.skeletonssl.training.RunDirectory;
import io.skeletonssl.layout.Layouts;
import io.skeletonssl.layout.SkeletonLayout;
import io.skeletonssl.transforms.Clip;
import io.skeletonssl.transforms.CropResize;
import io.skeletonssl.transforms.Streams;
import io.skeletonssl.transforms.RandomRotation;
import io.skeletonssl.util.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MampPretrainerTest {

    @TempDir
    static Path shared;
    static Path data;

    static final List<String> TINY = List.of("model.dim=32", "model.depth=1", "model.heads=2", "model.decoder_dim=32",
            "model.decoder_depth=1", "model.decoder_heads=2", "pretrain.batch_size=8", "pretrain.warmup_epochs=1", "pretrain.lr=1e-3",
            "pretrain.checkpoint_every=1");

    @BeforeAll
    static void dataset() throws Exception {
        Progress.setEnabled(false);
        data = shared.resolve("synth");
        new Converter(2).convert(new SyntheticSource(SynthConfig.small().withClasses(4)), Protocol.NTU60_XSUB, data,
                "synthetic-test", Map.of("format", "synthetic"), false, false);
    }

    private static Pretrainer.Options opts(Path out, boolean resume, int epochs, int stopAfter) {
        return new Pretrainer.Options(resume ? null : "mamp-small", null, resume ? List.of() : TINY,
                resume ? null : data, out, resume, epochs, 2, stopAfter);
    }

    private static String log(ByteArrayOutputStream b) {
        return b.toString(StandardCharsets.UTF_8);
    }

    @Test
    void pretrainsWritesRunFolderAndResumesExactly(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        Pretrainer p = MampPretrainer.create(new PrintStream(logBytes, true, StandardCharsets.UTF_8));
        Path straight = dir.resolve("straight");
        Pretrainer.Result a = p.run(opts(straight, false, 2, -1));
        assertThat(a.finalLoss()).isFinite().isPositive();
        assertThat(a.startEpoch()).isZero();
        assertThat(a.lastEpoch()).isEqualTo(1);
        RunDirectory run = RunDirectory.open(straight);
        assertThat(straight.resolve("config.yaml")).isRegularFile();
        JsonNode cfg = run.readConfig();
        assertThat(cfg.path("data").path("joints").asInt()).isEqualTo(25);
        assertThat(cfg.path("data").path("path").asText()).isEqualTo(data.toAbsolutePath().normalize().toString());
        assertThat(cfg.path("model").path("dim").asInt()).isEqualTo(32);
        assertThat(cfg.path("pretrain").path("epochs").asInt()).isEqualTo(2);
        List<Map<String, String>> rows = run.readMetrics();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).keySet()).contains("epoch", "loss", "lr", "seconds", "samples_per_s", "skipped_steps");
        assertThat(rows.get(1).get("epoch")).isEqualTo("1");
        for (Map<String, String> r : rows) {
            assertThat(Double.parseDouble(r.get("loss"))).isFinite();
        }
        // per-iteration schedule: the last lr of epoch 0 is inside the 1-epoch warm-up (lr·5/6 at 6 steps)
        JsonNode metrics = new ObjectMapper().readTree(straight.resolve("metrics.json").toFile());
        assertThat(metrics.path("final_loss").asDouble()).isEqualTo(a.finalLoss());
        assertThat(metrics.path("epochs").asInt()).isEqualTo(2);
        int iters = metrics.path("steps_per_epoch").asInt();
        assertThat(Double.parseDouble(rows.get(0).get("lr"))).isCloseTo(1e-3 * (iters - 1) / iters,
                org.assertj.core.data.Offset.offset(1e-12));
        assertThat(run.checkpointEpochs()).contains(0, 1);
        assertThat(run.latest().orElseThrow().epoch()).isEqualTo(1);

        // killed after epoch 0, then resumed: same final loss as the uninterrupted run
        Path killed = dir.resolve("killed");
        Pretrainer.Result k = p.run(opts(killed, false, 2, 0));
        assertThat(k.lastEpoch()).isZero();
        assertThat(killed.resolve("metrics.json")).doesNotExist();
        assertThat(Double.parseDouble(RunDirectory.open(killed).readMetrics().get(0).get("loss")))
                .isEqualTo(Double.parseDouble(rows.get(0).get("loss")));
        Pretrainer.Result r = p.run(opts(killed, true, 2, -1));
        assertThat(r.startEpoch()).isEqualTo(1);
        assertThat(log(logBytes)).contains("resuming");
        assertThat(r.finalLoss()).isCloseTo(a.finalLoss(), org.assertj.core.data.Percentage.withPercentage(1e-3));
        assertThat(RunDirectory.open(killed).readMetrics()).hasSize(2);

        // an existing run folder is not overwritten without --resume
        assertThatThrownBy(() -> p.run(opts(straight, false, 2, -1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--resume");
        // resuming a finished run asks for more epochs
        assertThatThrownBy(() -> p.run(opts(straight, true, 2, -1)))
                .hasMessageContaining("already trained 2 of 2 epochs");
    }

    @Test
    void resumeWithoutCheckpointIsAClearError(@TempDir Path dir) throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Pretrainer p = MampPretrainer.create(new PrintStream(new ByteArrayOutputStream()));
        assertThatThrownBy(() -> p.run(opts(empty, true, 2, -1)))
                .hasMessageContaining(empty.toString()).hasMessageContaining("not a run folder");
        assertThatThrownBy(() -> p.run(opts(dir.resolve("missing"), true, 2, -1)))
                .hasMessageContaining("no such run folder");
    }

    @Test
    void trainPipelineUsesTheConfigWindow() throws Exception {
        var tree = ConfigTree.resolve("mamp-small", null, new ArrayList<>(List.of("augment.rotation=0.2")));
        var steps = MampPretrainer.trainPipeline(tree).steps();
        assertThat(steps).extracting(s -> s.name()).containsExactly("finite", "valid-frames", "crop-resize", "rotate");
        assertThat(steps.get(2).transform()).isInstanceOf(CropResize.class);
        assertThat(((RandomRotation) steps.get(3).transform()).maxAngle()).isEqualTo(0.2);
    }

    @Test
    void boneAndMotionStreamsFollowTheCropResizeInBothPipelines() throws Exception {
        SkeletonLayout ntu = Layouts.ntu25();
        var joint = ConfigTree.resolve("mamp-small", null, new ArrayList<>());
        var bone = ConfigTree.resolve("mamp-small", null, new ArrayList<>(List.of("pretrain.stream=bone")));
        var motion = ConfigTree.resolve("mamp-small", null, new ArrayList<>(List.of("pretrain.stream=motion")));
        assertThat(joint.path("pretrain").path("stream").asText()).isEqualTo("joint");
        Random r = new Random(3);
        float[] x = new float[3 * 40 * 25 * 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        Clip clip = Clip.of(x, 40, 25, 2);
        Clip centred = MampPretrainer.testPipeline(joint, ntu).apply(clip, new SplittableRandom(1));
        Clip b = MampPretrainer.testPipeline(bone, ntu).apply(clip, new SplittableRandom(1));
        int[] parents = ntu.boneParents();
        for (int c = 0; c < 3; c++) {
            for (int t = 0; t < centred.frames(); t++) {
                for (int v = 0; v < 25; v++) {
                    for (int m = 0; m < 2; m++) {
                        assertThat(b.get(c, t, v, m)).isEqualTo(centred.get(c, t, v, m) - centred.get(c, t, parents[v], m));
                    }
                }
            }
        }
        assertThat(MampPretrainer.testPipeline(motion, ntu).apply(clip, new SplittableRandom(1)).data())
                .containsExactly(Streams.motion(centred).data());
        assertThat(MampPretrainer.testPipeline(motion, null).steps()).extracting(s -> s.name())
                .containsExactly("finite", "valid-frames", "crop-resize", "motion");
        assertThat(MampPretrainer.trainPipeline(bone, ntu).steps()).extracting(s -> s.name())
                .containsExactly("finite", "valid-frames", "crop-resize", "bone", "rotate");
        // training: the stream after the crop equals the stream of the rotated crop (both conversions are linear)
        Clip trained = MampPretrainer.trainPipeline(joint, ntu).apply(clip, new SplittableRandom(7));
        Clip trainedBone = MampPretrainer.trainPipeline(bone, ntu).apply(clip, new SplittableRandom(7));
        float[] expected = Streams.bone(trained, ntu).data();
        for (int i = 0; i < expected.length; i++) {
            assertThat(trainedBone.data()[i]).isCloseTo(expected[i], within(1e-4f));
        }
        assertThatThrownBy(() -> MampPretrainer.trainPipeline(bone)).hasMessageContaining("the bone stream needs the "
                + "skeleton layout of the 25-joint data");
        var bad = ConfigTree.resolve("mamp-small", null, new ArrayList<>(List.of("pretrain.stream=velocity")));
        assertThatThrownBy(() -> MampPretrainer.testPipeline(bad, ntu)).hasMessageContaining("pretrain.stream")
                .hasMessageContaining("joint, bone, motion");
    }

    @Test
    void epochRandomDependsOnlyOnSeedAndEpoch() {
        assertThat(Pretrainer.epochRandom(3, 5).nextLong()).isEqualTo(Pretrainer.epochRandom(3, 5).nextLong());
        assertThat(Pretrainer.epochRandom(3, 5).nextLong()).isNotEqualTo(Pretrainer.epochRandom(3, 6).nextLong());
    }
}
