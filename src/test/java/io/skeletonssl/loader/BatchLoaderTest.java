package io.skeletonssl.loader;

import io.skeletonssl.dataset.DatasetWriter;
import io.skeletonssl.dataset.Sample;
import io.skeletonssl.dataset.SampleMeta;
import io.skeletonssl.dataset.SkeletonDataset;
import io.skeletonssl.layout.Layouts;
import io.skeletonssl.transforms.Clip;
import io.skeletonssl.transforms.Pipeline;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchLoaderTest {

    private static final int N = 37;
    private static final int T = 80;
    private static final int V = 25;
    private static final int M = 2;
    private static final int NAN_SAMPLE = 5;
    private static final int EMPTY_SAMPLE = 11;

    @TempDir
    static Path tmp;
    private static SkeletonDataset dataset;

    @BeforeAll
    static void writeDataset() throws Exception {
        DatasetWriter.Spec spec = new DatasetWriter.Spec("loader-test", Layouts.ntu25(), T, M, 5,
                List.of("a", "b", "c", "d", "e"), Map.of(), Map.of());
        try (DatasetWriter w = new DatasetWriter(tmp.resolve("ds"), spec, false)) {
            SplittableRandom r = new SplittableRandom(42);
            for (int i = 0; i < N; i++) {
                int valid = i == EMPTY_SAMPLE ? 0 : 1 + r.nextInt(T);
                float[] d = new float[3 * T * V * M];
                for (int c = 0; c < 3; c++) {
                    for (int t = 0; t < valid; t++) {
                        for (int k = 0; k < V * M; k++) {
                            d[(c * T + t) * V * M + k] = (float) (r.nextDouble() * 2 - 1);
                        }
                    }
                }
                if (i == NAN_SAMPLE) {
                    d[(T + 3) * V * M + 7] = Float.NaN;
                }
                w.add("train", new Sample(d, T, V, M, valid, i % 5, SampleMeta.named("s" + i, "test")));
                if (i != NAN_SAMPLE && i != EMPTY_SAMPLE) {
                    w.add("clean", new Sample(d, T, V, M, valid, i % 5, SampleMeta.named("s" + i, "test")));
                }
            }
            w.commit();
        }
        dataset = SkeletonDataset.open(tmp.resolve("ds"));
    }

    @AfterAll
    static void closeDataset() throws Exception {
        dataset.close();
    }

    private static SkeletonDataset.ClipSplit split(String name) throws Exception {
        return dataset.clips(name);
    }

    private static List<Batch> all(BatchLoader loader, int epoch) {
        List<Batch> out = new ArrayList<>();
        for (Batch b : loader.epoch(epoch)) {
            out.add(b);
        }
        return out;
    }

    @Test
    void batchesAreIdenticalWhateverTheThreadCount() throws Exception {
        SampleTransform mamp = SampleTransform.of(Pipeline.mampTrain());
        try (BatchLoader one = BatchLoader.builder(split("train"), mamp).batchSize(8).threads(1).prefetch(1).seed(7).build();
             BatchLoader three = BatchLoader.builder(split("train"), mamp).batchSize(8).threads(3).prefetch(5).seed(7).build()) {
            for (int epoch = 0; epoch < 2; epoch++) {
                List<Batch> a = all(one, epoch);
                List<Batch> b = all(three, epoch);
                assertThat(b).hasSameSizeAs(a);
                for (int i = 0; i < a.size(); i++) {
                    assertThat(b.get(i).indices()).containsExactly(a.get(i).indices());
                    assertThat(b.get(i).labels()).containsExactly(a.get(i).labels());
                    assertSameFloats(b.get(i).data(), a.get(i).data());
                }
            }
            assertThat(three.skippedSamples()).isEqualTo(one.skippedSamples());
        }
    }

    @Test
    void eachEpochIsAPermutationFromSeedAndEpoch() throws Exception {
        SkeletonDataset.ClipSplit clean = split("clean");
        try (BatchLoader loader = BatchLoader.builder(clean, SampleTransform.of(Pipeline.mampTest()))
                .batchSize(6).threads(2).seed(3).build()) {
            int[] e0 = order(all(loader, 0));
            int[] e1 = order(all(loader, 1));
            int[] again = order(all(loader, 0));
            assertThat(sorted(e0)).containsExactly(range(clean.size()));
            assertThat(sorted(e1)).containsExactly(range(clean.size()));
            assertThat(e1).isNotEqualTo(e0);
            assertThat(again).containsExactly(e0);
            assertThat(e0).containsExactly(loader.permutation(0));
            for (Batch b : all(loader, 2)) {
                for (int i = 0; i < b.size(); i++) {
                    assertThat(b.label(i)).isEqualTo(clean.label(b.index(i)));
                }
                assertThat(b.shape(0)).containsExactly(b.size(), 3, 120, V, M);
            }
        }
        try (BatchLoader ordered = BatchLoader.builder(clean, SampleTransform.of(Pipeline.mampTest()))
                .batchSize(6).shuffle(false).build()) {
            assertThat(order(all(ordered, 4))).containsExactly(range(clean.size()));
        }
    }

    @Test
    void mampTestBatchesHoldTheTransformedSamples() throws Exception {
        SkeletonDataset.ClipSplit clean = split("clean");
        try (BatchLoader loader = BatchLoader.builder(clean, SampleTransform.of(Pipeline.mampTest()))
                .batchSize(4).threads(2).build()) {
            Batch b = loader.epoch(0).next();
            int per = 3 * 120 * V * M;
            for (int i = 0; i < b.size(); i++) {
                Clip expected = Pipeline.mampTest().apply(Clip.of(clean.sample(b.index(i))), null);
                assertSameFloats(Arrays.copyOfRange(b.data(), i * per, (i + 1) * per), expected.data());
            }
        }
    }

    @Test
    void dropLastDropsTheShortBatch() throws Exception {
        SampleTransform t = SampleTransform.of(Pipeline.mampTest());
        try (BatchLoader keep = BatchLoader.builder(split("train"), t).batchSize(8).build();
             BatchLoader drop = BatchLoader.builder(split("train"), t).batchSize(8).dropLast(true).build()) {
            assertThat(keep.batchesPerEpoch()).isEqualTo(5);
            assertThat(all(keep, 0)).extracting(Batch::size).containsExactly(8, 8, 8, 8, 5);
            assertThat(drop.batchesPerEpoch()).isEqualTo(4);
            assertThat(all(drop, 0)).extracting(Batch::size).containsExactly(8, 8, 8, 8);
        }
    }

    @Test
    void badSamplesAreSkippedReportedAndReplaced() throws Exception {
        try (BatchLoader loader = BatchLoader.builder(split("train"), SampleTransform.of(Pipeline.mampTrain()))
                .batchSize(8).threads(2).seed(1).build()) {
            List<Batch> batches = all(loader, 0);
            int[] seen = order(batches);
            assertThat(seen).hasSize(N);
            assertThat(seen).doesNotContain(NAN_SAMPLE, EMPTY_SAMPLE);
            List<BatchLoader.Skipped> skipped = loader.skippedSamples();
            assertThat(skipped).extracting(BatchLoader.Skipped::index).containsExactly(NAN_SAMPLE, EMPTY_SAMPLE);
            assertThat(skipped.get(0).name()).isEqualTo("s" + NAN_SAMPLE);
            assertThat(skipped.get(0).reason()).contains("non-finite value NaN at channel 1, frame 3");
            assertThat(skipped.get(1).reason()).contains("no valid frame");
            // each bad slot took the next sample of the permutation
            int[] perm = loader.permutation(0);
            for (int p = 0; p < N; p++) {
                if (perm[p] == NAN_SAMPLE || perm[p] == EMPTY_SAMPLE) {
                    int q = (p + 1) % N;
                    while (perm[q] == NAN_SAMPLE || perm[q] == EMPTY_SAMPLE) {
                        q = (q + 1) % N;
                    }
                    assertThat(seen[p]).isEqualTo(perm[q]);
                } else {
                    assertThat(seen[p]).isEqualTo(perm[p]);
                }
            }
            all(loader, 1);
            assertThat(loader.skippedSamples()).hasSize(4);
            assertThat(loader.skippedSamples().get(2).epoch()).isEqualTo(1);
        }
    }

    @Test
    void anEpochWithoutAnyUsableSampleFailsClearly() throws Exception {
        SampleTransform broken = (clip, rng) -> {
            throw new IllegalArgumentException("always bad");
        };
        try (BatchLoader loader = BatchLoader.builder(split("clean"), broken).batchSize(4).build()) {
            BatchLoader.Epoch e = loader.epoch(0);
            assertThatThrownBy(e::next).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no usable sample in epoch 0");
            assertThat(loader.skippedSamples()).hasSize(split("clean").size());
            assertThat(loader.skippedSamples().get(0).reason()).isEqualTo("IllegalArgumentException: always bad");
        }
    }

    @Test
    void noMoreThanPrefetchBatchesAreBuiltAhead() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        SampleTransform counting = (clip, rng) -> {
            calls.incrementAndGet();
            return List.of(Pipeline.mampTest().apply(clip, rng));
        };
        int depth = 2;
        int b = 3;
        try (BatchLoader loader = BatchLoader.builder(split("clean"), counting).batchSize(b).threads(3)
                .prefetch(depth).build()) {
            BatchLoader.Epoch e = loader.epoch(0);
            e.next();
            Thread.sleep(300);
            assertThat(calls.get()).isLessThanOrEqualTo((1 + depth) * b);
            assertThat(e.maxBatchesAhead()).isLessThanOrEqualTo(depth);
            int taken = 1;
            while (e.hasNext()) {
                e.next();
                taken++;
                assertThat(calls.get()).isLessThanOrEqualTo((taken + depth) * b);
            }
            assertThat(e.maxBatchesAhead()).isBetween(1, depth);
            assertThat(calls.get()).isEqualTo(split("clean").size());
        }
    }

    @Test
    void threeViewsPerSampleForPcm3() throws Exception {
        try (BatchLoader loader = BatchLoader.builder(split("clean"), SampleTransform.pcm3Pretrain())
                .batchSize(5).threads(2).build()) {
            Batch b = loader.epoch(0).next();
            assertThat(b.viewCount()).isEqualTo(3);
            for (int k = 0; k < 3; k++) {
                assertThat(b.frames(k)).isEqualTo(64);
                assertThat(b.view(k)).hasSize(5 * 3 * 64 * V * M);
            }
            assertThat(b.view(0)).isNotEqualTo(b.view(1));
            assertThat(b.view(1)).isNotEqualTo(b.view(2));
        }
    }

    @Test
    void closeStopsTheWorkerThreads() throws Exception {
        BatchLoader loader = BatchLoader.builder(split("clean"), SampleTransform.of(Pipeline.mampTrain()))
                .batchSize(2).threads(3).prefetch(6).build();
        BatchLoader.Epoch e = loader.epoch(0);
        e.next();
        assertThat(loaderThreads()).isNotEmpty();
        loader.close();
        assertThat(loaderThreads()).isEmpty();
        assertThat(e.hasNext()).isFalse();
        assertThatThrownBy(e::next).isInstanceOf(NoSuchElementException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> loader.epoch(1)).isInstanceOf(IllegalStateException.class);
        loader.close();
    }

    @Test
    void openingTheNextEpochCancelsTheUnfinishedOne() throws Exception {
        try (BatchLoader loader = BatchLoader.builder(split("clean"), SampleTransform.of(Pipeline.mampTest()))
                .batchSize(4).threads(2).build()) {
            BatchLoader.Epoch first = loader.epoch(0);
            first.next();
            BatchLoader.Epoch second = loader.epoch(1);
            assertThat(first.hasNext()).isFalse();
            assertThat(all(loader, 1)).hasSize(loader.batchesPerEpoch());
            assertThat(second.hasNext()).isFalse();
        }
    }

    @Test
    void settingsAreChecked() throws Exception {
        SampleTransform t = SampleTransform.of(Pipeline.mampTest());
        assertThatThrownBy(() -> BatchLoader.builder(split("clean"), t).batchSize(0).build())
                .hasMessageContaining("batch size");
        assertThatThrownBy(() -> BatchLoader.builder(split("clean"), t).threads(0).build())
                .hasMessageContaining("thread count");
        assertThatThrownBy(() -> BatchLoader.builder(split("clean"), t).prefetch(0).build())
                .hasMessageContaining("prefetch");
    }

    private static void assertSameFloats(float[] actual, float[] expected) {
        int at = Arrays.mismatch(actual, expected);
        assertThat(at).as("first differing position (-1: none)").isEqualTo(-1);
    }

    private static List<String> loaderThreads() {
        List<String> names = new ArrayList<>();
        for (Thread th : Thread.getAllStackTraces().keySet()) {
            if (th.getName().startsWith("batch-loader-") && th.isAlive()) {
                names.add(th.getName());
            }
        }
        return names;
    }

    private static int[] order(List<Batch> batches) {
        return batches.stream().flatMapToInt(b -> Arrays.stream(b.indices())).toArray();
    }

    private static int[] sorted(int[] a) {
        int[] c = a.clone();
        Arrays.sort(c);
        return c;
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}
