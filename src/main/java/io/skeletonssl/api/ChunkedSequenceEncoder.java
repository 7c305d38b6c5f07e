package io.skeletonssl.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.skeletonssl.engine.NoGradient;

import java.util.Arrays;

/**
 * The common part of the frozen encoders: the weights live in one manager; {@link #encode} checks
 * the input, splits it into chunks of at most {@link #chunk} clips, and runs each chunk without
 * gradients in its own sub-manager and scope, so memory stays flat over any number of calls.
 * Subclasses only compute the features of one chunk.
 */
public abstract class ChunkedSequenceEncoder implements SequenceEncoder {

    private final NDManager manager;
    private final String source;
    private final int chunk;

    /** {@code manager} holds the weights and is closed with the encoder. */
    protected ChunkedSequenceEncoder(NDManager manager, String source, int chunk) {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be >= 1, got " + chunk);
        }
        this.manager = manager;
        this.source = source;
        this.chunk = chunk;
    }

    /** Features (k, featureDim) of clips {@code x} (k, 3, T, V, M), in evaluation mode. */
    protected abstract NDArray features(NDArray x);

    @Override
    public final String source() {
        return source;
    }

    /** Clips per forward pass. */
    public final int chunk() {
        return chunk;
    }

    @Override
    public final float[][] encode(float[] batch, int n) {
        int size = clipSize();
        if (n < 0 || (long) n * size != batch.length) {
            throw new IllegalArgumentException("expected " + n + " clips of (3, " + frames() + ", " + joints() + ", "
                    + persons() + ") = " + (long) n * size + " values, got " + batch.length);
        }
        float[][] out = new float[n][];
        int dim = featureDim();
        for (int from = 0; from < n; from += chunk) {
            int k = Math.min(chunk, n - from);
            float[] part = k == n ? batch : Arrays.copyOfRange(batch, from * size, (from + k) * size);
            float[] f;
            try (NoGradient ignored = NoGradient.enter(); NDManager m = manager.newSubManager();
                 NDScope scope = new NDScope()) {
                f = features(m.create(part, new Shape(k, 3, frames(), joints(), persons()))).toFloatArray();
            }
            for (int i = 0; i < k; i++) {
                out[from + i] = Arrays.copyOfRange(f, i * dim, (i + 1) * dim);
            }
        }
        return out;
    }

    /** Arrays held by the encoder's manager (the weights): constant across {@link #encode} calls. */
    public final long managedArrays() {
        return manager.getManagedArrays().size();
    }

    @Override
    public void close() {
        manager.close();
    }
}
