package io.skeletonssl.engine;

import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Test support for code that must not depend on when the garbage collector runs: frees, now, the
 * native memory of every direct buffer that has become unreachable (DJL's CPU arrays made from
 * Java values live in such buffers) and writes over it. Between a forward and its backward this
 * does at once what a collection triggered by other threads' allocations (a busy machine, the
 * loader's workers) does at a moment of its choosing.
 *
 * <p>Hold the instance (it keeps the overwriting buffers, so the freed memory stays overwritten)
 * until the check is done, then close it.
 */
public final class FreedMemory implements AutoCloseable {

    private final List<ByteBuffer> overwriting = new ArrayList<>();

    private FreedMemory() {
    }

    /**
     * Collects until the cleaners of the direct buffers unreachable before this call have run (two
     * rounds with a sentinel buffer each), then fills direct buffers of many small sizes with 0xFF
     * bytes (NaN as float32), which malloc places in the memory just freed.
     */
    public static FreedMemory collectAndOverwrite() throws InterruptedException {
        for (int round = 0; round < 2; round++) {
            ReferenceQueue<ByteBuffer> queue = new ReferenceQueue<>();
            PhantomReference<ByteBuffer> sentinel = new PhantomReference<>(ByteBuffer.allocateDirect(16), queue);
            for (int i = 0; i < 50 && queue.poll() == null; i++) {
                System.gc();
                if (queue.remove(100) != null) {
                    break;
                }
            }
            sentinel.clear();
            Thread.sleep(20); // the reference handler runs the cleaners found with the sentinel's
        }
        FreedMemory m = new FreedMemory();
        for (int size = 4; size <= 1 << 16; size *= 2) {
            for (int i = 0; i < 16; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(size);
                while (b.hasRemaining()) {
                    b.put((byte) 0xFF);
                }
                m.overwriting.add(b);
            }
        }
        return m;
    }

    @Override
    public void close() {
        overwriting.clear();
    }
}
