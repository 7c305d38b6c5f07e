package io.skeletonssl.formats.torch;

import io.skeletonssl.formats.arrays.Float16;

import java.nio.ByteBuffer;

/** Element types of PyTorch storages, by the storage class a checkpoint names ({@code torch.FloatStorage}...). */
public enum TorchDtype {
    FLOAT32("FloatStorage", 4, true),
    FLOAT64("DoubleStorage", 8, true),
    FLOAT16("HalfStorage", 2, true),
    BFLOAT16("BFloat16Storage", 2, true),
    INT64("LongStorage", 8, false),
    INT32("IntStorage", 4, false),
    INT16("ShortStorage", 2, false),
    INT8("CharStorage", 1, false),
    UINT8("ByteStorage", 1, false),
    BOOL("BoolStorage", 1, false);

    private final String storageClass;
    private final int itemSize;
    private final boolean floating;

    TorchDtype(String storageClass, int itemSize, boolean floating) {
        this.storageClass = storageClass;
        this.itemSize = itemSize;
        this.floating = floating;
    }

    /** The class name in module {@code torch}, e.g. {@code FloatStorage}. */
    public String storageClass() {
        return storageClass;
    }

    public int itemSize() {
        return itemSize;
    }

    public boolean isFloating() {
        return floating;
    }

    /** Element {@code index} of a buffer (byte order already set) as a double. */
    double get(ByteBuffer b, long index) {
        int at = Math.toIntExact(index * itemSize);
        return switch (this) {
            case FLOAT32 -> b.getFloat(at);
            case FLOAT64 -> b.getDouble(at);
            case FLOAT16 -> Float16.toFloat(b.getShort(at));
            case BFLOAT16 -> Float.intBitsToFloat((b.getShort(at) & 0xffff) << 16);
            case INT64 -> b.getLong(at);
            case INT32 -> b.getInt(at);
            case INT16 -> b.getShort(at);
            case INT8 -> b.get(at);
            case UINT8 -> b.get(at) & 0xff;
            case BOOL -> b.get(at) != 0 ? 1 : 0;
        };
    }

    /** Element {@code index} as a float; exact for every type but FLOAT64 and large integers. */
    float getFloat(ByteBuffer b, long index) {
        return this == FLOAT32 ? b.getFloat(Math.toIntExact(index * itemSize)) : (float) get(b, index);
    }
}
