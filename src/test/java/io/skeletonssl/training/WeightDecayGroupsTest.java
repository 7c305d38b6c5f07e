package io.skeletonssl.training;

import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WeightDecayGroupsTest {

    private static Map<String, Shape> mampLike() {
        Map<String, Shape> m = new LinkedHashMap<>();
        m.put("joints_embed_weight", new Shape(256, 12));
        m.put("joints_embed_bias", new Shape(256));
        m.put("temp_embed", new Shape(1, 30, 1, 256));
        m.put("pos_embed", new Shape(1, 1, 25, 256));
        m.put("mask_token", new Shape(1, 1, 256));
        m.put("blocks.0.norm1.weight", new Shape(256));       // LayerNorm gamma: 1-D
        m.put("blocks.0.attn.qkv.weight", new Shape(768, 256));
        m.put("blocks.0.attn.qkv.bias", new Shape(768));
        m.put("01Linear_bias", new Shape(12));
        m.put("odd_bias", new Shape(2, 2));                   // 2-D but named bias → 0
        m.put("scale", new Shape());                          // 0-D: timm decays it
        m.put("head_weight", new Shape(10, 256));
        return m;
    }

    @Test
    void timmRule() {
        WeightDecayGroups g = WeightDecayGroups.timm(mampLike(), 0.05, Set.of("head_weight"));
        Map<String, Double> d = g.decays();
        assertThat(d.get("joints_embed_weight")).isEqualTo(0.05);
        assertThat(d.get("joints_embed_bias")).isEqualTo(0.0);
        assertThat(d.get("temp_embed")).isEqualTo(0.05);
        assertThat(d.get("pos_embed")).isEqualTo(0.05);
        assertThat(d.get("mask_token")).isEqualTo(0.05);
        assertThat(d.get("blocks.0.norm1.weight")).isEqualTo(0.0);
        assertThat(d.get("blocks.0.attn.qkv.weight")).isEqualTo(0.05);
        assertThat(d.get("blocks.0.attn.qkv.bias")).isEqualTo(0.0);
        assertThat(d.get("01Linear_bias")).isEqualTo(0.0);
        assertThat(d.get("odd_bias")).isEqualTo(0.0);
        assertThat(d.get("scale")).isEqualTo(0.05);
        assertThat(d.get("head_weight")).isEqualTo(0.0);      // skip list
        assertThat(g.decayedCount()).isEqualTo(6);
        assertThat(d.keySet()).containsExactlyElementsOf(mampLike().keySet());
    }

    @Test
    void biasNameMatchingIsNotASubstringMatch() {
        assertThat(WeightDecayGroups.isBias("bias")).isTrue();
        assertThat(WeightDecayGroups.isBias("fc.bias")).isTrue();
        assertThat(WeightDecayGroups.isBias("fc_bias")).isTrue();
        assertThat(WeightDecayGroups.isBias("biasnet_weight")).isFalse();
        assertThat(WeightDecayGroups.isBias("fcbias")).isFalse();
    }

    @Test
    void unknownNameIsAnError() {
        WeightDecayGroups g = WeightDecayGroups.timm(mampLike(), 0.05, Set.of());
        assertThatThrownBy(() -> g.decayOf("nope")).hasMessageContaining("nope");
    }
}
