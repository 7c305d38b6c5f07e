package io.skeletonssl.transforms;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CropResizeTest {

    @Test
    void centreCropOfOneHundredFramesDropsTwoAtEachEnd() {
        // b = int((1 − 0.95)·100 / 2) = int(2.5000000000000022) = 2 → frames [2, 98)
        assertThat(CropResize.mampTest().window(100, null)).isEqualTo(new CropResize.Window(2, 96));
        assertThat(CropResize.pcm3Test().window(100, null)).isEqualTo(new CropResize.Window(2, 96));
        // 0.05·300/2 = 7.5000000000000067 → 7; 0.05·40/2 = 1.0000000000000009 → 1; 0.05·39/2 → 0
        assertThat(CropResize.mampTest().window(300, null)).isEqualTo(new CropResize.Window(7, 286));
        assertThat(CropResize.mampTest().window(40, null)).isEqualTo(new CropResize.Window(1, 38));
        assertThat(CropResize.mampTest().window(39, null)).isEqualTo(new CropResize.Window(0, 39));
        assertThat(CropResize.mampTest().window(1, null)).isEqualTo(new CropResize.Window(0, 1));
    }

    @Test
    void randomCropFollowsTheOfficialFormula() {
        CropResize mamp = CropResize.mampTrain();
        // p = 0.5 + u·0.5; length = min(max(floor(L·p), 64), L); start = nextInt(L − length + 1)
        ScriptedRandom r = new ScriptedRandom().withDoubles(0.0).withInts(150);
        assertThat(mamp.window(300, r)).isEqualTo(new CropResize.Window(150, 150));
        r = new ScriptedRandom().withDoubles(0.5).withInts(0);          // p = 0.75 → floor(225) = 225
        assertThat(mamp.window(300, r)).isEqualTo(new CropResize.Window(0, 225));
        r = new ScriptedRandom().withDoubles(0.999).withInts(1);        // p = 0.9995 → floor(299.85) = 299
        assertThat(mamp.window(300, r)).isEqualTo(new CropResize.Window(1, 299));
        r = new ScriptedRandom().withDoubles(0.0).withInts(36);         // floor(100·0.5) = 50 → raised to 64
        assertThat(mamp.window(100, r)).isEqualTo(new CropResize.Window(36, 64));
        assertThat(r.exhausted()).isTrue();
    }

    @Test
    void sixtyFourFramesAreTakenWholeInTraining() {
        ScriptedRandom r = new ScriptedRandom().withDoubles(0.3).withInts(0);
        assertThat(CropResize.mampTrain().window(64, r)).isEqualTo(new CropResize.Window(0, 64));
        r = new ScriptedRandom().withDoubles(0.9).withInts(0);
        assertThat(CropResize.mampTrain().window(40, r)).isEqualTo(new CropResize.Window(0, 40));
    }

    @Test
    void pcm3PretrainingUsesTheTenPercentLowerBound() {
        CropResize pcm3 = CropResize.pcm3Pretrain();
        assertThat(pcm3.low()).isEqualTo(0.1);
        assertThat(pcm3.high()).isEqualTo(1.0);
        assertThat(pcm3.outputLength()).isEqualTo(64);
        // p = 0.1 + 0.9·0.5 = 0.55 → floor(300·0.55) = floor(165.00000000000003) = 165
        ScriptedRandom r = new ScriptedRandom().withDoubles(0.5).withInts(135);
        assertThat(pcm3.window(300, r)).isEqualTo(new CropResize.Window(135, 165));
        // p = 0.1 → floor(30) = 30 → 64
        r = new ScriptedRandom().withDoubles(0.0).withInts(0);
        assertThat(pcm3.window(300, r).length()).isEqualTo(64);
    }

    @Test
    void presetsMatchTheSpec() {
        assertThat(CropResize.mampTrain().outputLength()).isEqualTo(120);
        assertThat(CropResize.mampTrain().minLength()).isEqualTo(64);
        assertThat(CropResize.mampTrain().low()).isEqualTo(0.5);
        assertThat(CropResize.mampTest().centerRatio()).isEqualTo(0.95);
        assertThat(CropResize.mampTest().outputLength()).isEqualTo(120);
        assertThat(CropResize.pcm3Train().low()).isEqualTo(0.5);
        assertThat(CropResize.pcm3Train().outputLength()).isEqualTo(64);
        assertThat(CropResize.pcm3Test().mode()).isEqualTo(CropResize.Mode.CENTER);
        assertThat(CropResize.pcm3Test().outputLength()).isEqualTo(64);
    }

    @Test
    void applyCropsTheValidFramesAndResizes() {
        Clip clip = Clips.random(300, 100, 25, 2, 7);
        Clip out = CropResize.mampTest().apply(clip, null);
        Clip expected = TemporalResize.resize(clip, 2, 96, 120);
        assertThat(out.frames()).isEqualTo(120);
        assertThat(out.data()).containsExactly(expected.data());
        // frames beyond the valid count never enter the crop
        Clip train = CropResize.mampTrain().apply(clip, new ScriptedRandom().withDoubles(0.999).withInts(0));
        assertThat(train.data()).containsExactly(TemporalResize.resize(clip, 0, 99, 120).data());
    }

    @Test
    void clearErrorsForEmptyClipsAndBadSettings() {
        Clip empty = Clips.random(50, 0, 25, 2, 1);
        assertThatThrownBy(() -> CropResize.mampTrain().apply(empty, new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no valid frame");
        assertThatThrownBy(() -> CropResize.random(0.6, 0.5, 64, 120)).hasMessageContaining("0 < low <= high <= 1");
        assertThatThrownBy(() -> CropResize.center(0, 120)).hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> CropResize.random(0.5, 1, 0, 120)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> CropResize.center(0.9, 0)).hasMessageContaining("positive");
    }

    @Test
    void oneValidFrameGivesAConstantWindow() {
        Clip one = Clips.random(10, 1, 25, 2, 3);
        Clip out = CropResize.mampTrain().apply(one, new SplittableRandom(5));
        for (int t = 0; t < 120; t++) {
            assertThat(out.get(1, t, 7, 0)).isEqualTo(one.get(1, 0, 7, 0));
        }
    }

    @Property(tries = 300)
    void randomWindowsLieInTheValidFrames(@ForAll @IntRange(min = 1, max = 300) int valid, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (CropResize crop : new CropResize[]{CropResize.mampTrain(), CropResize.pcm3Pretrain()}) {
            CropResize.Window w = crop.window(valid, r);
            assertThat(w.length()).isBetween(Math.min(64, valid), valid);
            assertThat(w.start()).isGreaterThanOrEqualTo(0);
            assertThat(w.start() + w.length()).isLessThanOrEqualTo(valid);
        }
        CropResize.Window c = CropResize.mampTest().window(valid, null);
        assertThat(c.start() + c.length() + c.start()).isEqualTo(valid);
        assertThat(c.length()).isGreaterThanOrEqualTo(1);
    }
}
