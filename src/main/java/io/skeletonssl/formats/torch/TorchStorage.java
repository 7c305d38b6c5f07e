package io.skeletonssl.formats.torch;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A storage of a PyTorch archive ({@code <prefix>/data/<key>}), read only when a tensor's values
 * are asked for: the optimizer state of a checkpoint is never loaded unless used.
 */
public final class TorchStorage {

    /** Reads the raw bytes of a storage, in the archive's byte order. */
    @FunctionalInterface
    interface Source {
        ByteBuffer read(TorchStorage storage) throws IOException;
    }

    private final String key;
    private final TorchDtype dtype;
    private final long numel;
    private final Source source;
    private ByteBuffer bytes;

    TorchStorage(String key, TorchDtype dtype, long numel, Source source) {
        this.key = key;
        this.dtype = dtype;
        this.numel = numel;
        this.source = source;
    }

    public String key() {
        return key;
    }

    public TorchDtype dtype() {
        return dtype;
    }

    /** Elements (not bytes). */
    public long numel() {
        return numel;
    }

    synchronized ByteBuffer bytes() throws IOException {
        if (bytes == null) {
            bytes = source.read(this);
        }
        return bytes;
    }

    @Override
    public String toString() {
        return "storage(" + key + ", " + dtype + ", " + numel + ")";
    }
}
