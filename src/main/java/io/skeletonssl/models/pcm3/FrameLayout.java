package io.skeletonssl.models.pcm3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The per-frame vector of PCM3 (§3.3): a clip (N, 3, T, V, M) becomes (N, T, 3·V·M) with the value of
 * joint v, coordinate c, person m at index {@code v·3M + c·M + m} (v·6 + c·2 + m for two persons).
 * Reconstruction targets and masks use the same order.
 */
public final class FrameLayout {

    private final int joints;
    private final int persons;

    public FrameLayout(int joints, int persons) {
        if (joints <= 0 || persons <= 0) {
            throw new IllegalArgumentException("joints and persons must be positive, got " + joints + ", " + persons);
        }
        this.joints = joints;
        this.persons = persons;
    }

    /** Values per frame, 3·V·M. */
    public int channels() {
        return 3 * joints * persons;
    }

    /** Position of (joint v, coordinate c, person m) in a frame vector. */
    public int index(int v, int c, int m) {
        return v * 3 * persons + c * persons + m;
    }

    /** (N, 3, T, V, M) → (N, T, 3·V·M). */
    public NDArray flatten(NDArray clip) {
        Shape s = clip.getShape();
        if (s.dimension() != 5 || s.get(0) < 1 || s.get(1) != 3 || s.get(2) < 1 || s.get(3) != joints
                || s.get(4) != persons) {
            throw new IllegalArgumentException("PCM3 expects a clip (N, 3, T, " + joints + ", " + persons
                    + ") with N, T >= 1, got " + s);
        }
        return clip.transpose(0, 2, 3, 1, 4).reshape(new Shape(s.get(0), s.get(2), channels()));
    }

    /** (N, T, 3·V·M) → (N, 3, T, V, M), the inverse of {@link #flatten}. */
    public NDArray unflatten(NDArray frames) {
        Shape s = frames.getShape();
        if (s.dimension() != 3 || s.get(2) != channels()) {
            throw new IllegalArgumentException("expected frame vectors (N, T, " + channels() + "), got " + s);
        }
        return frames.reshape(new Shape(s.get(0), s.get(1), joints, 3, persons)).transpose(0, 3, 1, 2, 4);
    }
}
