package io.skeletonssl.methods.pcm3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.skeletonssl.engine.NoGradient;

import java.util.List;
import java.util.SplittableRandom;

/**
 * MoCo's queue of negative keys (spec §3.4): K entries of dimension D, initialised with N(0, 1)
 * entries L2-normalised, filled with each batch's keys at a wrapping pointer.
 *
 * <p>Stored as a (K, D) array (one key per row; the official buffer is its transpose, (D, K)), so
 * the negative logits are {@code q · queueᵀ}. The array lives on the engine in the manager given at
 * construction; it never requires gradient.
 */
public final class MomentumQueue implements AutoCloseable {

    /** A checkpointable copy: K·D floats row-major and the pointer. */
    public record State(int size, int dim, int pointer, float[] entries) {
        public State {
            if (size <= 0 || dim <= 0) {
                throw new IllegalArgumentException("queue state needs positive size and dim, got " + size + "×" + dim);
            }
            if (entries.length != (long) size * dim) {
                throw new IllegalArgumentException("queue state has " + entries.length + " floats, expected "
                        + size + "·" + dim + " = " + (long) size * dim);
            }
            if (pointer < 0 || pointer >= size) {
                throw new IllegalArgumentException("queue pointer " + pointer + " outside 0.." + (size - 1));
            }
        }
    }

    private final int size;
    private final int dim;
    private final NDArray entries;
    private final boolean owned;
    private int pointer;

    private MomentumQueue(NDManager manager, int size, int dim, float[] values, int pointer) {
        this.size = size;
        this.dim = dim;
        this.entries = manager.create(values, new Shape(size, dim));
        this.owned = true;
        this.pointer = pointer;
    }

    private MomentumQueue(NDArray entries, int pointer) {
        Shape s = entries.getShape();
        if (s.dimension() != 2 || pointer < 0 || pointer >= s.get(0)) {
            throw new IllegalArgumentException("a queue needs (K, D) entries and a pointer in 0..K-1, got " + s
                    + " and " + pointer);
        }
        this.size = Math.toIntExact(s.get(0));
        this.dim = Math.toIntExact(s.get(1));
        this.entries = entries;
        this.owned = false;
        this.pointer = pointer;
    }

    /**
     * A queue over an existing (K, D) array (e.g. a model's saved buffer), written in place; closing
     * it leaves the array alone.
     */
    public static MomentumQueue over(NDArray entries, int pointer) {
        return new MomentumQueue(entries, pointer);
    }

    /** A fresh queue: K rows of seeded N(0, 1) values, each row scaled to unit length. */
    public static MomentumQueue random(NDManager manager, int size, int dim, long seed) {
        if (size <= 0 || dim <= 0) {
            throw new IllegalArgumentException("queue needs positive size and dim, got " + size + "×" + dim);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        float[] values = new float[size * dim];
        for (int k = 0; k < size; k++) {
            double norm = 0;
            for (int d = 0; d < dim; d++) {
                double g = rng.nextGaussian();
                values[k * dim + d] = (float) g;
                norm += g * g;
            }
            float scale = (float) (1 / Math.max(Math.sqrt(norm), 1e-12));
            for (int d = 0; d < dim; d++) {
                values[k * dim + d] *= scale;
            }
        }
        return new MomentumQueue(manager, size, dim, values, 0);
    }

    /** The official queue: 16384 × 128. */
    public static MomentumQueue pcm3(NDManager manager, long seed) {
        return random(manager, 16384, 128, seed);
    }

    /** A queue restored from {@link #export()}. */
    public static MomentumQueue restore(NDManager manager, State state) {
        return new MomentumQueue(manager, state.size(), state.dim(), state.entries().clone(), state.pointer());
    }

    public int size() {
        return size;
    }

    public int dim() {
        return dim;
    }

    public int pointer() {
        return pointer;
    }

    /**
     * The (K, D) queue itself (do not modify; use {@link #enqueue}). Enqueueing writes into it in
     * place, so a loss whose backward runs after an enqueue must use {@link #snapshot} instead.
     */
    public NDArray entries() {
        return entries;
    }

    /** A copy of the (K, D) queue owned by {@code manager} (e.g. the step's), as the official clone().detach(). */
    public NDArray snapshot(NDManager manager) {
        NDArray copy = entries.duplicate();
        copy.attach(manager);
        return copy;
    }

    /**
     * Writes a batch of (B, D) keys at the pointer and advances it by B, wrapping to 0 at K. As in
     * the official code, K must be a multiple of B so a batch never straddles the end.
     */
    public void enqueue(NDArray keys) {
        Shape s = keys.getShape();
        if (s.dimension() != 2 || s.get(1) != dim) {
            throw new IllegalArgumentException("enqueue needs (B, " + dim + ") keys, got " + s);
        }
        int batch = Math.toIntExact(s.get(0));
        if (batch == 0 || size % batch != 0) {
            throw new IllegalArgumentException("queue size " + size + " is not a multiple of the key batch "
                    + batch + " (the official code asserts K % B == 0)");
        }
        try (NoGradient ignored = NoGradient.enter()) {
            entries.set(new NDIndex(pointer + ":" + (pointer + batch)), keys.stopGradient());
        }
        pointer = (pointer + batch) % size;
    }

    /** A host copy of the queue and its pointer, for checkpoints. */
    public State export() {
        return new State(size, dim, pointer, entries.toFloatArray());
    }

    /**
     * The momentum update θ_k ← m·θ_k + (1 − m)·θ_q, in place on the key arrays, without gradient.
     * The lists pair up by position and must have equal shapes.
     */
    public static void momentumUpdate(List<NDArray> keyParams, List<NDArray> queryParams, double momentum) {
        if (keyParams.size() != queryParams.size()) {
            throw new IllegalArgumentException("momentum update: " + keyParams.size() + " key parameters but "
                    + queryParams.size() + " query parameters");
        }
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1], got " + momentum);
        }
        try (NoGradient ignored = NoGradient.enter()) {
            for (int i = 0; i < keyParams.size(); i++) {
                NDArray k = keyParams.get(i);
                NDArray q = queryParams.get(i);
                if (!k.getShape().equals(q.getShape())) {
                    throw new IllegalArgumentException("momentum update: parameter " + i + " has key shape "
                            + k.getShape() + " but query shape " + q.getShape());
                }
                try (NDArray step = q.mul((float) (1 - momentum))) {
                    k.muli((float) momentum).addi(step);
                }
            }
        }
    }

    @Override
    public void close() {
        if (owned) {
            entries.close();
        }
    }
}
