package io.skeletonssl.eval;

import io.skeletonssl.layout.Layouts;
import io.skeletonssl.layout.SkeletonLayout;
import io.skeletonssl.transforms.Clip;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RawEncoderTest {

    static final PrintStream LOG = new PrintStream(new ByteArrayOutputStream());

    /** A clip whose value at (c, t, v, m) is 1000c + 100t + 10v + m. */
    static float[] known(int t, int v, int m) {
        float[] d = new float[3 * t * v * m];
        for (int c = 0; c < 3; c++) {
            for (int f = 0; f < t; f++) {
                for (int j = 0; j < v; j++) {
                    for (int p = 0; p < m; p++) {
                        d[((c * t + f) * v + j) * m + p] = 1000 * c + 100 * f + 10 * j + p;
                    }
                }
            }
        }
        return d;
    }

    @Test
    void theFeatureIsTheClipResampledAndFlattened() {
        RawEncoder enc = new RawEncoder(4, 2, 3, 2);
        assertThat(enc.method()).isEqualTo("raw");
        assertThat(enc.frames()).as("what the transforms give").isEqualTo(4);
        assertThat(enc.featureDim()).isEqualTo(3 * 2 * 3 * 2);
        float[] a = known(4, 3, 2);
        float[] b = a.clone();
        for (int i = 0; i < b.length; i++) {
            b[i] = -b[i];
        }
        float[] batch = new float[2 * a.length];
        System.arraycopy(a, 0, batch, 0, a.length);
        System.arraycopy(b, 0, batch, a.length, b.length);
        float[][] f = enc.encode(batch, 2);
        assertThat(f).hasNumberOfRows(2);
        // 4 -> 2 frames with half-pixel centres: output frame k is the mean of input frames 2k and 2k + 1
        float[] expected = new float[enc.featureDim()];
        int i = 0;
        for (int c = 0; c < 3; c++) {
            for (int k = 0; k < 2; k++) {
                for (int v = 0; v < 3; v++) {
                    for (int m = 0; m < 2; m++) {
                        expected[i++] = 1000 * c + 100 * (2 * k + 0.5f) + 10 * v + m;
                    }
                }
            }
        }
        assertThat(f[0]).containsExactly(expected);
        for (int j = 0; j < expected.length; j++) {
            expected[j] = -expected[j];
        }
        assertThat(f[1]).containsExactly(expected);
    }

    @Test
    void atTheTransformsFrameCountTheFeatureIsTheClipItself() {
        RawEncoder enc = new RawEncoder(5, 5, 2, 1);
        float[] a = known(5, 2, 1);
        assertThat(enc.encode(a, 1)[0]).containsExactly(a);
        assertThat(enc.source()).contains("raw coordinates, no weights", "= 30");
        assertThatThrownBy(() -> enc.encode(new float[10], 1)).hasMessageContaining("fewer than 1 clips of 30");
        assertThatThrownBy(() -> new RawEncoder(0, 5, 2, 1)).hasMessageContaining("must be >= 1");
    }

    @Test
    void openedFromAPresetItTakesThePresetsTransformsAndAStandardisingHead() throws Exception {
        SkeletonLayout msr = Layouts.msr20();
        try (Encoders.Loaded mamp = Encoders.open("raw", "mamp-small", List.of("raw.frames=8",
                "linear_probe.epochs=3"), msr, 1, LOG)) {
            assertThat(mamp.encoder()).isInstanceOf(RawEncoder.class);
            assertThat(mamp.encoder().frames()).isEqualTo(32);
            assertThat(mamp.encoder().featureDim()).isEqualTo(3 * 8 * 20);
            assertThat(mamp.config().path("data").path("joints").asInt()).isEqualTo(20);
            assertThat(mamp.config().path("data").path("persons").asInt()).isEqualTo(1);
            assertThat(mamp.metrics()).containsEntry("encoder", "raw").containsEntry("raw_frames", 8)
                    .containsEntry("raw_feature", "C x T x V x M = 3 x 8 x 20 x 1 = 480");
            ProbeRecipe r = mamp.probeRecipe();
            assertThat(r.epochs()).isEqualTo(3);
            assertThat(r.headDescription()).isEqualTo("BatchNorm1d(affine=False) + Linear");
            // the test transform is MAMP's centre crop to 32 frames
            Clip c = Clip.of(known(50, 20, 1), 50, 20, 1);
            Clip t = mamp.testTransform().apply(c, new SplittableRandom(0));
            assertThat(t.frames()).isEqualTo(32);
            assertThat(mamp.encoder().encode(t.data(), 1)[0]).hasSize(480);
        }
        try (Encoders.Loaded pcm3 = Encoders.open("raw", "pcm3-small", List.of(), msr, 1, LOG)) {
            assertThat(pcm3.encoder().featureDim()).as("default: the preset's 32 frames").isEqualTo(3 * 32 * 20);
            assertThat(ProbeRecipe.of(pcm3.config()).hasBatchNorm()).as("PCM3's own head").isFalse();
            assertThat(pcm3.probeRecipe().hasBatchNorm()).isTrue();
            assertThat(pcm3.probeRecipe().batchNormEps()).isEqualTo(RawEncoder.BN_EPS);
            for (double e : new double[]{0, 9.5, 10, 15, 19}) { // PCM3's step decay, milestones 10 and 15
                assertThat(pcm3.probeRecipe().schedule().at(e)).isEqualTo(ProbeRecipe.of(pcm3.config()).schedule().at(e));
            }
            assertThat(pcm3.probeRecipe().schedule().at(16)).isCloseTo(0.001, org.assertj.core.data.Offset.offset(1e-12));
        }
        assertThatThrownBy(() -> Encoders.open("raw", null, List.of(), msr, 1, LOG))
                .hasMessageContaining("--checkpoint raw needs --preset");
        assertThatThrownBy(() -> Encoders.open("raw", "mamp-small", List.of("raw.frames=-2"), msr, 1, LOG))
                .hasMessageContaining("raw.frames must be a whole number >= 1");
        assertThatThrownBy(() -> Encoders.open("raw", "mamp-small", List.of("raw.size=3"), msr, 1, LOG))
                .hasMessageContaining("raw.size");
        assertThatThrownBy(() -> Encoders.resolve("raw", "mamp-small", List.of(), msr, 1, LOG))
                .hasMessageContaining("no weights to fine-tune").hasMessageContaining("--checkpoint random");
        assertThat(Encoders.isNamed("raw")).isTrue();
        assertThat(Encoders.isNamed("random")).isTrue();
        assertThat(Encoders.isNamed("runs/a")).isFalse();
    }
}
