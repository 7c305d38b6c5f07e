package io.skeletonssl.models.pcm3;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import io.skeletonssl.engine.Engines;
import io.skeletonssl.models.pcm3.Pcm3Config.GruMode;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Pcm3ConfigTest {

    @Test
    void officialCountsFromTheConfig() {
        Pcm3Config ntu = Pcm3Config.ntu(GruMode.OFFICIAL);
        assertThat(ntu.channels()).isEqualTo(150);
        assertThat(ntu.featureDim()).isEqualTo(2048);
        assertThat(ntu.gruParameterCount()).isEqualTo(44_998_656L);
        assertThat(ntu.inputNormParameterCount()).isEqualTo(300L);
        assertThat(ntu.encoderParameterCount()).isEqualTo(49_457_580L);
        assertThat(ntu.decoderLinearParameterCount()).isEqualTo(1_312_768L);
        assertThat(ntu.decoderGruParameterCount()).isEqualTo(3_228_822L);
    }

    @Test
    void officialCountsFromTheModelsParameterShapesWithoutAllocating() {
        // shapes are fixed at construction; nothing is initialised here
        for (GruMode mode : GruMode.values()) {
            Map<String, Long> enc = new Pcm3Encoder(Pcm3Config.ntu(mode)).parameterCounts();
            assertThat(enc).containsEntry("gru", 44_998_656L).containsEntry("input_norm", 300L)
                    .containsEntry("total", 49_457_580L);
            Map<String, Long> dec = new Pcm3Decoder(Pcm3Config.ntu(mode)).parameterCounts();
            assertThat(dec).containsEntry("linear", 1_312_768L).containsEntry("dec", 3_228_822L);
        }
    }

    @Test
    void configCountsAgreeWithInitialisedParameterArrays() {
        Pcm3Config cfg = new Pcm3Config(3, 2, 5, 2, GruMode.BIDIRECTIONAL, 7, 4, 6, 3);
        Pcm3Encoder enc = new Pcm3Encoder(cfg);
        Pcm3Decoder dec = new Pcm3Decoder(cfg);
        try (NDManager m = Engines.cpu().newManager()) {
            enc.initializeSeeded(m, 1);
            dec.initializeSeeded(m, 2);
            assertThat(arraySizes(enc.namedParameters(), "gru.")).isEqualTo(cfg.gruParameterCount());
            assertThat(arraySizes(enc.namedParameters(), "input_norm.")).isEqualTo(cfg.inputNormParameterCount());
            assertThat(arraySizes(enc.namedParameters(), "")).isEqualTo(cfg.encoderParameterCount());
            assertThat(arraySizes(dec.namedParameters(), "linear.")).isEqualTo(cfg.decoderLinearParameterCount());
            assertThat(arraySizes(dec.namedParameters(), "dec.")).isEqualTo(cfg.decoderGruParameterCount());
        }
    }

    /** Values in the initialised arrays of trained parameters whose names start with {@code prefix}. */
    private static long arraySizes(Map<String, Parameter> params, String prefix) {
        return params.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix) && e.getValue().requiresGradient())
                .mapToLong(e -> e.getValue().getArray().size())
                .sum();
    }

    @Test
    void rejectsBadSizesWithTheirNames() {
        assertThatThrownBy(() -> new Pcm3Config(25, 0, 1024, 3, GruMode.OFFICIAL, 2048, 128, 512, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("PCM3 persons must be positive, got 0");
        assertThatThrownBy(() -> new Pcm3Config(25, 2, -1, 3, GruMode.OFFICIAL, 2048, 128, 512, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hidden");
        assertThatThrownBy(() -> new Pcm3Config(25, 2, 1024, 3, null, 2048, 128, 512, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gruMode");
        assertThatThrownBy(() -> new Pcm3Config(25, 2, 1024, 3, GruMode.OFFICIAL, 2048, 128, 512, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("decoderLayers");
    }
}
