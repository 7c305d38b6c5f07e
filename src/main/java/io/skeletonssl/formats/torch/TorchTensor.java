package io.skeletonssl.formats.torch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A tensor of a PyTorch archive: a view (offset, sizes, strides, in elements) of a {@link TorchStorage}.
 * Non-contiguous views (e.g. a saved transpose) read correctly; values come in row-major order.
 */
public final class TorchTensor {

    private final TorchStorage storage;
    private final long offset;
    private final long[] shape;
    private final long[] stride;

    TorchTensor(TorchStorage storage, long offset, long[] shape, long[] stride) {
        if (shape.length != stride.length) {
            throw new IllegalArgumentException("size " + Arrays.toString(shape) + " and stride "
                    + Arrays.toString(stride) + " differ in length");
        }
        long last = offset;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0 || stride[i] < 0) {
                throw new IllegalArgumentException("negative size or stride: " + Arrays.toString(shape) + ", "
                        + Arrays.toString(stride));
            }
            if (shape[i] == 0) {
                last = -1; // an empty tensor reads nothing
                break;
            }
            last = Math.addExact(last, Math.multiplyExact(shape[i] - 1, stride[i]));
        }
        if (offset < 0 || last >= storage.numel()) {
            throw new IllegalArgumentException("view at offset " + offset + " with size " + Arrays.toString(shape)
                    + " and stride " + Arrays.toString(stride) + " reaches past its storage of " + storage.numel()
                    + " elements");
        }
        this.storage = storage;
        this.offset = offset;
        this.shape = shape.clone();
        this.stride = stride.clone();
    }

    public TorchDtype dtype() {
        return storage.dtype();
    }

    public long[] shape() {
        return shape.clone();
    }

    public long[] stride() {
        return stride.clone();
    }

    public long storageOffset() {
        return offset;
    }

    public TorchStorage storage() {
        return storage;
    }

    public long numel() {
        long n = 1;
        for (long s : shape) {
            n = Math.multiplyExact(n, s);
        }
        return n;
    }

    /** Whether the strides are row-major (C order) for the shape. */
    public boolean isContiguous() {
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    /** The values in row-major order as float (exact for float32, float16 and bfloat16). */
    public float[] toFloatArray() throws IOException {
        long n = numel();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IOException("tensor of " + n + " elements is too large for one Java array");
        }
        ByteBuffer b = storage.bytes();
        TorchDtype d = dtype();
        float[] out = new float[(int) n];
        long[] index = new long[shape.length];
        long at = offset;
        for (int k = 0; k < out.length; k++) {
            out[k] = d.getFloat(b, at);
            // odometer over the indices, last axis fastest
            for (int i = shape.length - 1; i >= 0; i--) {
                index[i]++;
                at += stride[i];
                if (index[i] < shape[i]) {
                    break;
                }
                at -= stride[i] * shape[i];
                index[i] = 0;
            }
        }
        return out;
    }

    /** The single value of a one-element tensor (e.g. an optimizer's {@code step}). */
    public double item() throws IOException {
        if (numel() != 1) {
            throw new IllegalStateException("tensor of shape " + Arrays.toString(shape) + " is not one value");
        }
        return dtype().get(storage.bytes(), offset);
    }

    @Override
    public String toString() {
        return "tensor(" + dtype() + ", " + Arrays.toString(shape) + ")";
    }
}
