package io.skeletonssl.eval.detection;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.dataset.Manifest;
import io.skeletonssl.dataset.SkeletonDataset;
import io.skeletonssl.engine.MachineInfo;
import io.skeletonssl.eval.Encoders;
import io.skeletonssl.eval.LabelledSubset;
import io.skeletonssl.eval.ProbeHead;
import io.skeletonssl.formats.SplitAssigner;
import io.skeletonssl.io.AtomicDirectory;
import io.skeletonssl.layout.SkeletonLayout;
import io.skeletonssl.methods.pcm3.Pcm3Downstream;
import io.skeletonssl.report.CodeVersion;
import io.skeletonssl.training.LrSchedule;
import io.skeletonssl.training.RunDirectory;
import io.skeletonssl.training.Sgd;
import io.skeletonssl.training.TrainingProgress;
import io.skeletonssl.training.WeightDecayGroups;
import io.skeletonssl.transforms.Pipeline;
import io.skeletonssl.transforms.Transform;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Frame-level action detection on untrimmed streams (PKU-MMD I protocol of DET, spec §3.13),
 * with a frozen whole-clip encoder. Every frame is described by the encoder's feature of a window
 * around it ({@link StreamWindows}: {@code detection.window} frames {@code stride} apart, centred
 * on the frame, boundary frames repeated, resized to the encoder's T). A Linear(dim, C + 1)
 * classifier (class 0 = background) is trained with SGD (momentum, step decay) on windows drawn
 * from the training streams: per epoch {@code windows_per_stream} random centres per stream, each
 * with a stride drawn from {@code train_strides}, label = the centre frame's. Test: softmax of every
 * frame of every test stream (with {@code test_stride} k &gt; 1 only frames 0, k, 2k, … and the
 * last are encoded and the probabilities linearly interpolated in between), then
 * {@link FrameSegments} (mean filter, threshold on 1 − p(background)) and {@link DetectionMetric}
 * (mAP_a, mAP_v at each IoU of {@code detection.iou}). The test streams are encoded once (the
 * encoder is frozen) and scored after every epoch; the headline is the final epoch's. With a
 * validation fraction F a seeded part of the usable training streams is held out, never trained
 * on, scored the same way every epoch, and its best mAP_a at the last IoU selects an epoch
 * ({@code val_selected_*}).
 *
 * <p>The window: for MAMP, which embeds 4-frame segments and mean-pools all tokens, the presets use
 * window = T (the encoder's own frame count, no resampling), so the labelled frame is the first
 * frame of segment T/8, one of the two central segments (see {@link StreamWindows}); for PCM3 the
 * official presets keep DET's 16 frames 4 apart, resized to T. A run saved without a
 * {@code detection} section gets the section of its method's small preset unless {@code --preset}
 * supplies one.
 *
 * <p>Streams shorter than one window span ((window − 1)·stride + 1 raw frames) are skipped and
 * listed in {@code metrics.json}. The output folder holds config.yaml, metrics.csv (per epoch),
 * metrics.json and detections.csv (the final epoch's segments).
 */
public final class ActionDetection {

    /**
     * What to run. {@code epochs}, {@code seed}, {@code testStride} (may be null) override the
     * {@code detection} section. A split name that is a clip split while {@code NAME_streams} exists
     * (as {@code prepare --mode both} and {@code synth --streams} write them) means the latter.
     */
    public record Options(String checkpoint, String preset, List<String> sets, Path data, Path out, Integer epochs,
                          Long seed, Integer testStride, String trainSplit, String testSplit, boolean force,
                          double valFraction) {
        public Options {
            LabelledSubset.requireValFraction(valFraction);
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(out, "out");
            sets = sets == null ? List.of() : List.copyOf(sets);
            trainSplit = trainSplit == null ? "train" : trainSplit;
            testSplit = testSplit == null ? "test" : testSplit;
        }
    }

    /**
     * The outcome: the final epoch's scores per IoU threshold, and the per-frame test accuracy (percent);
     * with validation the epoch it selects and the test scores then ({@code valSelectedEpoch} −1 and
     * {@code valSelectedScores} empty without).
     */
    public record Result(Path out, List<DetectionMetric.Scores> finalScores, double finalFrameAccuracy,
                         int trainStreams, int testStreams, List<String> skipped, int classes,
                         int valSelectedEpoch, List<DetectionMetric.Scores> valSelectedScores, int valStreams,
                         double seconds) {
    }


    private final PrintStream log;

    public ActionDetection(PrintStream log) {
        this.log = log;
    }

    public Result run(Options o) throws Exception {
        long t0 = System.nanoTime();
        try (SkeletonDataset ds = SkeletonDataset.open(o.data())) {
            String trainName = streamSplit(ds, o.trainSplit(), "--train-split");
            String testName = streamSplit(ds, o.testSplit(), "--test-split");
            SkeletonDataset.StreamSplit train = ds.streams(trainName);
            SkeletonDataset.StreamSplit test = ds.streams(testName);
            List<String> sets = new ArrayList<>(o.sets());
            if (o.epochs() != null) {
                sets.add("detection.epochs=" + o.epochs());
            }
            if (o.seed() != null) {
                sets.add("detection.seed=" + o.seed());
            }
            if (o.testStride() != null) {
                sets.add("detection.test_stride=" + o.testStride());
            }
            SkeletonLayout layout = ds.manifest().layout();
            try (Encoders.Loaded enc = Encoders.open(o.checkpoint(), o.preset(), sets, layout, train.persons(), log);
                 AtomicDirectory dir = AtomicDirectory.create(o.out(), o.force())) {
                ObjectNode tree = enc.config();
                ((ObjectNode) tree.path("data")).put("path", ds.dir().toAbsolutePath().normalize().toString());
                DetectionConfig dc = DetectionConfig.of(tree);
                RunDirectory run = RunDirectory.open(dir.temp());
                run.writeConfig(tree);
                int classes = classCount(ds, train, test);
                WindowEncoder we = new WindowEncoder(enc.encoder(), inputConversion(enc, layout),
                        dc.windowFor(enc.encoder().frames()));
                Result r = new Session(o, dc, we, classes, run, dir.target()).run(train, test, t0, enc);
                dir.commit();
                return r;
            }
        }
    }

    /** The stream split {@code name} stands for, or a clear error. */
    static String streamSplit(SkeletonDataset ds, String name, String option) {
        Map<String, Manifest.SplitInfo> splits = ds.manifest().splits();
        Manifest.SplitInfo info = splits.get(name);
        String alt = name + SplitAssigner.STREAM_SUFFIX;
        if (info != null && info.kind() == Manifest.Kind.clips && splits.containsKey(alt)) {
            name = alt;
            info = splits.get(alt);
        }
        List<String> streamSplits = splits.entrySet().stream().filter(e -> e.getValue().kind() == Manifest.Kind.streams)
                .map(Map.Entry::getKey).toList();
        if (streamSplits.isEmpty()) {
            throw new IllegalArgumentException(ds.dir() + " has no untrimmed streams with frame labels (splits "
                    + splits.keySet() + " are all clips); detection needs stream splits: prepare pku-mmd or utkinect "
                    + "with --mode streams|both, or synth --streams N");
        }
        if (info == null || info.kind() != Manifest.Kind.streams) {
            throw new IllegalArgumentException(ds.dir() + ": '" + name + "' is not a stream split (stream splits: "
                    + streamSplits + "; choose with " + option + ")");
        }
        if (info.count() == 0) {
            throw new IllegalArgumentException(ds.dir() + ": stream split '" + name + "' is empty");
        }
        return name;
    }

    /** Action classes C (frame labels 1..C): the manifest's, checked against the frame labels. */
    static int classCount(SkeletonDataset ds, SkeletonDataset.StreamSplit... splits) {
        int max = 0;
        for (SkeletonDataset.StreamSplit s : splits) {
            for (int i = 0; i < s.size(); i++) {
                for (int l : s.stream(i).frameLabels()) {
                    if (l < 0) {
                        throw new IllegalArgumentException(ds.dir() + ": stream " + s.streamName(i) + " of split '"
                                + s.name() + "' has frame label " + l + " (expected 0 = background or 1..C)");
                    }
                    max = Math.max(max, l);
                }
            }
        }
        int declared = ds.manifest().numClasses();
        if (declared > 0 && max > declared) {
            throw new IllegalArgumentException(ds.dir() + ": frame label " + max + " but the manifest declares "
                    + declared + " classes (frame labels 1.." + declared + ")");
        }
        if (Math.max(declared, max) == 0) {
            throw new IllegalArgumentException(ds.dir() + ": the streams have no labelled action frames");
        }
        return Math.max(declared, max);
    }

    /**
     * Splits the usable training streams {@code usable} (split indices) into the ones trained on and a
     * seeded, held-out {@code fraction} of them (at least one) for model selection.
     */
    static List<List<Integer>> holdOut(List<Integer> usable, double fraction, long seed) {
        if (usable.size() < 2) {
            throw new IllegalArgumentException("--val-fraction " + fraction + " needs at least 2 usable training "
                    + "streams (one held out, one to train on), but there are " + usable.size());
        }
        LabelledSubset.Holdout h = LabelledSubset.holdOut(new int[usable.size()], fraction,
                seed ^ LabelledSubset.HOLD_OUT_SALT, false,
                "usable training streams");
        return List.of(Arrays.stream(h.train()).mapToObj(usable::get).toList(),
                Arrays.stream(h.val()).mapToObj(usable::get).toList());
    }

    /** The epoch with the best validation mAP_a at the headline IoU (the first such), and its test scores. */
    private record Selected(int epoch, double valMapA, String valKey, Scored test, List<String> streams) {
        static Selected of(List<Map<String, Object>> history, String valKey, List<Scored> testByEpoch,
                           List<String> streams) {
            int best = 0;
            for (int e = 1; e < history.size(); e++) {
                if ((double) history.get(e).get(valKey) > (double) history.get(best).get(valKey)) {
                    best = e;
                }
            }
            return new Selected(best, (double) history.get(best).get(valKey), valKey, testByEpoch.get(best), streams);
        }

        Map<String, Double> mapA() {
            Map<String, Double> out = new LinkedHashMap<>();
            test.scores().forEach(s -> out.put(String.valueOf(s.iou()), 100 * s.mapAction()));
            return out;
        }

        Map<String, Double> mapV() {
            Map<String, Double> out = new LinkedHashMap<>();
            test.scores().forEach(s -> out.put(String.valueOf(s.iou()), 100 * s.mapVideo()));
            return out;
        }

        void put(Map<String, Object> m, double fraction) {
            m.put("val_fraction", fraction);
            m.put("val_streams", streams.size());
            m.put("val_stream_names", streams);
            m.put("val_selected_epoch", epoch);
            m.put("val_selected_" + valKey, valMapA);
            m.put("val_selected_test_map_a", mapA());
            m.put("val_selected_test_map_v", mapV());
            m.put("val_selected_test_frame_acc", test.frameAccuracy());
            m.put("val_note", "a seeded fraction of the usable training streams, never trained on, scored every "
                    + "epoch like the test streams; the selected epoch has the best validation mAP_a at IoU "
                    + valKey.substring(valKey.indexOf('@') + 1));
        }
    }

    /** What the encoder's method feeds it after the temporal resize: PCM3's run stream; nothing for MAMP. */
    private static Transform inputConversion(Encoders.Loaded enc, SkeletonLayout layout) {
        if (enc.config().path("method").asText().equals("pcm3")) { // the config's: a baseline on a PCM3 preset too
            return Pcm3Downstream.withStream(Pipeline.of("detection-input"), Pcm3Downstream.settings(enc.config()),
                    layout);
        }
        return Transform.identity();
    }

    /** One detection run: the usable streams, training, per-epoch scoring, the reports. */
    private final class Session {
        private final Options o;
        private final DetectionConfig dc;
        private final WindowEncoder we;
        private final int classes;
        private final RunDirectory run;
        private final Path target;
        private final List<String> skipped = new ArrayList<>();

        Session(Options o, DetectionConfig dc, WindowEncoder we, int classes, RunDirectory run, Path target) {
            this.o = o;
            this.dc = dc;
            this.we = we;
            this.classes = classes;
            this.run = run;
            this.target = target;
        }

        Result run(SkeletonDataset.StreamSplit train, SkeletonDataset.StreamSplit test, long t0, Encoders.Loaded enc)
                throws IOException {
            int window = we.window();
            int maxTrainStride = dc.trainStrides().stream().mapToInt(Integer::intValue).max().orElseThrow();
            List<Integer> trainIdx = usable(train, StreamWindows.span(window, maxTrainStride));
            List<Integer> testIdx = usable(test, StreamWindows.span(window, dc.stride()));
            if (trainIdx.isEmpty() || testIdx.isEmpty()) {
                throw new IllegalArgumentException("no " + (trainIdx.isEmpty() ? "training" : "test")
                        + " stream is as long as one window (" + window + " frames " + "at stride "
                        + (trainIdx.isEmpty() ? maxTrainStride : dc.stride()) + "); skipped: " + skipped
                        + "; lower detection.window or detection.stride");
            }
            List<Integer> valIdx = List.of();
            if (o.valFraction() > 0) {
                List<List<Integer>> parts = holdOut(trainIdx, o.valFraction(), dc.seed());
                trainIdx = parts.get(0);
                valIdx = parts.get(1);
            }
            long f0 = System.nanoTime();
            TestSet testSet = TestSet.encode(test, testIdx, we, dc);
            if (testSet.truthCount() == 0) {
                throw new IllegalArgumentException("the test streams of split '" + test.name()
                        + "' have no labelled action segments: nothing to detect");
            }
            TestSet valSet = valIdx.isEmpty() ? null : TestSet.encode(train, valIdx, we, dc);
            if (valSet != null && valSet.truthCount() == 0) {
                throw new IllegalArgumentException("the " + valIdx.size() + " held-out validation stream(s) of split '"
                        + train.name() + "' have no labelled action segments: nothing to select an epoch with; use a "
                        + "larger --val-fraction");
            }
            double featureSeconds = (System.nanoTime() - f0) / 1e9;
            int stepsPerEpoch = (trainIdx.size() * dc.windowsPerStream() + dc.batchSize() - 1) / dc.batchSize();
            List<Map<String, Object>> history = new ArrayList<>();
            Scored last = null;
            List<Scored> testByEpoch = new ArrayList<>();
            String valKey = "val_map_a@" + dc.iou().get(dc.iou().size() - 1);
            try (ProbeHead head = new ProbeHead(we.featureDim(), classes + 1, dc.batchNormEps(), dc.seed());
                 Sgd opt = new Sgd(head.parameters(), WeightDecayGroups.uniform(head.parameters(), dc.weightDecay()),
                         dc.momentum());
                 TrainingProgress bar = TrainingProgress.start("detection", 0, dc.epochs(), stepsPerEpoch)) {
                LrSchedule schedule = dc.schedule();
                for (int epoch = 0; epoch < dc.epochs(); epoch++) {
                    long e0 = System.nanoTime();
                    long x0 = System.nanoTime();
                    TrainWindows tw = TrainWindows.draw(train, trainIdx, we, dc, epoch);
                    featureSeconds += (System.nanoTime() - x0) / 1e9;
                    double lr = schedule.at(epoch);
                    double[] fit = tw.fit(head, opt, lr, dc, epoch, bar);
                    last = testSet.score(head, dc, classes);
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("epoch", epoch);
                    row.put("loss", fit[0]);
                    row.put("lr", lr);
                    row.put("train_frame_acc", fit[1]);
                    row.put("test_frame_acc", last.frameAccuracy());
                    for (DetectionMetric.Scores s : last.scores()) {
                        row.put("map_a@" + s.iou(), 100 * s.mapAction());
                        row.put("map_v@" + s.iou(), 100 * s.mapVideo());
                    }
                    if (valSet != null) {
                        List<DetectionMetric.Scores> vs = valSet.score(head, dc, classes).scores();
                        row.put(valKey, 100 * vs.get(vs.size() - 1).mapAction());
                        testByEpoch.add(last);
                    }
                    row.put("seconds", (System.nanoTime() - e0) / 1e9);
                    run.appendMetrics(row);
                    history.add(row);
                }
            }
            last.writeDetections(run.root().resolve("detections.csv"));
            double seconds = (System.nanoTime() - t0) / 1e9;
            Selected sel = valSet == null ? null : Selected.of(history, valKey, testByEpoch,
                    valIdx.stream().map(train::streamName).toList());
            writeMetrics(enc, train, test, trainIdx.size(), testIdx.size(), last, history, sel, featureSeconds,
                    seconds);
            return new Result(target, last.scores(), last.frameAccuracy(), trainIdx.size(), testIdx.size(),
                    List.copyOf(skipped), classes, sel == null ? -1 : sel.epoch(),
                    sel == null ? List.of() : sel.test().scores(), valIdx.size(), seconds);
        }

        private List<Integer> usable(SkeletonDataset.StreamSplit split, int span) {
            List<Integer> ok = new ArrayList<>();
            for (int i = 0; i < split.size(); i++) {
                if (split.length(i) >= span) {
                    ok.add(i);
                } else {
                    skipped.add(split.name() + "/" + split.streamName(i) + " (" + split.length(i) + " frames < "
                            + span + ")");
                    log.printf("skipping stream %s of split '%s': %d frames, shorter than one window span of %d%n",
                            split.streamName(i), split.name(), split.length(i), span);
                }
            }
            return ok;
        }

        private void writeMetrics(Encoders.Loaded enc, SkeletonDataset.StreamSplit train,
                                  SkeletonDataset.StreamSplit test, int nTrain, int nTest, Scored last,
                                  List<Map<String, Object>> history, Selected sel, double featureSeconds,
                                  double seconds) throws IOException {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("protocol", "detection");
            m.put("method", enc.encoder().method());
            m.put("code_version", CodeVersion.current());
            m.put("environment", MachineInfo.current().toMap());
            Map<String, Double> mapA = new LinkedHashMap<>();
            Map<String, Double> mapV = new LinkedHashMap<>();
            for (DetectionMetric.Scores s : last.scores()) {
                mapA.put(String.valueOf(s.iou()), 100 * s.mapAction());
                mapV.put(String.valueOf(s.iou()), 100 * s.mapVideo());
            }
            m.put("final_map_a", mapA);
            m.put("final_map_v", mapV);
            m.put("final_test_frame_acc", last.frameAccuracy());
            // per-class APs and the test-selected best at the last IoU listed (0.5 in the presets, DET's headline)
            DetectionMetric.Scores strictest = last.scores().get(last.scores().size() - 1);
            Map<String, Double> perClass = new LinkedHashMap<>();
            strictest.apPerClass().forEach((c, ap) -> perClass.put(String.valueOf(c), 100 * ap));
            m.put("final_ap_per_class@" + strictest.iou(), perClass);
            String key = "map_a@" + strictest.iou();
            Map<String, Object> best = history.get(0);
            for (Map<String, Object> row : history) {
                if ((double) row.get(key) > (double) best.get(key)) {
                    best = row;
                }
            }
            m.put("best_" + key, best.get(key));
            m.put("best_epoch", best.get("epoch"));
            m.put("best_" + key + "_note", "test-selected: maximum over epochs of the test mAP_a");
            if (sel != null) {
                sel.put(m, o.valFraction());
            }
            m.put("map_unit", "percent");
            m.put("ap_interpolation", "Pascal VOC all-point (monotone precision envelope, summed over recall steps)");
            m.put("matching", "greedy by confidence; best-IoU ground truth of the same video and class; "
                    + "each ground truth matched once, duplicates are false positives; IoU >= threshold");
            m.put("checkpoint", o.checkpoint());
            m.put("encoder_source", enc.encoder().source());
            m.put("dataset", run.readConfig().path("data").path("path").asText());
            m.put("train_split", train.name());
            m.put("test_split", test.name());
            m.put("train_streams", nTrain);
            m.put("test_streams", nTest);
            m.put("skipped_streams", skipped);
            m.put("classes", classes);
            m.put("window", we.window());
            m.put("encoder_frames", enc.encoder().frames());
            m.put("feature_dim", we.featureDim());
            m.put("head", dc.head());
            m.put("test_stride", dc.testStride());
            m.put("test_interpolation", dc.testStride() == 1 ? "none (every frame encoded)"
                    : "linear between encoded frames 0, k, 2k, ... and the last");
            m.put("epochs", dc.epochs());
            m.put("seed", dc.seed());
            m.put("feature_seconds", featureSeconds);
            m.put("seconds", seconds);
            run.writeMetricsJson(m);
            log.printf(Locale.ROOT, "detection: final mAP_a %s, mAP_v %s (IoU %s), frame accuracy %.2f%%; "
                            + "%d train / %d test streams, %d skipped, %d classes, %.1f s -> %s%n",
                    format(mapA), format(mapV), dc.iou(), last.frameAccuracy(), nTrain, nTest, skipped.size(),
                    classes, seconds, target);
            if (sel != null) {
                log.printf(Locale.ROOT, "detection: validation (%d held-out training streams) picks epoch %d: test "
                        + "mAP_a %s, mAP_v %s%n", sel.streams().size(), sel.epoch(), format(sel.mapA()),
                        format(sel.mapV()));
            }
        }

        private static String format(Map<String, Double> m) {
            return m.values().stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList().toString();
        }
    }
}
