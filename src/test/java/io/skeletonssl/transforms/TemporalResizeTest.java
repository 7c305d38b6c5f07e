package io.skeletonssl.transforms;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TemporalResizeTest {

    /** One channel (V = M = 1, c = 0) holding {@code values}; channels 1, 2 hold zeros. */
    private static Clip series(float... values) {
        float[] d = new float[3 * values.length];
        System.arraycopy(values, 0, d, 0, values.length);
        return Clip.of(d, values.length, 1, 1);
    }

    private static float[] channel0(Clip c) {
        float[] out = new float[c.frames()];
        System.arraycopy(c.data(), 0, out, 0, out.length);
        return out;
    }

    @Test
    void tenFramesToFourByHand() {
        // scale 2.5: s = 2.5(i + 0.5) − 0.5 = 0.75, 3.25, 5.75, 8.25 → on the ramp 0..9 the values are s.
        TemporalResize.Weights w = TemporalResize.weights(10, 4);
        assertThat(w.index0()).containsExactly(0, 3, 5, 8);
        assertThat(w.index1()).containsExactly(1, 4, 6, 9);
        assertThat(w.lambda1()).containsExactly(0.75f, 0.25f, 0.75f, 0.25f);
        assertThat(w.lambda0()).containsExactly(0.25f, 0.75f, 0.25f, 0.75f);
        Clip out = TemporalResize.resize(series(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), 0, 10, 4);
        assertThat(channel0(out)).containsExactly(0.75f, 3.25f, 5.75f, 8.25f);
        // x = 10·t²: 0.25·0 + 0.75·10 = 7.5; 0.75·90 + 0.25·160 = 107.5; 0.25·250 + 0.75·360 = 332.5;
        // 0.75·640 + 0.25·810 = 682.5
        float[] sq = new float[10];
        for (int t = 0; t < 10; t++) {
            sq[t] = 10f * t * t;
        }
        assertThat(channel0(TemporalResize.resize(series(sq), 0, 10, 4))).containsExactly(7.5f, 107.5f, 332.5f, 682.5f);
    }

    @Test
    void upsamplingClampsTheLeftEdgeAndRepeatsTheRightEdge() {
        // L = 2 → 5: scale 0.4, s = 0.4(i + 0.5) − 0.5 = −0.3 (→ 0), 0.1, 0.5, 0.9, 1.3 (i1 = i0 = 1).
        Clip out = TemporalResize.resize(series(1, 3), 0, 2, 5);
        assertThat(channel0(out)[0]).isEqualTo(1f);
        assertThat(channel0(out)[1]).isCloseTo(1.2f, within(1e-6f));
        assertThat(channel0(out)[2]).isEqualTo(2f);
        assertThat(channel0(out)[3]).isCloseTo(2.8f, within(1e-6f));
        assertThat(channel0(out)[4]).isEqualTo(3f);
        TemporalResize.Weights w = TemporalResize.weights(2, 5);
        assertThat(w.index0()).containsExactly(0, 0, 0, 0, 1);
        assertThat(w.index1()).containsExactly(1, 1, 1, 1, 1);
    }

    @Test
    void sameLengthCopiesAndOneFrameBecomesAConstant() {
        float[] v = {3.5f, -1f, 7.25f};
        assertThat(channel0(TemporalResize.resize(series(v), 0, 3, 3))).containsExactly(v);
        Clip one = TemporalResize.resize(series(-0.123f), 0, 1, 120);
        for (float f : channel0(one)) {
            assertThat(f).isEqualTo(-0.123f);
        }
    }

    @Test
    void resizesTheRequestedWindowOnly() {
        Clip out = TemporalResize.resize(series(100, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 100), 1, 10, 4);
        assertThat(channel0(out)).containsExactly(0.75f, 3.25f, 5.75f, 8.25f);
        assertThat(out.frames()).isEqualTo(4);
        assertThat(out.validFrames()).isEqualTo(4);
    }

    @Test
    void everyChannelJointAndPersonIsResizedIndependently() {
        Clip clip = Clips.of(10, 3, 2, (c, t, v, m) -> (c + 1) * 100 + v * 10 + m + t);
        Clip out = TemporalResize.resize(clip, 0, 10, 4);
        float[] s = {0.75f, 3.25f, 5.75f, 8.25f};
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 4; i++) {
                for (int v = 0; v < 3; v++) {
                    for (int m = 0; m < 2; m++) {
                        assertThat(out.get(c, i, v, m)).isEqualTo((c + 1) * 100 + v * 10 + m + s[i]);
                    }
                }
            }
        }
    }

    @Test
    void rejectsEmptyAndOutOfRangeWindows() {
        assertThatThrownBy(() -> TemporalResize.weights(0, 120)).hasMessageContaining("0 frames to 120");
        assertThatThrownBy(() -> TemporalResize.resize(series(1, 2, 3), 2, 2, 4))
                .hasMessageContaining("window [2, 4) outside the clip's 3 frames");
        assertThatThrownBy(() -> TemporalResize.resize(series(1, 2, 3), 0, 0, 4)).hasMessageContaining("empty window");
    }

    /**
     * Cross-check against PyTorch itself: src/test/resources/transforms/torch_interpolate_reference.txt
     * holds F.interpolate(mode='bilinear', align_corners=False) outputs written by
     * make_torch_interpolate_reference.py (beside it) with PyTorch 1.13.1 (Debian python3-torch,
     * CPU). MAMP's layout must match bit for bit. For PCM3's layout that build fuses the last
     * multiply-add (checked here bit for bit), so ours may differ by one rounding of x1·λ1.
     */
    @Test
    void matchesPytorchBilinearInterpolation() throws IOException {
        List<String[]> lines = new ArrayList<>();
        try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream(
                "/transforms/torch_interpolate_reference.txt"), "reference file");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    lines.add(line.trim().split(" "));
                }
            }
        }
        assertThat(lines).hasSize(2 * 14 * 2 + 4 * 2);
        int compared = 0;
        for (String[] f : lines) {
            String layout = f[0];
            int length = Integer.parseInt(f[1]);
            int width = Integer.parseInt(f[2]);
            int row = Integer.parseInt(f[3]);
            assertThat(f).hasSize(4 + width);
            float[] src = new float[length];
            for (int t = 0; t < length; t++) {
                src[t] = (float) (((t * 7919L + row * 104729L) % 1009 / 1009.0 - 0.5) * (row == 0 ? 1 : 1000));
            }
            float[] ours = channel0(TemporalResize.resize(series(src), 0, length, width));
            for (int i = 0; i < width; i++) {
                float torch = Float.intBitsToFloat((int) Long.parseLong(f[4 + i], 16));
                String where = layout + " L=" + length + " W=" + width + " row " + row + " i=" + i;
                if (layout.equals("mamp")) {
                    assertThat(Float.floatToIntBits(ours[i])).as(where + ": " + ours[i] + " vs " + torch)
                            .isEqualTo(Float.floatToIntBits(torch));
                } else {
                    // that build computes fma(x0, λ0, float(x1·λ1)): same weights, one rounding less
                    TemporalResize.Weights w = TemporalResize.weights(length, width);
                    float a = src[w.index0()[i]];
                    float b = src[w.index1()[i]];
                    float fused = Math.fma(a, w.lambda0()[i], b * w.lambda1()[i]);
                    assertThat(Float.floatToIntBits(fused)).as(where + " (fused)").isEqualTo(Float.floatToIntBits(torch));
                    assertThat(Math.abs(ours[i] - torch)).as(where)
                            .isLessThanOrEqualTo(Math.ulp(Math.max(Math.abs(a), Math.abs(b))));
                }
                compared++;
            }
        }
        assertThat(compared).isEqualTo(2 * 2 * 14 * (120 + 64) / 2 + 4 * 2 * 64);
    }

    @Property(tries = 200)
    void aConstantStaysConstant(@ForAll @IntRange(min = 1, max = 300) int length,
                                @ForAll @IntRange(min = 1, max = 150) int width,
                                @ForAll @FloatRange(min = -1e6f, max = 1e6f) float value) {
        float[] v = new float[length];
        java.util.Arrays.fill(v, value);
        for (float f : channel0(TemporalResize.resize(series(v), 0, length, width))) {
            assertThat(f).isEqualTo(value);
        }
    }

    @Property(tries = 200)
    void outputStaysWithinTheInputRange(@ForAll @IntRange(min = 1, max = 300) int length,
                                        @ForAll @IntRange(min = 1, max = 150) int width,
                                        @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[length];
        float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
        for (int t = 0; t < length; t++) {
            v[t] = (float) ((r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(7) - 3));
            lo = Math.min(lo, v[t]);
            hi = Math.max(hi, v[t]);
        }
        for (float f : channel0(TemporalResize.resize(series(v), 0, length, width))) {
            assertThat(f).isBetween(lo, hi);
        }
    }

    @Property(tries = 200)
    void aRampStaysLinearInTheInterior(@ForAll @IntRange(min = 2, max = 300) int length,
                                       @ForAll @IntRange(min = 2, max = 150) int width,
                                       @ForAll @FloatRange(min = -10, max = 10) float offset,
                                       @ForAll @FloatRange(min = -2, max = 2) float slope) {
        float[] v = new float[length];
        for (int t = 0; t < length; t++) {
            v[t] = offset + slope * t;
        }
        float[] out = channel0(TemporalResize.resize(series(v), 0, length, width));
        double scale = (double) length / width;
        double tol = 1e-5 * (Math.abs(offset) + Math.abs(slope) * length + 1);
        for (int i = 0; i < width; i++) {
            double s = scale * (i + 0.5) - 0.5;
            if (s >= 0 && s <= length - 1) {
                // interior: y = offset + slope·s (positions clamp only at the edges)
                assertThat((double) out[i]).as("i=" + i).isCloseTo(offset + slope * s, within(tol));
            }
        }
    }
}
