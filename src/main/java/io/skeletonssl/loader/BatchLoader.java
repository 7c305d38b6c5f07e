package io.skeletonssl.loader;

import io.skeletonssl.dataset.SkeletonDataset;
import io.skeletonssl.transforms.Clip;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Assembles batches of transformed clips on worker threads, ahead of the consumer.
 *
 * <p>Per epoch e: the order is a permutation of the samples drawn from (seed, e) (identity when
 * shuffling is off); batch b takes permutation positions [b·B, (b+1)·B) (the last batch is
 * shorter, or dropped with {@code dropLast}). Each sample's randomness comes from its own
 * generator seeded by (seed, e, sample index), so batches are bit-identical whatever the number
 * of threads. Workers build whole batches; at most {@code prefetch} batches are being built or
 * waiting at any time (the consumer taking batch b releases batch b + prefetch).
 *
 * <p>A sample whose read or transform throws is skipped and recorded ({@link #skippedSamples()});
 * its slot is filled by the next usable sample of the permutation (positions p+1, p+2, …,
 * wrapping), drawn with a generator seeded by (seed, e, index, slot position), so a replacement
 * that also has its own slot gets different augmentations there. This may repeat a sample within
 * an epoch but never depends on timing. Only an epoch in which no sample at all is usable fails.
 *
 * <p>One epoch is open at a time: opening the next one cancels an unfinished one. {@link #close()}
 * stops the worker threads.
 */
public final class BatchLoader implements AutoCloseable {

    /** A sample skipped in an epoch, and why. */
    public record Skipped(int epoch, int index, String name, String reason) {
    }

    private record SkipAt(int position, Skipped skipped) {
    }

    private static final long PERMUTATION_SALT = 0x5DEECE66DL;
    private static final long SAMPLE_SALT = 0x2545F4914F6CDD1DL;
    private static final AtomicInteger POOL_NUMBER = new AtomicInteger();

    private final ClipSource source;
    private final SampleTransform transform;
    private final int batchSize;
    private final int threads;
    private final int prefetch;
    private final boolean shuffle;
    private final boolean dropLast;
    private final long seed;
    private final ExecutorService pool;
    /** Skips by (epoch, index); the report from the earliest slot wins, so it does not depend on timing. */
    private final ConcurrentHashMap<Long, SkipAt> skipped = new ConcurrentHashMap<>();
    private final AtomicLong skipEvents = new AtomicLong();
    private final ThreadLocal<float[]> readBuffer;
    private final List<Thread> workers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private Epoch current;
    private volatile boolean closed;

    private BatchLoader(Builder b) {
        this.source = b.source;
        this.transform = b.transform;
        this.batchSize = b.batchSize;
        this.threads = b.threads;
        this.prefetch = b.prefetch;
        this.shuffle = b.shuffle;
        this.dropLast = b.dropLast;
        this.seed = b.seed;
        int sampleSize = source.sampleSize();
        this.readBuffer = ThreadLocal.withInitial(() -> new float[sampleSize]);
        int poolNumber = POOL_NUMBER.incrementAndGet();
        AtomicInteger threadNumber = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "batch-loader-" + poolNumber + "-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            workers.add(t);
            return t;
        };
        this.pool = Executors.newFixedThreadPool(threads, factory);
    }

    public static Builder builder(SkeletonDataset.ClipSplit split, SampleTransform transform) {
        return new Builder(ClipSource.of(split), transform);
    }

    public static Builder builder(ClipSource source, SampleTransform transform) {
        return new Builder(source, transform);
    }

    /** Loader settings; defaults: batch 32, 2 threads, prefetch 4, shuffle, keep the last short batch, seed 0. */
    public static final class Builder {
        private final ClipSource source;
        private final SampleTransform transform;
        private int batchSize = 32;
        private int threads = 2;
        private int prefetch = 4;
        private boolean shuffle = true;
        private boolean dropLast;
        private long seed;

        private Builder(ClipSource source, SampleTransform transform) {
            this.source = Objects.requireNonNull(source, "source");
            this.transform = Objects.requireNonNull(transform, "transform");
        }

        public Builder batchSize(int n) {
            this.batchSize = n;
            return this;
        }

        public Builder threads(int n) {
            this.threads = n;
            return this;
        }

        /** How many batches may be built ahead of the consumer (at least 1). */
        public Builder prefetch(int depth) {
            this.prefetch = depth;
            return this;
        }

        public Builder shuffle(boolean on) {
            this.shuffle = on;
            return this;
        }

        public Builder dropLast(boolean on) {
            this.dropLast = on;
            return this;
        }

        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        public BatchLoader build() {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
            }
            if (threads < 1) {
                throw new IllegalArgumentException("thread count must be at least 1, got " + threads);
            }
            if (prefetch < 1) {
                throw new IllegalArgumentException("prefetch depth must be at least 1, got " + prefetch);
            }
            return new BatchLoader(this);
        }
    }

    public int size() {
        return source.size();
    }

    public int batchSize() {
        return batchSize;
    }

    public int threads() {
        return threads;
    }

    public int prefetch() {
        return prefetch;
    }

    public int batchesPerEpoch() {
        int n = source.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** The sample order of an epoch: dataset indices by position. */
    public int[] permutation(int epoch) {
        int n = source.size();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        if (shuffle) {
            SplittableRandom r = new SplittableRandom(mix(mix(seed ^ PERMUTATION_SALT) + epoch));
            for (int i = n - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int tmp = perm[i];
                perm[i] = perm[j];
                perm[j] = tmp;
            }
        }
        return perm;
    }

    /** The generator a sample gets in an epoch (slot −1: its own slot; otherwise the position it stands in for). */
    SplittableRandom sampleRandom(int epoch, int index, long slot) {
        long h = mix(mix(mix(seed ^ SAMPLE_SALT) + epoch) + index);
        if (slot >= 0) {
            h = mix(h + 1 + slot);
        }
        return new SplittableRandom(h);
    }

    /** Starts producing the batches of {@code epoch}; an earlier unfinished epoch is cancelled. */
    public synchronized Epoch epoch(int epoch) {
        if (closed) {
            throw new IllegalStateException("loader is closed");
        }
        if (current != null) {
            current.close();
        }
        current = new Epoch(epoch);
        return current;
    }

    /** Samples skipped so far (each at most once per epoch), by epoch and index. */
    public List<Skipped> skippedSamples() {
        List<Skipped> list = new ArrayList<>();
        for (SkipAt s : skipped.values()) {
            list.add(s.skipped());
        }
        list.sort(Comparator.comparingInt(Skipped::epoch).thenComparingInt(Skipped::index));
        return list;
    }

    /** How many times a sample failed, counting repeats (a bad sample may be tried for several slots). */
    public long skipEvents() {
        return skipEvents.get();
    }

    public boolean isClosed() {
        return closed;
    }

    /** Cancels the open epoch and stops the worker threads, waiting (up to 10 s) until they have ended. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (current != null) {
                current.close();
            }
        }
        pool.shutdownNow();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (Thread t : workers) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                if (t.isAlive()) {
                    throw new IllegalStateException("batch loader thread " + t.getName() + " did not stop within 10 s");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The batches of one epoch, in order. Single use; closing it cancels the batches not yet taken. */
    public final class Epoch implements Iterator<Batch>, Iterable<Batch>, AutoCloseable {
        private final int epoch;
        private final int[] perm;
        private final int count;
        private final List<Future<Batch>> futures;
        private final AtomicInteger started = new AtomicInteger();
        private final AtomicInteger taken = new AtomicInteger();
        private final AtomicInteger maxAhead = new AtomicInteger();
        private int next;
        private boolean epochClosed;

        private Epoch(int epoch) {
            this.epoch = epoch;
            this.perm = permutation(epoch);
            this.count = batchesPerEpoch();
            this.futures = new ArrayList<>(count);
            for (int b = 0; b < Math.min(prefetch, count); b++) {
                submit(b);
            }
        }

        private void submit(int b) {
            futures.add(pool.submit(() -> {
                int ahead = started.incrementAndGet() - taken.get();
                maxAhead.accumulateAndGet(ahead, Math::max);
                return assemble(epoch, b, perm);
            }));
        }

        public int number() {
            return epoch;
        }

        public int batchCount() {
            return count;
        }

        /** The most batches that were being built or waiting, beyond those taken, at any time so far. */
        public int maxBatchesAhead() {
            return maxAhead.get();
        }

        @Override
        public synchronized boolean hasNext() {
            return !epochClosed && next < count;
        }

        /** The next batch, waiting for it if needed. Call from one consumer thread. */
        @Override
        public Batch next() {
            int b;
            Future<Batch> future;
            synchronized (this) {
                if (!hasNext()) {
                    throw new NoSuchElementException(epochClosed && next < count
                            ? "epoch " + epoch + " was closed" : "epoch " + epoch + " has no more batches");
                }
                b = next;
                future = futures.get(b);
            }
            Batch batch;
            try {
                batch = future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for batch " + b + " of epoch " + epoch, e);
            } catch (ExecutionException e) {
                close();
                Throwable cause = e.getCause();
                throw new IllegalStateException("batch " + b + " of epoch " + epoch + " failed: " + cause.getMessage(),
                        cause);
            } catch (CancellationException e) {
                throw new NoSuchElementException("epoch " + epoch + " was closed while waiting for batch " + b);
            }
            synchronized (this) {
                futures.set(b, null);
                next++;
                taken.incrementAndGet();
                if (b + prefetch < count && !epochClosed) {
                    submit(b + prefetch);
                }
                if (next == count) {
                    epochClosed = true;
                }
            }
            return batch;
        }

        @Override
        public Iterator<Batch> iterator() {
            return this;
        }

        @Override
        public synchronized void close() {
            epochClosed = true;
            for (Future<Batch> f : futures) {
                if (f != null) {
                    f.cancel(true);
                }
            }
        }
    }

    private Batch assemble(int epoch, int number, int[] perm) {
        int n = perm.length;
        int first = number * batchSize;
        int size = Math.min(batchSize, n - first);
        float[][] views = null;
        int[] viewFrames = null;
        int[] labels = new int[size];
        int[] indices = new int[size];
        float[] buffer = readBuffer.get();
        int t = source.frames();
        int v = source.joints();
        int m = source.persons();
        for (int s = 0; s < size; s++) {
            int position = first + s;
            boolean filled = false;
            for (int attempt = 0; attempt < n && !filled; attempt++) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new CancellationException("epoch " + epoch + " cancelled");
                }
                int index = perm[(position + attempt) % n];
                SplittableRandom rng = sampleRandom(epoch, index, attempt == 0 ? -1 : position);
                List<Clip> out;
                try {
                    source.read(index, buffer, 0);
                    Clip clip = new Clip(buffer, t, source.validFrames(index), v, m);
                    out = transform.apply(clip, rng);
                    if (out == null || out.isEmpty()) {
                        throw new IllegalStateException("transform returned no view");
                    }
                    if (views == null) {
                        viewFrames = new int[out.size()];
                        views = new float[out.size()][];
                        for (int k = 0; k < out.size(); k++) {
                            Clip c = out.get(k);
                            requireJointsPersons(c, v, m, k);
                            viewFrames[k] = c.frames();
                            views[k] = new float[size * c.data().length];
                        }
                    }
                    checkShapes(out, viewFrames, v, m);
                } catch (Exception e) {
                    recordSkip(epoch, index, position, e);
                    continue;
                }
                for (int k = 0; k < out.size(); k++) {
                    float[] d = out.get(k).data();
                    System.arraycopy(d, 0, views[k], s * d.length, d.length);
                }
                labels[s] = source.label(index);
                indices[s] = index;
                filled = true;
            }
            if (!filled) {
                throw new IllegalStateException("no usable sample in epoch " + epoch + ": all " + n
                        + " samples failed (see skippedSamples())");
            }
        }
        return new Batch(epoch, number, views, viewFrames, v, m, labels, indices);
    }

    private static void requireJointsPersons(Clip c, int v, int m, int k) {
        if (c.joints() != v || c.persons() != m) {
            throw new IllegalArgumentException("view " + k + " has V=" + c.joints() + ", M=" + c.persons()
                    + " but the dataset has V=" + v + ", M=" + m);
        }
    }

    private static void checkShapes(List<Clip> out, int[] viewFrames, int v, int m) {
        if (out.size() != viewFrames.length) {
            throw new IllegalArgumentException("transform returned " + out.size() + " views, the batch has "
                    + viewFrames.length);
        }
        for (int k = 0; k < out.size(); k++) {
            Clip c = out.get(k);
            requireJointsPersons(c, v, m, k);
            if (c.frames() != viewFrames[k]) {
                throw new IllegalArgumentException("view " + k + " has " + c.frames()
                        + " frames, the batch's first sample gave " + viewFrames[k]);
            }
        }
    }

    private void recordSkip(int epoch, int index, int position, Exception e) {
        skipEvents.incrementAndGet();
        String reason = e.getMessage() == null ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        long key = ((long) epoch << 32) | (index & 0xFFFFFFFFL);
        SkipAt at = new SkipAt(position, new Skipped(epoch, index, source.name(index), reason));
        skipped.merge(key, at, (a, b) -> a.position() <= b.position() ? a : b);
    }

    /** SplitMix64's finaliser: a well-mixed 64-bit hash. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
