package io.skeletonssl.transforms;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PipelineTest {

    @Test
    void mampTrainIsCropResizeThenRotationOnTheRecountedFrames() {
        Clip clip = Clips.random(300, 90, 25, 2, 31).withValidFrames(300);
        Clip out = Pipeline.mampTrain().apply(clip, new SplittableRandom(8));
        // same draws by hand: crop (2 draws) on 90 recounted frames, then the three angles
        SplittableRandom r = new SplittableRandom(8);
        CropResize.Window w = CropResize.mampTrain().window(90, r);
        double[] a = RandomRotation.mamp().drawAngles(r);
        Clip expected = LinearMap.apply(TemporalResize.resize(clip, w.start(), w.length(), 120),
                RandomRotation.matrix(a[0], a[1], a[2]));
        assertThat(out.frames()).isEqualTo(120);
        assertThat(out.data()).containsExactly(expected.data());
        assertThat(Pipeline.mampTrain().steps()).extracting(Pipeline.Step::name)
                .containsExactly("finite", "valid-frames", "crop-resize", "rotate");
    }

    @Test
    void mampTestIsDeterministic() {
        Clip clip = Clips.random(300, 100, 25, 2, 3);
        Clip a = Pipeline.mampTest().apply(clip, new SplittableRandom(1));
        Clip b = Pipeline.mampTest().apply(clip, new SplittableRandom(2));
        assertThat(a.data()).containsExactly(b.data());
        assertThat(a.data()).containsExactly(TemporalResize.resize(clip, 2, 96, 120).data());
    }

    @Test
    void pcm3ViewChoosesCorruptionBelowPElseShear() {
        Clip clip = Clips.random(300, 150, 25, 2, 5);
        int corrupted = 0;
        int sheared = 0;
        for (long seed = 0; seed < 40; seed++) {
            // by hand: crop draws, then u, then the chosen augmentation's draws
            SplittableRandom r = new SplittableRandom(seed);
            CropResize.Window w = CropResize.pcm3Pretrain().window(150, r);
            Clip cropped = TemporalResize.resize(clip, w.start(), w.length(), 64);
            Clip expected;
            if (r.nextDouble() < 0.5) {
                expected = JointCorruption.apply(cropped, JointCorruption.pcm3().draw(25, r));
                corrupted++;
            } else {
                expected = LinearMap.apply(cropped, Shear.pcm3().drawMatrix(r));
                sheared++;
            }
            Clip out = Pipeline.pcm3View(0.5).apply(clip, new SplittableRandom(seed));
            assertThat(out.frames()).isEqualTo(64);
            assertThat(out.data()).containsExactly(expected.data());
        }
        assertThat(corrupted).isPositive();
        assertThat(sheared).isPositive();
    }

    @Test
    void thirdPcm3ViewIsAlwaysShear() {
        Clip clip = Clips.random(100, 100, 25, 2, 6);
        for (long s = 0; s < 50; s++) {
            SplittableRandom r = new SplittableRandom(s);
            CropResize.Window w = CropResize.pcm3Pretrain().window(100, r);
            r.nextDouble();
            double[][] shear = Shear.pcm3().drawMatrix(r);
            Clip expected = LinearMap.apply(TemporalResize.resize(clip, w.start(), w.length(), 64), shear);
            assertThat(Pipeline.pcm3View(-1).apply(clip, new SplittableRandom(s)).data())
                    .containsExactly(expected.data());
        }
    }

    @Test
    void aNonFiniteValueIsReportedWithItsPosition() {
        Clip clip = Clips.random(10, 10, 25, 2, 1);
        clip.data()[clip.index(2, 7, 13, 1)] = Float.NaN;
        assertThatThrownBy(() -> Pipeline.mampTrain().apply(clip, new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("non-finite value NaN at channel 2, frame 7, joint 13, person 1 (expected finite coordinates)");
    }

    @Test
    void transformsNeverModifyTheirInput() {
        Clip clip = Clips.random(120, 120, 25, 2, 12);
        float[] before = clip.data().clone();
        Pipeline.mampTrain().apply(clip, new SplittableRandom(1));
        Pipeline.pcm3View(0.5).apply(clip, new SplittableRandom(2));
        JointCorruption.pcm3().apply(clip, new SplittableRandom(3));
        new Mirror(io.skeletonssl.layout.Layouts.ntu25()).apply(clip, null);
        Streams.motion(clip);
        assertThat(clip.data()).containsExactly(before);
    }
}
