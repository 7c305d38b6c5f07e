package io.skeletonssl.methods.pcm3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.engine.Engines;
import io.skeletonssl.engine.NoGradient;
import io.skeletonssl.models.pcm3.Pcm3Encoder;
import io.skeletonssl.training.Checkpoint;
import io.skeletonssl.training.RunCheckpoint;
import io.skeletonssl.training.RunDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The frozen PCM3 encoder against the in-memory encoder it was saved from. */
class Pcm3FrozenEncoderTest {

    private static final int FRAMES = 16;

    private static float[] clips(int n, long seed) {
        float[] x = new float[n * 3 * FRAMES * 25 * 2];
        Random r = new Random(seed);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    private static float[] feature(Pcm3Encoder enc, float[] x, int n, boolean training) {
        try (NoGradient ignored = NoGradient.enter(); NDManager m = Engines.cpu().newManager()) {
            NDArray in = m.create(x, new Shape(n, 3, FRAMES, 25, 2));
            return enc.feature(in, training).toFloatArray();
        }
    }

    @Test
    void loadedCheckpointReproducesTheEncoderInEvalModeAndIgnoresOtherEntries(@TempDir Path dir) throws Exception {
        ObjectNode tree = Pcm3RunFixture.tinyTree();
        float[] x = clips(3, 1);
        try (NDManager m = Engines.cpu().newManager()) {
            Pcm3Encoder original = Pcm3RunFixture.trainedLike(tree, m, 7);
            Path run = Pcm3RunFixture.writeRun(dir.resolve("run"), tree, dir.resolve("data"), original, 4, m);
            float[] expected = feature(original, x, 3, false);
            try (Pcm3FrozenEncoder enc = Pcm3FrozenEncoder.load(RunCheckpoint.locate(run, null))) {
                assertThat(enc.method()).isEqualTo("pcm3");
                assertThat(enc.featureDim()).isEqualTo(16); // 2 · hidden
                assertThat(enc.frames()).isEqualTo(FRAMES);
                assertThat(enc.source()).contains("checkpoint-4");
                float[][] f = enc.encode(x, 3);
                assertThat(f).hasNumberOfRows(3);
                float[] flat = new float[3 * 16];
                for (int i = 0; i < 3; i++) {
                    System.arraycopy(f[i], 0, flat, i * 16, 16);
                }
                assertThat(flat).containsExactly(expected);
                // running statistics, not the batch's: a clip's feature does not depend on its batch (up to
                // the GRU kernel's batch-size-dependent rounding), and differs from the training-mode feature
                float[] second = Arrays.copyOfRange(x, x.length / 3, 2 * x.length / 3);
                assertThat(enc.encode(second, 1)[0]).containsExactly(f[1], within(1e-5f));
                float[] batchStats = feature(original, x, 3, true);
                double gap = 0;
                for (int i = 0; i < flat.length; i++) {
                    gap = Math.max(gap, Math.abs(flat[i] - batchStats[i]));
                }
                assertThat(gap).isGreaterThan(0.05);
                long arrays = enc.managedArrays();
                for (int i = 0; i < 3; i++) {
                    enc.encode(x, 3);
                }
                assertThat(enc.managedArrays()).isEqualTo(arrays);
                assertThatThrownBy(() -> enc.encode(second, 2)).hasMessageContaining("expected 2 clips of (3, 16, 25, 2)");
            }
            // the key encoder (other values, same names after the prefix) is not what was loaded
            Pcm3Encoder key = new Pcm3Encoder(original.config());
            key.initializeSeeded(m, 99);
            assertThat(feature(key, x, 3, false)).isNotEqualTo(expected);
        }
    }

    @Test
    void wrongShapeOrMissingQueryEntriesAreClearErrors(@TempDir Path dir) throws Exception {
        ObjectNode tree = Pcm3RunFixture.tinyTree();
        try (NDManager m = Engines.cpu().newManager()) {
            Pcm3Encoder enc = Pcm3RunFixture.trainedLike(tree, m, 7);
            Path run = Pcm3RunFixture.writeRun(dir.resolve("run"), tree, dir.resolve("data"), enc, 0, m);
            // the config says hidden 12, the checkpoint holds hidden 8
            ObjectNode bigger = Pcm3RunFixture.tinyTree("model.hidden=12");
            RunCheckpoint rc = RunCheckpoint.locate(run, null);
            assertThatThrownBy(() -> Pcm3FrozenEncoder.load(new RunCheckpoint(rc.checkpoint(), bigger)))
                    .hasMessageContaining("checkpoint " + rc.checkpoint().dir())
                    .hasMessageContaining("parameter encoder_q.gru.weight_ih_l0 has shape (24, 150), model expects (36, 150)");

            PairList<String, Parameter> noGru = new PairList<>();
            enc.namedParameters().forEach((k, p) -> {
                if (!k.equals("gru.bias_hh_l1_reverse")) {
                    noGru.add("encoder_q." + k, p);
                }
            });
            Path partial = RunDirectory.open(dir.resolve("partial")).checkpointDir(0);
            Checkpoint.write(partial, 0, 0, 0, noGru, null, tree, Map.of());
            assertThatThrownBy(() -> Pcm3FrozenEncoder.load(RunCheckpoint.locate(partial, null)))
                    .hasMessageContaining("checkpoint " + partial.toAbsolutePath().normalize())
                    .hasMessageContaining("missing PCM3 query-encoder parameter(s) [encoder_q.gru.bias_hh_l1_reverse]");

            ObjectNode mamp = io.skeletonssl.training.ConfigTree.resolve("mamp-small", null, java.util.List.of());
            assertThatThrownBy(() -> Pcm3FrozenEncoder.load(new RunCheckpoint(rc.checkpoint(), mamp)))
                    .hasMessageContaining("checkpoint of method 'mamp', not pcm3");
        }
    }

    @Test
    void randomInitIsSeededAndFollowsTheGruMode() throws Exception {
        ObjectNode tree = Pcm3RunFixture.tinyTree();
        float[] x = clips(2, 3);
        try (Pcm3FrozenEncoder a = Pcm3FrozenEncoder.random(tree); Pcm3FrozenEncoder b = Pcm3FrozenEncoder.random(tree);
             Pcm3FrozenEncoder c = Pcm3FrozenEncoder.random(Pcm3RunFixture.tinyTree("pretrain.seed=5"));
             Pcm3FrozenEncoder bi = Pcm3FrozenEncoder.random(Pcm3RunFixture.tinyTree("model.gru_mode=bidirectional"))) {
            assertThat(a.source()).isEqualTo("random init (seed 0)");
            float[][] fa = a.encode(x, 2);
            assertThat(b.encode(x, 2)[1]).containsExactly(fa[1]);
            assertThat(c.encode(x, 2)[1]).isNotEqualTo(fa[1]);
            // same weights, the second direction run backwards in time: another feature
            assertThat(bi.encode(x, 2)[1]).isNotEqualTo(fa[1]);
            try (NDManager m = Engines.cpu().newManager()) {
                Pcm3Encoder ref = new Pcm3Encoder(a.config());
                ref.initializeSeeded(m, 0);
                assertThat(fa[0]).containsExactly(Arrays.copyOf(feature(ref, x, 2, false), 16));
            }
        }
    }
}
