package io.skeletonssl.api;

/**
 * A frozen, pretrained (or randomly initialised) sequence encoder: skeleton clips in, one feature
 * vector per clip out. Implementations run in evaluation mode without recording gradients, and
 * free everything a call allocates before it returns, so memory stays flat over any number of
 * calls. Clips must already have the encoder's frame count (the test-time crop-resize is applied
 * by callers such as {@link Embedder}). Not thread-safe; close it to free the weights.
 */
public interface SequenceEncoder extends AutoCloseable {

    /** Method name, e.g. {@code mamp}. */
    String method();

    /** Frames T per clip. */
    int frames();

    /** Joints V. */
    int joints();

    /** Persons M. */
    int persons();

    /** Length of one feature vector. */
    int featureDim();

    /** Values of one clip: 3·T·V·M. */
    default int clipSize() {
        return 3 * frames() * joints() * persons();
    }

    /**
     * Features of {@code n} clips stored one after the other in (N, 3, T, V, M) order:
     * {@code n} rows of {@link #featureDim()} values.
     */
    float[][] encode(float[] batch, int n);

    /** Where the weights came from (a checkpoint folder, or a random init and its seed). */
    String source();

    @Override
    void close();
}
