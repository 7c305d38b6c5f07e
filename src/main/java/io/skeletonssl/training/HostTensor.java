package io.skeletonssl.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.Arrays;

/** A float32 tensor in Java memory: what checkpoints read and write. */
public record HostTensor(long[] shape, float[] data) {

    public HostTensor {
        shape = shape.clone();
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
        }
    }

    public static HostTensor of(NDArray array) {
        if (array.getDataType() == DataType.FLOAT32) {
            return new HostTensor(array.getShape().getShape(), array.toFloatArray());
        }
        try (NDArray f = array.toType(DataType.FLOAT32, false)) {
            return new HostTensor(array.getShape().getShape(), f.toFloatArray());
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public Shape djlShape() {
        return new Shape(shape);
    }
}
