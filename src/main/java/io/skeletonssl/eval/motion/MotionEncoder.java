package io.skeletonssl.eval.motion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import io.skeletonssl.api.SequenceEncoder;
import io.skeletonssl.eval.finetune.TrainableEncoder;

import java.util.Random;

/**
 * The encoder as motion prediction sees it: clips (3, T, V, M) in, a feature row per clip out,
 * either frozen (nothing to train, no gradient) or trainable ({@code --finetune}).
 */
public interface MotionEncoder extends AutoCloseable {

    String method();

    /** Where the weights came from. */
    String source();

    /** Frames T of an input clip. */
    int frames();

    /** Values of one input clip: 3·T·V·M. */
    int clipSize();

    int featureDim();

    /**
     * Features (n, featureDim) on {@code m} of {@code n} clips stored one after the other;
     * recorded for backward when the encoder is trainable and {@code training} is set.
     */
    NDArray features(NDManager m, float[] clips, int n, boolean training);

    /** What the optimiser updates: empty for a frozen encoder. */
    PairList<String, Parameter> trainableParameters();

    @Override
    void close();

    /** A frozen encoder: its features are constants to the decoder. */
    static MotionEncoder frozen(SequenceEncoder encoder) {
        return new Described(encoder.method(), encoder.source(), encoder.frames(), encoder.clipSize(),
                encoder.featureDim(), encoder) {
            @Override
            public NDArray features(NDManager m, float[] clips, int n, boolean training) {
                float[][] rows = encoder.encode(clips, n);
                int d = encoder.featureDim();
                float[] flat = new float[n * d];
                for (int i = 0; i < n; i++) {
                    System.arraycopy(rows[i], 0, flat, i * d, d);
                }
                return m.create(flat, new Shape(n, d));
            }

            @Override
            public PairList<String, Parameter> trainableParameters() {
                return new PairList<>();
            }
        };
    }

    /** A trained encoder ({@code --finetune}); {@code seed} drives its stochastic parts (drop path). */
    static MotionEncoder trainable(TrainableEncoder encoder, long seed) {
        Random rng = new Random(seed);
        Shape clip = new Shape(3, encoder.frames(), encoder.joints(), encoder.persons());
        return new Described(encoder.method(), encoder.source(), encoder.frames(), (int) clip.size(),
                encoder.featureDim(), encoder) {
            @Override
            public NDArray features(NDManager m, float[] clips, int n, boolean training) {
                NDArray x = m.create(clips, new Shape(n).addAll(clip));
                return encoder.pooled(x, training, training ? rng : null);
            }

            @Override
            public PairList<String, Parameter> trainableParameters() {
                return new PairList<>(encoder.trainableParameters());
            }
        };
    }

    /** The fixed facts of an encoder, and the weights to free on close. */
    abstract class Described implements MotionEncoder {
        private final String method;
        private final String source;
        private final int frames;
        private final int clipSize;
        private final int featureDim;
        private final AutoCloseable weights;

        Described(String method, String source, int frames, int clipSize, int featureDim, AutoCloseable weights) {
            this.method = method;
            this.source = source;
            this.frames = frames;
            this.clipSize = clipSize;
            this.featureDim = featureDim;
            this.weights = weights;
        }

        @Override
        public String method() {
            return method;
        }

        @Override
        public String source() {
            return source;
        }

        @Override
        public int frames() {
            return frames;
        }

        @Override
        public int clipSize() {
            return clipSize;
        }

        @Override
        public int featureDim() {
            return featureDim;
        }

        @Override
        public void close() {
            try {
                weights.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the encoder failed", e);
            }
        }
    }
}
