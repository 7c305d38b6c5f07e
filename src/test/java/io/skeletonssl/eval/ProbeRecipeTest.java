package io.skeletonssl.eval;

import io.skeletonssl.training.ConfigTree;
import io.skeletonssl.training.StepDecay;
import io.skeletonssl.training.WarmupCosine;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The probe recipe each method's configuration gives (§2.9 MAMP, §3.13 PCM3). */
class ProbeRecipeTest {

    @Test
    void pcm3PresetGivesTheOfficialLinearEvaluation() throws Exception {
        ProbeRecipe r = ProbeRecipe.of(ConfigTree.resolve("pcm3-ntu60-xsub", null, List.of()));
        assertThat(r.hasBatchNorm()).isFalse();
        assertThat(r.headDescription()).isEqualTo("Linear");
        assertThat(r.epochs()).isEqualTo(100);
        assertThat(r.batchSize()).isEqualTo(1024);
        assertThat(r.momentum()).isEqualTo(0.9);
        assertThat(r.weightDecay()).isZero();
        assertThat(r.featureViews()).isZero();
        assertThat(r.schedule()).isInstanceOf(StepDecay.class);
        // lr 0.1, × 0.1 at epochs 20, 50 and 80, constant within an epoch
        assertThat(r.schedule().at(0)).isEqualTo(0.1);
        assertThat(r.schedule().at(19.99)).isEqualTo(0.1);
        assertThat(r.schedule().at(20)).isCloseTo(0.01, within(1e-15));
        assertThat(r.schedule().at(49.5)).isCloseTo(0.01, within(1e-15));
        assertThat(r.schedule().at(50)).isCloseTo(0.001, within(1e-15));
        assertThat(r.schedule().at(80)).isCloseTo(1e-4, within(1e-15));
        assertThat(r.schedule().at(99)).isCloseTo(1e-4, within(1e-15));
    }

    @Test
    void mampKeepsItsBatchNormHeadAndCosine() throws Exception {
        ProbeRecipe r = ProbeRecipe.of(ConfigTree.resolve("mamp-small", null, List.of()));
        assertThat(r.hasBatchNorm()).isTrue();
        assertThat(r.batchNormEps()).isEqualTo(1e-6);
        assertThat(r.schedule()).isInstanceOf(WarmupCosine.class);
    }

    @Test
    void badValuesAreErrorsNamingTheKey() throws Exception {
        assertThatThrownBy(() -> ProbeRecipe.of(ConfigTree.resolve("pcm3-small", null,
                List.of("linear_probe.feature_views=-1")))).hasMessageContaining("linear_probe.feature_views");
        assertThatThrownBy(() -> ProbeRecipe.of(ConfigTree.resolve("pcm3-small", null,
                List.of("linear_probe.milestones=[5, 3]")))).hasMessageContaining("milestones must be increasing");
    }
}
