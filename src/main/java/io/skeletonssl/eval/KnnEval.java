package io.skeletonssl.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.dataset.SkeletonDataset;
import io.skeletonssl.engine.MachineInfo;
import io.skeletonssl.io.AtomicDirectory;
import io.skeletonssl.report.CodeVersion;
import io.skeletonssl.training.RunDirectory;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * KNN retrieval (spec §3.13): the frozen encoder's feature of every train clip (the gallery) and
 * test clip (the queries), both through the method's retrieval crop (PCM3: {@code knn.test_crop};
 * MAMP: its test crop), and {@link Knn} by cosine similarity.
 * The headline is the 1-NN top-1 accuracy in percent. The output folder (built aside, renamed into
 * place) holds {@code config.yaml} (resolved) and {@code metrics.json}.
 */
public final class KnnEval {

    /** What to run; {@code checkpoint} as for {@link Encoders#open}. */
    public record Options(String checkpoint, String preset, List<String> sets, Path data, Path out, int k,
                          int threads, String trainSplit, String testSplit, boolean force) {
        public Options {
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(out, "out");
            sets = sets == null ? List.of() : List.copyOf(sets);
            trainSplit = trainSplit == null ? "train" : trainSplit;
            testSplit = testSplit == null ? "test" : testSplit;
            if (k < 1) {
                throw new IllegalArgumentException("--k must be >= 1, got " + k);
            }
        }
    }

    /** The outcome; accuracy in percent. */
    public record Result(Path out, double top1, int k, int galleryClips, int queryClips, double seconds) {
    }

    private final PrintStream log;

    public KnnEval(PrintStream log) {
        this.log = log;
    }

    public Result run(Options o) throws Exception {
        long t0 = System.nanoTime();
        try (SkeletonDataset ds = SkeletonDataset.open(o.data())) {
            SkeletonDataset.ClipSplit train = LinearProbe.split(ds, o.trainSplit(), "--train-split");
            SkeletonDataset.ClipSplit test = LinearProbe.split(ds, o.testSplit(), "--test-split");
            int classes = LinearProbe.classCount(ds, train, test);
            try (Encoders.Loaded enc = Encoders.open(o.checkpoint(), o.preset(), o.sets(),
                    ds.manifest().layout(), train.persons(), log);
                 AtomicDirectory dir = AtomicDirectory.create(o.out(), o.force())) {
                ObjectNode tree = enc.config();
                ((ObjectNode) tree.path("data")).put("path", ds.dir().toAbsolutePath().normalize().toString());
                RunDirectory run = RunDirectory.open(dir.temp());
                run.writeConfig(tree);
                FeatureExtractor fx = new FeatureExtractor(enc.encoder(), o.threads() > 0 ? o.threads()
                        : Runtime.getRuntime().availableProcessors());
                Features gallery = fx.extract(train, enc.retrievalTransform(), 0, 0, "features " + train.name());
                Features queries = fx.extract(test, enc.retrievalTransform(), 0, 0, "features " + test.name());
                if (gallery.size() == 0 || queries.size() == 0) {
                    throw new IllegalArgumentException("no features left: every clip of split '"
                            + (gallery.size() == 0 ? train.name() : test.name()) + "' was skipped");
                }
                long s0 = System.nanoTime();
                double top1 = Knn.top1(gallery, queries, 1);
                double topK = o.k() == 1 ? top1 : Knn.top1(gallery, queries, o.k());
                double searchSeconds = (System.nanoTime() - s0) / 1e9;
                double seconds = (System.nanoTime() - t0) / 1e9;
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("protocol", "knn");
                m.put("method", enc.encoder().method());
                m.put("code_version", CodeVersion.current());
                m.put("environment", MachineInfo.current().toMap());
                m.put("top1", top1);
                m.put("top1_note", "1-nearest neighbour by cosine similarity of L2-normalised features");
                m.put("k", o.k());
                m.put("knn_top1", topK);
                m.put("accuracy_unit", "percent");
                m.put("chance_top1", 100.0 / classes);
                m.put("checkpoint", o.checkpoint());
                m.put("preset", o.preset());
                m.put("encoder_source", enc.encoder().source());
                m.put("dataset", tree.path("data").path("path").asText());
                m.put("train_split", train.name());
                m.put("test_split", test.name());
                m.put("gallery_clips", gallery.size());
                m.put("query_clips", queries.size());
                m.put("skipped_clips", gallery.skipped() + queries.skipped());
                m.put("classes", classes);
                m.put("feature_dim", enc.encoder().featureDim());
                m.putAll(enc.metrics());
                m.put("search_seconds", searchSeconds);
                m.put("seconds", seconds);
                run.writeMetricsJson(m);
                dir.commit();
                log.printf(Locale.ROOT, "knn: 1-NN top-1 %.2f%%%s; %d gallery / %d query clips, %d classes, %.1f s -> %s%n",
                        top1, o.k() == 1 ? "" : String.format(Locale.ROOT, ", %d-NN top-1 %.2f%%", o.k(), topK),
                        gallery.size(), queries.size(), classes, seconds, dir.target());
                return new Result(dir.target(), top1, o.k(), gallery.size(), queries.size(), seconds);
            }
        }
    }
}
