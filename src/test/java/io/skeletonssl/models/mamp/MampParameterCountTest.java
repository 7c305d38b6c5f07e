package io.skeletonssl.models.mamp;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** §2.8: counts come from the parameter shapes alone, so the full model is built but never initialised. */
class MampParameterCountTest {

    @Test
    void ntu60ModelMatchesOfficialCounts() {
        Map<String, Long> c = new MampModel(MampConfig.ntu60()).parameterCounts();
        assertThat(c).containsEntry("encoder", 6_336_000L)
                .containsEntry("decoder", 2_453_004L)
                .containsEntry("total", 8_789_004L);
    }

    @Test
    void ntu120ModelMatchesOfficialCounts() {
        Map<String, Long> c = new MampModel(MampConfig.ntu120()).parameterCounts();
        assertThat(c).containsEntry("encoder", 6_336_000L)
                .containsEntry("decoder", 4_032_524L)
                .containsEntry("total", 10_368_524L);
    }

    @Test
    void officialNamesAndShapes() {
        MampModel m = new MampModel(MampConfig.ntu60());
        var p = m.namedParameters();
        assertThat(p.get("joints_embed.proj.weight").getShape().getShape()).containsExactly(256, 12);
        assertThat(p.get("joints_embed.proj.bias").getShape().getShape()).containsExactly(256);
        assertThat(p.get("temp_embed").getShape().getShape()).containsExactly(1, 30, 1, 256);
        assertThat(p.get("pos_embed").getShape().getShape()).containsExactly(1, 1, 25, 256);
        assertThat(p.get("blocks.7.attn.qkv.weight").getShape().getShape()).containsExactly(768, 256);
        assertThat(p.get("blocks.0.mlp.fc1.weight").getShape().getShape()).containsExactly(1024, 256);
        assertThat(p.get("decoder_blocks.2.norm2.bias").getShape().getShape()).containsExactly(256);
        assertThat(p.get("decoder_pred.weight").getShape().getShape()).containsExactly(12, 256);
        assertThat(p.get("mask_token").getShape().getShape()).containsExactly(1, 1, 256);
        assertThat(p).doesNotContainKey("blocks.8.norm1.weight").doesNotContainKey("decoder_blocks.3.norm1.weight");
        // 2 embeddings + 2 embed params + 8·12 block params + 2 norm; decoder 2 + 2 embeds + 1 token + 3·12 + 2 + 2
        assertThat(p).hasSize(4 + 96 + 2 + 2 + 3 + 36 + 4);
    }

    @Test
    void encoderParametersAreTheNonDecoderOnes() {
        MampModel m = new MampModel(MampConfig.ntu60());
        var enc = m.encoderParameters();
        assertThat(enc.values().stream().mapToLong(p -> p.getShape().size()).sum()).isEqualTo(6_336_000L);
        assertThat(enc).containsKey("norm.weight").doesNotContainKey("mask_token")
                .doesNotContainKey("decoder_norm.weight");
    }

    @Test
    void otherLayoutsChangeOnlyTheEmbeddings() {
        // V = 20, M = 1: spatial embeddings shrink by 5·256 each (encoder and decoder).
        Map<String, Long> c = new MampModel(MampConfig.ntu60().withLayout(120, 20, 1)).parameterCounts();
        assertThat(c).containsEntry("encoder", 6_336_000L - 5 * 256)
                .containsEntry("decoder", 2_453_004L - 5 * 256);
    }

    @Test
    void visibleTokensFollowTheOfficialDoubleRounding() {
        assertThat(MampConfig.ntu60().tokens()).isEqualTo(750);
        assertThat(MampConfig.ntu60().visibleTokens()).isEqualTo(74);
    }

    @Test
    void badConfigsAreRejected() {
        assertThatThrownBy(() -> MampConfig.ntu60().withLayout(121, 25, 2))
                .hasMessageContaining("frames 121 is not a multiple of segment 4");
        assertThatThrownBy(() -> MampConfig.ntu60().withSizes(250, 8, 8, 256, 3, 8))
                .hasMessageContaining("divisible by heads");
        assertThatThrownBy(() -> MampConfig.ntu60().withMasking(MampConfig.Masking.RANDOM, 0, 1.0))
                .hasMessageContaining("maskRatio");
    }
}
