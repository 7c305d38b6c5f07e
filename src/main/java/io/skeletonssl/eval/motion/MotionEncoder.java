package io.skeletonssl.eval.motion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import io.skeletonssl.api.SequenceEncoder;

/**
 * The encoder as motion prediction sees it: clips in, a feature row per clip out, either frozen
 * (no parameters to train, no gradient) or trainable ({@code --finetune}).
 */
public interface MotionEncoder extends AutoCloseable {

    int featureDim();

    /**
     * Features (n, featureDim) on {@code m} of {@code n} clips (3, T, V, M) stored one after the
     * other; recorded for backward when the encoder is trainable and {@code training} is set.
     */
    NDArray features(NDManager m, float[] clips, int n, boolean training);

    /** What the optimiser updates: empty for a frozen encoder. */
    PairList<String, Parameter> trainableParameters();

    @Override
    void close();

    /** A frozen encoder: its features are constants to the decoder. */
    static MotionEncoder frozen(SequenceEncoder encoder) {
        return new MotionEncoder() {
            @Override
            public int featureDim() {
                return encoder.featureDim();
            }

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

            @Override
            public void close() {
                // the encoder belongs to the caller
            }
        };
    }
}
