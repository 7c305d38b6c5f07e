package io.skeletonssl.eval.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.skeletonssl.engine.Engines;
import io.skeletonssl.models.mamp.MampConfig;
import io.skeletonssl.models.pcm3.Pcm3Config;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The trainable encoders: parameters, layers for lr decay, drop path, forward with gradients. */
class TrainableEncoderTest {

    static MampConfig tinyMamp() {
        return MampConfig.ntu60().withSizes(16, 2, 2, 16, 1, 2).withLayout(8, 25, 2);
    }

    @Test
    void officialMampLayersDecayAndDropPath() {
        try (MampTrainableEncoder enc = MampTrainableEncoder.random(MampConfig.ntu60(), 0.3, 0)) {
            assertThat(enc.numLayers()).isEqualTo(9);
            Map<String, Double> s = LayerDecay.scales(enc, 0.8);
            assertThat(s).doesNotContainKeys("decoder_embed.weight", "mask_token");
            assertThat(s.get("joints_embed.proj.weight")).isCloseTo(Math.pow(0.8, 9), within(1e-12));
            assertThat(s.get("pos_embed")).isCloseTo(0.134217728, within(1e-9));
            assertThat(s.get("temp_embed")).isCloseTo(0.134217728, within(1e-9));
            assertThat(s.get("blocks.0.attn.qkv.weight")).isCloseTo(0.16777216, within(1e-9));
            // timm's get_layer_id_for_vit: block 7 is layer 8, 0.8^1 (the spec's "block 7: 1.0" contradicts its formula)
            assertThat(s.get("blocks.7.mlp.fc2.bias")).isCloseTo(0.8, within(1e-12));
            assertThat(s.get("norm.weight")).isEqualTo(1.0);
            for (int i = 0; i < 8; i++) {
                assertThat(s.get("blocks." + i + ".norm1.weight")).isCloseTo(Math.pow(0.8, 8 - i), within(1e-12));
            }
            double[] dpr = enc.dropPathRates();
            assertThat(dpr).hasSize(8);
            for (int i = 0; i < 8; i++) {
                assertThat(dpr[i]).isCloseTo(0.3 * i / 7, within(1e-12));
            }
            long encoderValues = enc.trainableParameters().values().stream().mapToLong(p -> p.getShape().size()).sum();
            assertThat(encoderValues).isEqualTo(6_336_000L);
            try (MampFinetuneHead head = new MampFinetuneHead(enc, 2048, 60, 0.3, 0)) {
                assertThat(head.parameterCount()).isEqualTo(13_236_284L);
                assertThat(head.parameterCount() + encoderValues).isEqualTo(19_572_284L);
            }
        }
        assertThat(MampFinetuneHead.parameterCount(25, 256, 2048, 120)).isEqualTo(13_359_224L);
        assertThat(MampFinetuneHead.parameterCount(25, 256, 2048, 51)).isEqualTo(13_217_843L);
        assertThat(LayerDecay.scale(1.0, 9, 0)).isEqualTo(1.0);
    }

    @Test
    void mampForwardTrainsEveryBlockAndIsDeterministicInEvalMode() {
        try (MampTrainableEncoder enc = MampTrainableEncoder.random(tinyMamp(), 0.3, 1);
             NDManager m = Engines.cpu().newManager()) {
            NDArray x = m.randomNormal(new Shape(3, 3, 8, 25, 2));
            assertThat(enc.tokens(x, false, null).getShape()).isEqualTo(new Shape(3, 2, 2, 25, 16));
            float[] a = enc.pooled(x, false, null).toFloatArray();
            assertThat(enc.pooled(x, false, null).toFloatArray()).containsExactly(a);
            assertThat(a).hasSize(3 * 16);
            enc.trainableParameters().values().forEach(p -> p.getArray().getGradient().set(
                    new ai.djl.ndarray.index.NDIndex("..."), 0f));
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                gc.backward(enc.pooled(x, true, new Random(0)).square().sum());
            }
            for (String name : new String[] {"joints_embed.proj.weight", "blocks.0.attn.qkv.weight", "norm.weight"}) {
                float g = enc.trainableParameters().get(name).getArray().getGradient().abs().sum().getFloat();
                assertThat(g).as(name).isGreaterThan(0f);
            }
        }
    }

    @Test
    void pcm3TrainsInputNormAndGruButNotProjectorOrBuffers() {
        Pcm3Config cfg = new Pcm3Config(25, 2, 8, 3, Pcm3Config.GruMode.OFFICIAL, 16, 8, 8, 1);
        try (Pcm3TrainableEncoder enc = Pcm3TrainableEncoder.random(cfg, 8, 0);
             NDManager m = Engines.cpu().newManager()) {
            assertThat(enc.trainableParameters().keySet()).noneMatch(n -> n.startsWith("fc.") || n.contains("running"))
                    .contains("input_norm.weight", "input_norm.bias");
            assertThat(enc.trainableParameters().keySet()).anyMatch(n -> n.startsWith("gru."));
            assertThat(LayerDecay.scales(enc, 0.8).values()).containsOnly(1.0);
            NDArray x = m.randomNormal(new Shape(4, 3, 8, 25, 2));
            assertThat(enc.pooled(x, false, null).getShape()).isEqualTo(new Shape(4, 16));
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                gc.backward(enc.pooled(x, true, null).square().sum());
            }
            float g = enc.trainableParameters().get("input_norm.weight").getArray().getGradient().abs().sum().getFloat();
            assertThat(g).isGreaterThan(0f);
        }
    }

    @Test
    void labelSmoothingMatchesHandComputation() {
        try (NDManager m = Engines.cpu().newManager()) {
            float[] z = {1f, 2f, 0.5f, -1f, 0f, 3f};
            NDArray logits = m.create(z, new Shape(2, 3));
            NDArray y = m.create(new float[] {0, 1, 0, 0, 0, 1}, new Shape(2, 3));
            double expected = 0;
            int[] labels = {1, 2};
            for (int r = 0; r < 2; r++) {
                double lse = Math.log(Math.exp(z[3 * r]) + Math.exp(z[3 * r + 1]) + Math.exp(z[3 * r + 2]));
                double nll = lse - z[3 * r + labels[r]];
                double mean = 0;
                for (int k = 0; k < 3; k++) {
                    mean += (lse - z[3 * r + k]) / 3;
                }
                expected += (0.9 * nll + 0.1 * mean) / 2;
            }
            assertThat(LabelSmoothing.loss(logits, y, 0.1).getFloat()).isCloseTo((float) expected, within(1e-5f));
            // row 1: lse(1, 2, 0.5) − 2 = 0.46440..., row 2: lse(−1, 0, 3) − 3 = 0.06585...
            assertThat(LabelSmoothing.loss(logits, y, 0).getFloat()).isCloseTo(0.2651263f, within(1e-5f));
        }
    }
}
