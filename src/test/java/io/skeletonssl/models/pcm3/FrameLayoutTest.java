package io.skeletonssl.models.pcm3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.skeletonssl.engine.Engines;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FrameLayoutTest {

    @Test
    void flattensJointMajorThenCoordinateThenPerson() {
        // N 1, T 2, V 2, M 2: value = 1000·t + 100·v + 10·c + m, so each entry names its own position
        float[] clip = new float[3 * 2 * 2 * 2];
        for (int c = 0; c < 3; c++) {
            for (int t = 0; t < 2; t++) {
                for (int v = 0; v < 2; v++) {
                    for (int m = 0; m < 2; m++) {
                        clip[((c * 2 + t) * 2 + v) * 2 + m] = 1000 * t + 100 * v + 10 * c + m;
                    }
                }
            }
        }
        FrameLayout layout = new FrameLayout(2, 2);
        try (NDManager mgr = Engines.cpu().newManager()) {
            NDArray frames = layout.flatten(mgr.create(clip, new Shape(1, 3, 2, 2, 2)));
            assertThat(frames.getShape()).isEqualTo(new Shape(1, 2, 12));
            assertThat(frames.toFloatArray()).containsExactly(
                    0, 1, 10, 11, 20, 21, 100, 101, 110, 111, 120, 121,
                    1000, 1001, 1010, 1011, 1020, 1021, 1100, 1101, 1110, 1111, 1120, 1121);
            assertThat(layout.unflatten(frames).toFloatArray()).containsExactly(clip);
        }
        // the NTU order v·6 + c·2 + m
        FrameLayout ntu = new FrameLayout(25, 2);
        assertThat(ntu.channels()).isEqualTo(150);
        assertThat(ntu.index(24, 2, 1)).isEqualTo(149);
        assertThat(ntu.index(3, 1, 0)).isEqualTo(3 * 6 + 2);
    }

    @Test
    void rejectsClipsOfTheWrongShape() {
        FrameLayout layout = new FrameLayout(25, 2);
        try (NDManager mgr = Engines.cpu().newManager()) {
            assertThatThrownBy(() -> layout.flatten(mgr.zeros(new Shape(2, 3, 4, 25, 1))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("PCM3 expects a clip (N, 3, T, 25, 2) with N, T >= 1, got (2, 3, 4, 25, 1)");
            assertThatThrownBy(() -> layout.unflatten(mgr.zeros(new Shape(2, 4, 149))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(N, T, 150)");
        }
    }
}
