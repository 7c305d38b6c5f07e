package io.skeletonssl.methods.pcm3;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.layout.Layouts;
import io.skeletonssl.transforms.Clip;
import io.skeletonssl.transforms.CropResize;
import io.skeletonssl.transforms.Pipeline;
import io.skeletonssl.transforms.Streams;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The downstream transforms come from the run's configuration, with its input stream after the crop. */
class Pcm3DownstreamTest {

    /** 100 stored frames, 80 of them valid. */
    private static Clip clip() {
        float[] x = new float[3 * 100 * 25 * 2];
        Random r = new Random(4);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return Clip.of(x, 100, 25, 2).withValidFrames(80);
    }

    private static CropResize crop(Pipeline p) {
        return (CropResize) p.steps().stream().filter(s -> s.name().equals("crop-resize")).findFirst().orElseThrow()
                .transform();
    }

    @Test
    void cropsTakeTheConfigValues() throws Exception {
        Pcm3Settings s = Pcm3Downstream.settings(Pcm3RunFixture.tinyTree("linear_probe.crop_min=0.6",
                "linear_probe.crop_max=0.9", "linear_probe.min_frames=20", "linear_probe.test_crop=0.8",
                "knn.test_crop=0.5"));
        CropResize train = crop(Pcm3Downstream.train(s, null));
        assertThat(train.mode()).isEqualTo(CropResize.Mode.RANDOM);
        assertThat(train.low()).isEqualTo(0.6);
        assertThat(train.high()).isEqualTo(0.9);
        assertThat(train.minLength()).isEqualTo(20);
        assertThat(train.outputLength()).isEqualTo(16);
        assertThat(crop(Pcm3Downstream.test(s, null)).centerRatio()).isEqualTo(0.8);
        // KNN: its own centre crop of the valid frames, train and test alike
        Pipeline knn = Pcm3Downstream.retrieval(s, null);
        assertThat(crop(knn).centerRatio()).isEqualTo(0.5);
        assertThat(crop(knn).window(80, null)).isEqualTo(new CropResize.Window(20, 40));
        Clip out = knn.apply(clip(), new SplittableRandom(0));
        assertThat(out.frames()).isEqualTo(16);
        assertThat(Pcm3Downstream.train(s, null).apply(clip(), new SplittableRandom(1)).frames()).isEqualTo(16);
        assertThat(knn.steps()).extracting(Pipeline.Step::name).containsExactly("finite", "crop-resize");
    }

    @Test
    void motionAndBoneStreamsFollowTheCrop() throws Exception {
        Clip c = clip();
        Pcm3Settings joint = Pcm3Downstream.settings(Pcm3RunFixture.tinyTree());
        Clip cropped = Pcm3Downstream.test(joint, null).apply(c, new SplittableRandom(0));

        Pcm3Settings motion = Pcm3Downstream.settings(Pcm3RunFixture.tinyTree("pretrain.stream=motion"));
        assertThat(Pcm3Downstream.test(motion, null).apply(c, new SplittableRandom(0)).data())
                .containsExactly(Streams.motion(cropped).data());

        Pcm3Settings bone = Pcm3Downstream.settings(Pcm3RunFixture.tinyTree("pretrain.stream=bone"));
        assertThat(Pcm3Downstream.retrieval(bone, Layouts.ntu25()).apply(c, new SplittableRandom(0)).data())
                .containsExactly(Streams.bone(Pcm3Downstream.retrieval(joint, null).apply(c, new SplittableRandom(0)),
                        Layouts.ntu25()).data());
        assertThatThrownBy(() -> Pcm3Downstream.train(bone, null)).hasMessageContaining("bone stream needs the skeleton");
        assertThatThrownBy(() -> Pcm3Downstream.train(bone, Layouts.kinectV1()))
                .hasMessageContaining("25-joint").hasMessageContaining("20 joints");
    }

    @Test
    void settingsIgnoreTheRecordedDataPath() throws Exception {
        ObjectNode tree = Pcm3RunFixture.tinyTree();
        tree.with("data").put("path", "/somewhere");
        assertThat(Pcm3Downstream.settings(tree).data().frames()).isEqualTo(16);
        assertThat(tree.path("data").path("path").asText()).isEqualTo("/somewhere"); // the caller's tree is untouched
    }
}
