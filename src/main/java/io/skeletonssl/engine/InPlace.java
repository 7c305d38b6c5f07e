package io.skeletonssl.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/**
 * Overwrites an existing array's values in place (a model parameter keeps its identity, its
 * gradient attachment and every reference to it), without gradient recording.
 *
 * <p>DJL's {@code NDArray.set(Buffer)} does the same through a JNI call that enters PyTorch's
 * deprecated {@code AutoNonVariableTypeMode} guard, which prints "AutoNonVariableTypeMode is
 * deprecated and will be removed in 1.10 release" on the console once per process. This copies
 * through an indexed assignment ({@code target[...] = values}) instead, which does not.
 */
public final class InPlace {

    private static final NDIndex ALL = new NDIndex("...");

    private InPlace() {
    }

    /** Writes {@code values} (row-major, as many as the array holds) into the float32 array {@code target}. */
    public static void overwrite(NDArray target, float[] values) {
        if (target.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("in-place overwrite needs a float32 array, got " + target.getDataType());
        }
        if (values.length != target.size()) {
            throw new IllegalArgumentException("in-place overwrite of an array of shape " + target.getShape() + " ("
                    + target.size() + " values) with " + values.length + " values");
        }
        try (NDManager scratch = target.getManager().newSubManager(); NoGradient off = NoGradient.enter()) {
            target.set(ALL, scratch.create(values, target.getShape()));
        }
    }

    /** Copies {@code source} (same shape and type) into {@code target}, without gradient recording. */
    public static void copy(NDArray target, NDArray source) {
        if (!target.getShape().equals(source.getShape()) || target.getDataType() != source.getDataType()) {
            throw new IllegalArgumentException("in-place copy of a " + source.getDataType() + " " + source.getShape()
                    + " array into a " + target.getDataType() + " " + target.getShape() + " one");
        }
        try (NoGradient off = NoGradient.enter()) {
            target.set(ALL, source);
        }
    }
}
