package io.skeletonssl.methods.pcm3;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.models.pcm3.Pcm3Config;
import io.skeletonssl.training.ConfigTree;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class Pcm3PresetsTest {

    private static Pcm3Settings preset(String name, String... sets) throws IOException {
        return Pcm3Presets.fromTree(ConfigTree.resolve(name, null, List.of(sets)));
    }

    @Test
    void theOfficialPresetReproducesTheReleasedConfiguration() throws IOException {
        Pcm3Settings s = preset("pcm3-ntu60-xsub");
        assertThat(s.modelConfig()).isEqualTo(Pcm3Config.ntu(Pcm3Config.GruMode.OFFICIAL));
        assertThat(s.data().frames()).isEqualTo(64);
        assertThat(s.moco()).isEqualTo(new Pcm3Settings.Moco(16384, 0.999, 0.07, 0.05, 0.1));
        assertThat(s.masking()).isEqualTo(new Pcm3Settings.Masking(0.6, 8));
        assertThat(s.mixing()).isEqualTo(new Pcm3Settings.Mixing(2, 3, 7, 11));
        assertThat(s.loss()).isEqualTo(new Pcm3Settings.Loss(40, 1, true, true));
        assertThat(s.prompts().promptMode()).isEqualTo(Pcm3Settings.PromptMode.OFFICIAL);
        assertThat(s.pretrain().inputStream()).isEqualTo(Pcm3Settings.Stream.JOINT);
        assertThat(s.pretrain().batchSize()).isEqualTo(128);
        assertThat(s.pretrain().seed()).isEqualTo(42);
        // SGD 0.02, x0.1 from epoch 351 of 451 (§3.11)
        assertThat(s.pretrain().schedule().at(350)).isEqualTo(0.02);
        assertThat(s.pretrain().schedule().at(351)).isCloseTo(0.002, within(1e-15));
        // linear evaluation: lr 0.1, x0.1 at 20, 50, 80 (§3.13)
        var probe = s.linearProbe().schedule();
        assertThat(probe.at(19)).isEqualTo(0.1);
        assertThat(probe.at(20)).isCloseTo(0.01, within(1e-15));
        assertThat(probe.at(50)).isCloseTo(0.001, within(1e-16));
        assertThat(probe.at(80)).isCloseTo(1e-4, within(1e-17));
        assertThat(s.linearProbe().batchSize()).isEqualTo(1024);
        assertThat(s.linearProbe().testCrop()).isEqualTo(0.95);
    }

    @Test
    void countsMatchSpec312ForEveryHeadSize() throws IOException {
        Map<String, Long> c60 = Pcm3Presets.parameterCounts(preset("pcm3-ntu60-xsub"));
        assertThat(c60.get("gru")).isEqualTo(44_998_656L);
        assertThat(c60.get("encoder")).isEqualTo(49_457_580L);
        assertThat(c60.get("prompts")).isEqualTo(1_112L);
        assertThat(c60.get("pretrain_total")).isEqualTo(54_000_282L);
        assertThat(c60.get("linear_model")).isEqualTo(45_121_896L);
        assertThat(Pcm3Presets.parameterCounts(preset("pcm3-ntu120-xsub")).get("linear_model")).isEqualTo(45_244_836L);
        assertThat(Pcm3Presets.parameterCounts(preset("pcm3-ntu120-xset")).get("linear_head")).isEqualTo(2048L * 120 + 120);
        Map<String, Long> c51 = Pcm3Presets.parameterCounts(preset("pcm3-pku2-xsub"));
        assertThat(c51.get("linear_model")).isEqualTo(45_103_455L);
        assertThat(c51.get("linear_head")).isEqualTo(2048L * 51 + 51);
        assertThat(Pcm3Presets.parameterCounts(preset("pcm3-ntu60-xview"))).isEqualTo(c60);
    }

    @Test
    void overridesChangeTheCounts() throws IOException {
        Map<String, Long> two = Pcm3Presets.parameterCounts(preset("pcm3-ntu60-xsub", "model.layers=2"));
        long layer3 = 2L * 3 * 1024 * (2048 + 1024 + 2); // both directions of a layer with 2048 inputs
        assertThat(two.get("gru")).isEqualTo(44_998_656L - layer3);
        assertThat(two.get("pretrain_total")).isEqualTo(54_000_282L - layer3);
        Map<String, Long> small = Pcm3Presets.parameterCounts(preset("pcm3-small"));
        assertThat(small.get("prompts")).isEqualTo(4L * 150 + 4 * 32);
        assertThat(small.get("linear_head")).isEqualTo(256L * 28 + 28);
        assertThat(small.get("pretrain_total")).isEqualTo(small.get("encoder") + small.get("decoder_linear")
                + small.get("decoder") + small.get("prompts"));
    }

    @Test
    void badValuesAndUnknownKeysNameTheKey() throws IOException {
        assertThatThrownBy(() -> preset("pcm3-ntu60-xsub", "pretrain.stream=bones"))
                .hasMessageContaining("bones").hasMessageContaining("motion");
        assertThatThrownBy(() -> preset("pcm3-ntu60-xsub", "moco.momentum=1.5")).hasMessageContaining("moco.momentum");
        assertThatThrownBy(() -> preset("pcm3-ntu60-xsub", "pretrain.milestones=[300, 200]"))
                .hasMessageContaining("increasing");
        ObjectNode tree = ConfigTree.preset("pcm3-ntu60-xsub");
        ((ObjectNode) tree.get("moco")).put("queue_size", 3);
        assertThatThrownBy(() -> Pcm3Presets.fromTree(tree)).hasMessageContaining("unknown key 'moco.queue_size'");
        assertThatThrownBy(() -> Pcm3Presets.fromTree(ConfigTree.preset("mamp-small"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theOfficialPresetsLeaveTheSmallBatchOptionsOffAndPcm3SmallTurnsThemOn() throws IOException {
        for (String name : List.of("pcm3-ntu60-xsub", "pcm3-ntu60-xview", "pcm3-ntu120-xsub", "pcm3-ntu120-xset",
                "pcm3-pku2-xsub")) {
            Pcm3Settings.Pretrain pt = preset(name).pretrain();
            assertThat(pt.clipGradNorm()).as(name).isZero();
            assertThat(pt.warmupEpochs()).as(name).isZero();
            assertThat(pt.lrReferenceBatch()).as(name).isZero();
            assertThat(pt.effectiveLr()).as(name).isEqualTo(0.02);
            assertThat(pt.schedule().at(0, 0, 313)).as(name + ": no warm-up").isEqualTo(0.02);
            assertThat(pt.divergence().rollbacks()).as(name).isEqualTo(3);
            assertThat(pt.divergence().lrFactor()).as(name).isEqualTo(0.5);
            assertThat(pt.divergence().lossFactor()).as(name).isZero();
        }
        Pcm3Settings.Pretrain small = preset("pcm3-small").pretrain();
        assertThat(small.lr()).isEqualTo(0.04);
        assertThat(small.lrReferenceBatch()).isEqualTo(128);
        assertThat(small.effectiveLr()).as("0.04 x 16 / 128, the rate the demo was calibrated at")
                .isCloseTo(0.005, within(1e-15));
        assertThat(small.clipGradNorm()).isEqualTo(20.0);
        assertThat(small.warmupEpochs()).isEqualTo(1.0);
        // 105 steps per epoch on the demo: step 0 gets 1/105 of the rate, the end of epoch 0 all of it
        assertThat(small.schedule().at(0, 0, 105)).isCloseTo(0.005 / 105, within(1e-15));
        assertThat(small.schedule().at(0, 104, 105)).isCloseTo(0.005, within(1e-15));
        assertThat(small.schedule().at(16, 0, 105)).isCloseTo(0.0005, within(1e-15));
    }

    @Test
    void theLearningRateScalesLinearlyWithTheBatchWhenAReferenceBatchIsSet() throws IOException {
        assertThat(preset("pcm3-small", "pretrain.batch_size=64").pretrain().effectiveLr()).isCloseTo(0.02, within(1e-15));
        assertThat(preset("pcm3-small", "pretrain.batch_size=256", "moco.queue=1024").pretrain().effectiveLr())
                .isCloseTo(0.08, within(1e-15));
        assertThat(preset("pcm3-small", "pretrain.lr_reference_batch=0").pretrain().effectiveLr()).isEqualTo(0.04);
        assertThat(preset("pcm3-ntu60-xsub", "pretrain.lr_reference_batch=128", "pretrain.batch_size=16")
                .pretrain().effectiveLr()).isCloseTo(0.0025, within(1e-15));
    }

    @Test
    void badSmallBatchAndGuardSettingsNameTheKey() throws IOException {
        assertThatThrownBy(() -> preset("pcm3-small", "pretrain.clip_grad_norm=-1"))
                .hasMessageContaining("pretrain.clip_grad_norm must be a finite number >= 0").hasMessageContaining("-1");
        assertThatThrownBy(() -> preset("pcm3-small", "pretrain.clip_grad_norm=.inf"))
                .hasMessageContaining("pretrain.clip_grad_norm");
        assertThatThrownBy(() -> preset("pcm3-small", "pretrain.warmup_epochs=-0.5"))
                .hasMessageContaining("pretrain.warmup_epochs must be a finite number >= 0");
        assertThatThrownBy(() -> preset("pcm3-small", "pretrain.lr_reference_batch=-128"))
                .hasMessageContaining("pretrain.lr_reference_batch must be >= 0");
        assertThatThrownBy(() -> preset("pcm3-small", "pretrain.lr_reference_batch=12.5"))
                .hasMessageContaining("pretrain.lr_reference_batch");
        assertThatThrownBy(() -> preset("pcm3-small", "pretrain.divergence_lr_factor=2"))
                .hasMessageContaining("pretrain.divergence_lr_factor must lie in (0, 1)");
        assertThatThrownBy(() -> preset("pcm3-small", "pretrain.divergence_rollbacks=-1"))
                .hasMessageContaining("pretrain.divergence_rollbacks must be >= 0");
        assertThatThrownBy(() -> preset("pcm3-small", "pretrain.divergence_loss_factor=0.5"))
                .hasMessageContaining("pretrain.divergence_loss_factor");
        assertThatThrownBy(() -> preset("pcm3-small", "pretrain.collapse_std_fraction=1"))
                .hasMessageContaining("pretrain.collapse_std_fraction must lie in [0, 1)");
    }

    @Test
    void aRunSavedBeforeTheOptionsExistedResolvesWithThemOff() throws IOException {
        ObjectNode tree = ConfigTree.preset("pcm3-small");
        ObjectNode pt = (ObjectNode) tree.get("pretrain");
        for (String k : List.of("lr_reference_batch", "warmup_epochs", "clip_grad_norm", "divergence_rollbacks",
                "divergence_lr_factor", "divergence_loss_factor", "collapse_std_fraction", "precision")) {
            pt.remove(k);
        }
        pt.put("lr", 0.005);
        Pcm3Settings.Pretrain s = Pcm3Presets.fromTree(tree).pretrain();
        assertThat(s.effectiveLr()).isEqualTo(0.005);
        assertThat(s.clipGradNorm()).isZero();
        assertThat(s.warmupEpochs()).isZero();
        assertThat(s.divergence().rollbacks()).isEqualTo(3);
        assertThat(tree.path("pretrain").path("clip_grad_norm").asDouble(-1)).as("written back for config.yaml").isZero();
    }
}

