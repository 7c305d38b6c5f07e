package io.skeletonssl.eval;

import io.skeletonssl.api.SequenceEncoder;
import io.skeletonssl.loader.ClipSource;
import io.skeletonssl.transforms.Transform;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Features reach KNN and the probes only when finite. */
class FeatureExtractorTest {

    private static final int T = 4;
    private static final int V = 2;

    /** Clip i holds the value i everywhere. */
    private static ClipSource clips(int n) {
        return new ClipSource() {
            public int size() {
                return n;
            }

            public int frames() {
                return T;
            }

            public int joints() {
                return V;
            }

            public int persons() {
                return 1;
            }

            public void read(int i, float[] dst, int off) {
                Arrays.fill(dst, off, off + sampleSize(), i);
            }

            public int validFrames(int i) {
                return T;
            }

            public int label(int i) {
                return i % 2;
            }
        };
    }

    /** Feature = (first value, its square); the clip whose value is {@code poisoned} encodes to (NaN, +Inf). */
    private static SequenceEncoder encoder(float poisoned) {
        return new SequenceEncoder() {
            public String method() {
                return "fake";
            }

            public int frames() {
                return T;
            }

            public int joints() {
                return V;
            }

            public int persons() {
                return 1;
            }

            public int featureDim() {
                return 2;
            }

            public float[][] encode(float[] batch, int n) {
                float[][] out = new float[n][];
                for (int i = 0; i < n; i++) {
                    float x = batch[i * clipSize()];
                    out[i] = x == poisoned ? new float[] {Float.NaN, Float.POSITIVE_INFINITY} : new float[] {x, x * x};
                }
                return out;
            }

            public String source() {
                return "test";
            }

            public void close() {
            }
        };
    }

    @Test
    void finiteFeaturesComeBackInOrder() {
        Features f = new FeatureExtractor(encoder(-1), 2).extract(clips(70), "split 'train'", Transform.identity(),
                0, 0, null);
        assertThat(f.size()).isEqualTo(70);
        assertThat(f.rows()[69]).containsExactly(69f, 69f * 69f);
        assertThat(f.labels()[69]).isEqualTo(1);
    }

    @Test
    void aNonFiniteFeatureIsAnErrorNamingTheClip() {
        assertThatThrownBy(() -> new FeatureExtractor(encoder(66), 2).extract(clips(70), "split 'train'",
                Transform.identity(), 0, 0, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("split 'train': the encoder gave 2 non-finite feature values (NaN/Inf) of 2 for clip 66;"
                        + " no result can be computed from them");
    }
}
