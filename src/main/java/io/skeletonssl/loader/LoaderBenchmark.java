package io.skeletonssl.loader;

import io.skeletonssl.dataset.DatasetWriter;
import io.skeletonssl.dataset.Sample;
import io.skeletonssl.dataset.SampleMeta;
import io.skeletonssl.dataset.SkeletonDataset;
import io.skeletonssl.layout.Layouts;
import io.skeletonssl.transforms.Pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Loader throughput: samples per second through {@link BatchLoader} with MAMP's training
 * transforms (crop-resize to 120 + rotation), for 1 and 2 worker threads (or the counts given).
 *
 * <pre>
 * java -cp ... io.skeletonssl.loader.LoaderBenchmark DATASET_DIR [--split train] [--batch 128]
 *      [--epochs 3] [--threads 1,2] [--pcm3] [--generate N]
 * </pre>
 * {@code --generate N} first writes a synthetic NTU-shaped dataset of N clips (T = 300, V = 25,
 * M = 2) into DATASET_DIR when it does not exist yet. {@code --pcm3} measures PCM3's three
 * pretraining views instead. The first epoch of each setting is a warm-up and is not counted.
 */
public final class LoaderBenchmark {

    private LoaderBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].startsWith("--")) {
            System.err.println("usage: LoaderBenchmark DATASET_DIR [--split train] [--batch 128] [--epochs 3]"
                    + " [--threads 1,2] [--pcm3] [--generate N]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        String split = "train";
        int batch = 128;
        int epochs = 3;
        int generate = 0;
        boolean pcm3 = false;
        List<Integer> threadCounts = List.of(1, 2);
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--split" -> split = args[++i];
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                case "--generate" -> generate = Integer.parseInt(args[++i]);
                case "--pcm3" -> pcm3 = true;
                case "--threads" -> {
                    List<Integer> list = new ArrayList<>();
                    for (String s : args[++i].split(",")) {
                        list.add(Integer.parseInt(s.trim()));
                    }
                    threadCounts = list;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (generate > 0 && !Files.exists(dir)) {
            long t0 = System.nanoTime();
            generateSynthetic(dir, split, generate, 300);
            System.out.printf(Locale.ROOT, "generated %d synthetic clips in %s (%.1f s)%n", generate, dir,
                    (System.nanoTime() - t0) / 1e9);
        }
        SampleTransform transform = pcm3 ? SampleTransform.pcm3Pretrain() : SampleTransform.of(Pipeline.mampTrain());
        try (SkeletonDataset ds = SkeletonDataset.open(dir)) {
            SkeletonDataset.ClipSplit clips = ds.clips(split);
            System.out.printf(Locale.ROOT, "dataset %s split %s: %d clips of (3, %d, %d, %d); %s; batch %d; %d cores%n",
                    dir, split, clips.size(), clips.frames(), clips.joints(), clips.persons(),
                    pcm3 ? "PCM3 3 views (crop 64 + corruption/shear)" : "MAMP train (crop-resize 120 + rotation)",
                    batch, Runtime.getRuntime().availableProcessors());
            for (int threads : threadCounts) {
                try (BatchLoader loader = BatchLoader.builder(clips, transform).batchSize(batch).threads(threads)
                        .prefetch(Math.max(2, 2 * threads)).dropLast(true).seed(1).build()) {
                    runEpoch(loader, 0);
                    long samples = 0;
                    long t0 = System.nanoTime();
                    for (int e = 1; e <= epochs; e++) {
                        samples += runEpoch(loader, e);
                    }
                    double s = (System.nanoTime() - t0) / 1e9;
                    System.out.printf(Locale.ROOT, "threads %d: %d samples in %.2f s = %.0f samples/s (%d skipped)%n",
                            threads, samples, s, samples / s, loader.skippedSamples().size());
                }
            }
        }
    }

    private static long runEpoch(BatchLoader loader, int epoch) {
        long n = 0;
        double sink = 0;
        for (Batch b : loader.epoch(epoch)) {
            n += b.size();
            sink += b.data()[0];
        }
        if (Double.isNaN(sink)) {
            System.out.print("");
        }
        return n;
    }

    /** A synthetic NTU-shaped split: smooth random joint trajectories, a second person in half the clips. */
    static void generateSynthetic(Path dir, String split, int count, int maxFrames) throws Exception {
        int v = 25;
        int m = 2;
        DatasetWriter.Spec spec = new DatasetWriter.Spec("synthetic-benchmark", Layouts.ntu25(), maxFrames, m, 60,
                List.of(), Map.of("kind", "synthetic"), Map.of());
        SplittableRandom r = new SplittableRandom(2024);
        try (DatasetWriter w = new DatasetWriter(dir, spec, false)) {
            for (int i = 0; i < count; i++) {
                int valid = 32 + r.nextInt(maxFrames - 31);
                int persons = r.nextBoolean() ? 2 : 1;
                float[] d = new float[3 * maxFrames * v * m];
                for (int p = 0; p < persons; p++) {
                    for (int j = 0; j < v; j++) {
                        for (int c = 0; c < 3; c++) {
                            double x = r.nextGaussian() * 0.3;
                            double phase = r.nextDouble() * 6.283;
                            double freq = 0.02 + r.nextDouble() * 0.1;
                            for (int t = 0; t < valid; t++) {
                                d[((c * maxFrames + t) * v + j) * m + p] = (float) (x + 0.1 * Math.sin(phase + freq * t));
                            }
                        }
                    }
                }
                w.add(split, new Sample(d, maxFrames, v, m, valid, i % 60, SampleMeta.named("syn" + i, "synthetic")));
            }
            w.commit();
        }
    }
}
