package io.skeletonssl.models.mamp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.training.ConfigTree;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MampPresetsTest {

    @Test
    void officialPresetIsTheFaithfulConfiguration() throws Exception {
        MampConfig cfg = MampPresets.fromTree(ConfigTree.resolve("mamp-ntu60-xsub", null, List.of()));
        assertThat(cfg).isEqualTo(MampConfig.ntu60());
        assertThat(MampPresets.fromTree(ConfigTree.resolve("mamp-ntu120-xsub", null, List.of())))
                .isEqualTo(MampConfig.ntu120());
    }

    @Test
    void ablationVariantsAreSelectedByConfigValues() throws Exception {
        ObjectNode tree = ConfigTree.resolve("mamp-ntu60-xsub", null,
                List.of("model.target=joint", "model.input=motion", "masking.kind=random"));
        MampConfig cfg = MampPresets.fromTree(tree);
        assertThat(cfg.target()).isEqualTo(MampConfig.Target.JOINT);
        assertThat(cfg.input()).isEqualTo(MampConfig.Input.MOTION);
        assertThat(cfg.masking()).isEqualTo(MampConfig.Masking.RANDOM);
        assertThat(cfg.uniformMasking()).isTrue();
    }

    @Test
    void nonPositiveTauFallsBackToRandomMasking() throws Exception {
        MampConfig cfg = MampPresets.fromTree(ConfigTree.resolve("mamp-small", null, List.of("masking.tau=0")));
        assertThat(cfg.masking()).isEqualTo(MampConfig.Masking.RANDOM);
    }

    @Test
    void unknownVariantNamesTheAllowedValues() throws Exception {
        ObjectNode tree = ConfigTree.resolve("mamp-small", null, List.of("model.target=bones"));
        assertThatThrownBy(() -> MampPresets.fromTree(tree))
                .hasMessageContaining("'bones'").hasMessageContaining("motion, joint");
    }
}
