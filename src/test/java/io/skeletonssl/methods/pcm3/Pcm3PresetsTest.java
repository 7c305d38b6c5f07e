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
}
