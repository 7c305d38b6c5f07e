package io.skeletonssl.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.dataset.SkeletonDataset;
import io.skeletonssl.engine.MachineInfo;
import io.skeletonssl.formats.Converter;
import io.skeletonssl.formats.Protocol;
import io.skeletonssl.formats.SampleSource;
import io.skeletonssl.formats.ntu.NtuRawSource;
import io.skeletonssl.formats.ntu.SecondActor;
import io.skeletonssl.io.AtomicDirectory;
import io.skeletonssl.io.AtomicFiles;
import io.skeletonssl.loader.Batch;
import io.skeletonssl.loader.BatchLoader;
import io.skeletonssl.loader.SampleTransform;
import io.skeletonssl.synth.SeparabilityCheck;
import io.skeletonssl.synth.SynthConfig;
import io.skeletonssl.synth.SyntheticSource;
import io.skeletonssl.training.StepBench;
import io.skeletonssl.transforms.Pipeline;
import io.skeletonssl.util.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/** {@code bench data|separability|train}: throughput and difficulty measurements. */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {BenchCommand.Data.class, BenchCommand.Separability.class, BenchCommand.Train.class,
        BenchCommand.Embed.class},
        description = "Benchmarks (throughput measurements, not tests).")
final class BenchCommand {

    /** The machine facts, also printed: every benchmark's output names the machine it ran on. */
    static MachineInfo machine() {
        MachineInfo m = MachineInfo.current();
        System.out.println("machine: " + m.summary());
        return m;
    }

    @Command(name = "data", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Measure `prepare` throughput (synthetic generation, NTU raw files with both pipelines)",
                    "and loader throughput (MAMP training transforms, PCM3's three views) for 1..N threads."})
    static final class Data implements Callable<Integer> {

        @Option(names = "--ntu-raw", description = "Folder of NTU .skeleton files to measure (default ../shared/data/ntu-raw-samples if present).")
        Path ntuRaw;

        @Option(names = "--ntu-copies", defaultValue = "200",
                description = "Each NTU file is measured this many times, under distinct names (default ${DEFAULT-VALUE}).")
        int ntuCopies;

        @Option(names = "--subjects", defaultValue = "20", description = "Synthetic dataset size in subjects (default ${DEFAULT-VALUE}).")
        int subjects;

        @Option(names = "--batch", defaultValue = "128", description = "Loader batch size (default ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--epochs", defaultValue = "2", description = "Loader epochs measured after one warm-up (default ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--threads", split = ",", defaultValue = "1,2", description = "Thread counts (default ${DEFAULT-VALUE}).")
        List<Integer> threads;

        @Option(names = {"-o", "--out"}, description = "Write the results as JSON here.")
        Path out;

        @Override
        public Integer call() throws Exception {
            Progress.setEnabled(false);
            Map<String, Object> results = new LinkedHashMap<>();
            results.put("cores", Runtime.getRuntime().availableProcessors());
            results.put("java", System.getProperty("java.version"));
            results.put("environment", machine().toMap());
            Path work = Files.createTempDirectory("skeleton-ssl-bench");
            try {
                SynthConfig config = SynthConfig.defaults().withSize(subjects, 1);
                // generation alone (one thread), after a warm-up pass
                generate(config);
                long g0 = System.nanoTime();
                long generated = generate(config);
                double gs = (System.nanoTime() - g0) / 1e9;
                results.put("synthetic_generation", row("threads", 1, "samples", generated, "seconds", gs,
                        "samples_per_s", generated / gs));
                System.out.printf(Locale.ROOT, "synth (generate only) threads 1: %6d samples in %6.2f s = %8.0f samples/s%n",
                        generated, gs, generated / gs);
                List<Map<String, Object>> synth = new ArrayList<>();
                for (int t : threads) {
                    Path dir = work.resolve("synth-" + t);
                    Converter.Report r = new Converter(t).convert(new SyntheticSource(config), Protocol.NTU60_XSUB,
                            dir, "bench", Map.of(), false, false);
                    synth.add(row("threads", t, "samples", r.written(), "seconds", r.seconds(),
                            "samples_per_s", r.written() / r.seconds()));
                    System.out.printf(Locale.ROOT, "synth + write to disk  threads %d: %6d samples in %6.2f s = %8.0f samples/s%n",
                            t, r.written(), r.seconds(), r.written() / r.seconds());
                }
                results.put("prepare_synthetic", synth);

                Path ntu = ntuRaw != null ? ntuRaw : Path.of("..", "shared", "data", "ntu-raw-samples");
                if (Files.isDirectory(ntu)) {
                    Path copies = work.resolve("ntu-copies");
                    long bytes = replicate(ntu, copies, ntuCopies);
                    List<Map<String, Object>> ntuRows = new ArrayList<>();
                    for (NtuRawSource.Pipeline p : NtuRawSource.Pipeline.values()) {
                        for (int t : threads) {
                            SampleSource src = new NtuRawSource(copies, p, SecondActor.ZERO, 300);
                            Converter.Report r = new Converter(t).convert(src, io.skeletonssl.formats.SplitAssigner.single("all"),
                                    work.resolve("ntu-" + p + "-" + t), "bench", Map.of(), false, false);
                            double files = src.size();
                            ntuRows.add(row("pipeline", p.name().toLowerCase(Locale.ROOT), "threads", t, "files", files,
                                    "seconds", r.seconds(), "files_per_s", files / r.seconds(),
                                    "mb_per_s", bytes / 1e6 / r.seconds()));
                            System.out.printf(Locale.ROOT,
                                    "ntu-raw %-4s  threads %d: %6.0f files   in %6.2f s = %8.0f files/s (%.0f MB/s of text)%n",
                                    p.name().toLowerCase(Locale.ROOT), t, files, r.seconds(), files / r.seconds(),
                                    bytes / 1e6 / r.seconds());
                        }
                    }
                    results.put("prepare_ntu_raw", ntuRows);
                } else {
                    System.out.println("ntu-raw: skipped, " + ntu + " not found (give --ntu-raw DIR)");
                }

                List<Map<String, Object>> loaderRows = new ArrayList<>();
                try (SkeletonDataset ds = SkeletonDataset.open(work.resolve("synth-" + threads.get(0)))) {
                    SkeletonDataset.ClipSplit clips = ds.clips("train");
                    for (String kind : List.of("mamp-train", "pcm3-pretrain")) {
                        SampleTransform tf = kind.equals("mamp-train") ? SampleTransform.of(Pipeline.mampTrain())
                                : SampleTransform.pcm3Pretrain();
                        for (int t : threads) {
                            try (BatchLoader loader = BatchLoader.builder(clips, tf).batchSize(batch).threads(t)
                                    .prefetch(Math.max(2, 2 * t)).dropLast(true).seed(1).build()) {
                                drain(loader, 0);
                                long n = 0;
                                long t0 = System.nanoTime();
                                for (int e = 1; e <= epochs; e++) {
                                    n += drain(loader, e);
                                }
                                double s = (System.nanoTime() - t0) / 1e9;
                                loaderRows.add(row("transforms", kind, "threads", t, "samples", n, "seconds", s,
                                        "samples_per_s", n / s));
                                System.out.printf(Locale.ROOT, "loader %-13s threads %d: %6d samples in %6.2f s = %8.0f samples/s%n",
                                        kind, t, n, s, n / s);
                            }
                        }
                    }
                }
                results.put("loader", loaderRows);
            } finally {
                AtomicDirectory.deleteQuietly(work);
            }
            if (out != null) {
                ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
                AtomicFiles.write(out, o -> json.writeValue(o, results));
                System.out.println("results written to " + out);
            }
            return 0;
        }

        private static long generate(SynthConfig config) throws Exception {
            long n = 0;
            var units = new SyntheticSource(config).units();
            while (units.hasNext()) {
                n += units.next().read().size();
            }
            return n;
        }

        private static Map<String, Object> row(Object... kv) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < kv.length; i += 2) {
                m.put((String) kv[i], kv[i + 1]);
            }
            return m;
        }

        private static long drain(BatchLoader loader, int epoch) {
            long n = 0;
            for (Batch b : loader.epoch(epoch)) {
                n += b.size();
            }
            return n;
        }

        /** Copies every .skeleton file {@code copies} times under distinct NTU names (other performer/replication). */
        private static long replicate(Path from, Path to, int copies) throws Exception {
            Files.createDirectories(to);
            long bytes = 0;
            List<Path> files;
            try (Stream<Path> s = Files.list(from)) {
                files = s.filter(p -> p.getFileName().toString().matches("S\\d{3}C\\d{3}P\\d{3}R\\d{3}A\\d{3}\\.skeleton"))
                        .sorted().toList();
            }
            for (Path f : files) {
                byte[] content = Files.readAllBytes(f);
                String name = f.getFileName().toString();
                for (int k = 0; k < copies; k++) {
                    String copy = name.substring(0, 8) + String.format("P%03dR%03d", k % 999 + 1, k / 999 + 1)
                            + name.substring(16);
                    Files.write(to.resolve(copy), content);
                    bytes += content.length;
                }
            }
            return bytes;
        }
    }

    @Command(name = "separability", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"How hard the built-in synthetic dataset is: a linear softmax classifier on raw flattened",
                    "coordinates against a small trained temporal conv net (DJL), NTU-60 cross-subject split.",
                    "The full size takes about 7 minutes on 2 cores."})
    static final class Separability implements Callable<Integer> {

        @Option(names = "--subjects", defaultValue = "40", description = "Subjects (default ${DEFAULT-VALUE}).")
        int subjects;

        @Option(names = "--repetitions", defaultValue = "2", description = "Repetitions (default ${DEFAULT-VALUE}).")
        int repetitions;

        @Option(names = "--seed", defaultValue = "1", description = "Dataset seed (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--epochs", defaultValue = "30", description = "Network epochs (default ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--linear-epochs", defaultValue = "100", description = "Linear model epochs (default ${DEFAULT-VALUE}).")
        int linearEpochs;

        @Option(names = {"-j", "--threads"}, defaultValue = "2", description = "Threads (default ${DEFAULT-VALUE}).")
        int threads;

        @Option(names = {"-o", "--out"}, description = "Write the results as JSON here.")
        Path out;

        @Override
        public Integer call() throws Exception {
            SynthConfig config = SynthConfig.defaults().withSeed(seed).withSize(subjects, repetitions);
            MachineInfo machine = machine();
            Map<String, Object> result = new LinkedHashMap<>(SeparabilityCheck.run(config, epochs, linearEpochs, threads));
            result.put("environment", machine.toMap());
            if (out != null) {
                ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
                AtomicFiles.write(out, o -> json.writeValue(o, result));
                System.out.println("results written to " + out);
            }
            return 0;
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Pretraining step speed on random batches of each preset's shape: MAMP (forward + backward",
                    "+ AdamW) or PCM3 (the full step: five encoder passes with the key encoder and the queue, decoder,",
                    "backward, SGD), phase by phase, with achieved GFLOP/s (analytic estimate) next to the machine's",
                    "matrix-multiply GFLOP/s and memory traces (resident size, live heap, arrays held)."})
    static final class Train implements Callable<Integer> {

        @Option(names = "--preset", split = ",", defaultValue = "mamp-small,mamp-ntu60-xsub",
                description = "Presets, mamp-* or pcm3-* (default ${DEFAULT-VALUE}).")
        List<String> presets;

        @Option(names = "--batch", split = ",",
                description = "Batch size per preset (default: the preset's for *-small, 8 for MAMP, 16 for PCM3).")
        List<Integer> batches;

        @Option(names = "--steps", defaultValue = "5", description = "Measured steps (default ${DEFAULT-VALUE}).")
        int steps;

        @Option(names = "--warmup", defaultValue = "2", description = "Unmeasured steps first (default ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--set", description = "Override a preset value, e.g. --set model.decoder_depth=5 (repeatable).")
        List<String> sets = new ArrayList<>();

        @Option(names = "--attention",
                description = "MAMP only. Attention kernel: fused (torch's scaled_dot_product_attention, the default) or explicit.")
        String attention;

        @Option(names = "--precision", description = "fp32 (default: the preset's) or bf16 (products, MLPs and GRUs in "
                + "bfloat16, float32 master weights; needs AVX512-BF16 or AMX); same as --set pretrain.precision=...")
        String precision;

        @Option(names = "--profile", description = "Profile the measured steps with the engine's operator profiler: "
                + "DIR/<preset>-trace.json (Chrome trace) and DIR/<preset>-ops.json, and the top operators by self "
                + "time printed (timings then include the profiler's overhead).")
        Path profile;

        @Option(names = {"-o", "--out"}, description = "Write the results as JSON here.")
        Path out;

        @Override
        public Integer call() throws Exception {
            List<ObjectNode> trees = new ArrayList<>();
            List<String> all = new ArrayList<>(sets);
            if (precision != null) {
                all.add("pretrain.precision=" + precision);
            }
            for (String preset : presets) {
                ObjectNode tree = io.skeletonssl.training.ConfigTree.resolve(preset, null, all);
                if (isPcm3(tree)) { // strict typed values (errors name the key) before anything runs
                    io.skeletonssl.methods.pcm3.Pcm3Presets.fromTree(tree);
                } else {
                    io.skeletonssl.models.mamp.MampPresets.settings(tree);
                }
                trees.add(tree);
            }
            boolean anyMamp = trees.stream().anyMatch(t -> !isPcm3(t));
            if (attention != null && !anyMamp) {
                throw new IllegalArgumentException("--attention applies to MAMP presets only (PCM3 has no attention)");
            }
            Map<String, Object> results = new LinkedHashMap<>();
            results.put("cores", Runtime.getRuntime().availableProcessors());
            results.put("environment", machine().toMap());
            if (anyMamp) {
                System.setProperty(io.skeletonssl.engine.ScaledDotProduct.PROPERTY, attention == null ? "fused" : attention);
                results.put("attention", io.skeletonssl.engine.ScaledDotProduct.kernel().name().toLowerCase(Locale.ROOT));
            }
            int threads = StepBench.engineThreads();
            results.put("engine_threads", threads);
            results.put("load_average_start", StepBench.loadAverage());
            double mm = StepBench.matmulGflops(2048, 12);
            results.put("matmul_gflops", mm);
            System.out.printf(Locale.ROOT, "matrix multiply (2048 x 2048, float32, best of 12): %.1f GFLOP/s%n", mm);
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int i = 0; i < presets.size(); i++) {
                String preset = presets.get(i);
                ObjectNode tree = trees.get(i);
                int batch = batches != null && i < batches.size() ? batches.get(i)
                        : preset.endsWith("-small") ? tree.path("pretrain").path("batch_size").asInt()
                        : isPcm3(tree) ? 16 : 8;
                LongConsumer progress = s -> System.out.printf(Locale.ROOT, "  %s step %d/%d%n", preset, s + 1, steps);
                Path trace = profile == null ? null : profile.resolve(preset + "-trace.json");
                StepBench.Result r;
                try (AutoCloseable armed = trace == null ? () -> { } : StepBench.profileInto(trace)) {
                    r = isPcm3(tree)
                            ? io.skeletonssl.methods.pcm3.Pcm3StepBenchmark.run(
                                    io.skeletonssl.methods.pcm3.Pcm3Presets.fromTree(tree),
                                    io.skeletonssl.layout.Layouts.ntu25(), batch, warmup, steps, 1, progress)
                            : io.skeletonssl.methods.mamp.MampStepBenchmark.run(
                                    io.skeletonssl.models.mamp.MampPresets.fromTree(tree), batch, warmup, steps, 1,
                                    io.skeletonssl.models.mamp.MampPresets.settings(tree).pretrain().arithmetic(), progress);
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("preset", preset);
                row.put("precision", tree.path("pretrain").path("precision").asText("fp32"));
                row.putAll(r.toMap());
                row.put("fraction_of_matmul", r.gflops() / mm);
                rows.add(row);
                print(preset, r, mm);
                if (trace != null) {
                    printProfile(preset, trace, r.steps());
                }
            }
            results.put("runs", rows);
            double load = StepBench.loadAverage();
            results.put("load_average_end", load);
            System.out.printf(Locale.ROOT, "engine threads %d, load average %.2f -> %.2f on %d cores%n", threads,
                    (double) results.get("load_average_start"), load, Runtime.getRuntime().availableProcessors());
            double othersLoad = (double) results.get("load_average_start");
            if (threads > 1 && othersLoad + threads > Runtime.getRuntime().availableProcessors() + 0.5) {
                // Others' load plus our threads exceed the cores: busy-waiting OpenMP threads then slow
                // PyTorch's many small operations many-fold (seen: PCM3 step 81 s with 2 threads, 16 s with 1).
                System.out.println("note: the machine is busy; with fewer free cores than engine threads the timings "
                        + "are inflated (try SKELETON_SSL_JAVA_OPTS=-Dai.djl.pytorch.num_threads=1)");
            }
            if (out != null) {
                ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
                AtomicFiles.write(out, o -> json.writeValue(o, results));
                System.out.println("results written to " + out);
            }
            return 0;
        }

        /** The top operators by self time per measured step, and all of them as JSON beside the trace. */
        private void printProfile(String preset, Path trace, int steps) throws Exception {
            List<io.skeletonssl.engine.OpProfile.Row> ops = io.skeletonssl.engine.OpProfile.summarize(trace);
            double all = ops.stream().mapToDouble(io.skeletonssl.engine.OpProfile.Row::selfMs).sum();
            System.out.printf(Locale.ROOT, "  profile (%s): operators by self time per step, of %.0f ms per step in operators%n",
                    trace, all / steps);
            for (io.skeletonssl.engine.OpProfile.Row op : ops.subList(0, Math.min(25, ops.size()))) {
                System.out.printf(Locale.ROOT, "    %-42s %8.1f ms self %8.1f ms total %6.1f calls %5.1f%%%n",
                        op.name(), op.selfMs() / steps, op.totalMs() / steps, (double) op.calls() / steps,
                        100 * op.selfMs() / all);
            }
            List<Map<String, Object>> rows = ops.stream().map(io.skeletonssl.engine.OpProfile.Row::toMap).toList();
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            AtomicFiles.write(profile.resolve(preset + "-ops.json"), o -> json.writeValue(o,
                    Map.of("steps", steps, "trace", trace.getFileName().toString(), "operators", rows)));
        }

        private static boolean isPcm3(ObjectNode tree) {
            return "pcm3".equals(tree.path("method").asText());
        }

        private static void print(String preset, StepBench.Result r, double mm) {
            int steps = r.steps();
            System.out.printf(Locale.ROOT,
                    "%-16s batch %3d: %6.2f s/step (min %.2f, max %.2f; fwd %.2f, bwd %.2f, optimizer %.2f), "
                            + "%6.1f samples/s, ~%.1f GFLOP/step (estimate), %5.1f GFLOP/s (%.0f%% of matmul), "
                            + "RSS %.0f -> %.0f MB%n",
                    preset, r.batch(), r.secondsPerStep(), r.minStepSeconds(), r.maxStepSeconds(),
                    r.forwardSeconds() / steps, r.backwardSeconds() / steps, r.optimizerSeconds() / steps,
                    r.batch() / r.secondsPerStep(), r.gflopPerStep(), r.gflops(), 100 * r.gflops() / mm,
                    r.rssStartBytes() / 1e6, r.rssEndBytes() / 1e6);
            System.out.printf(Locale.ROOT, "  traces every %d steps: RSS MB %s; live JVM heap MB %s; arrays held by the model's manager %s%n",
                    Math.max(1, steps / 10), r.rssTraceMb(), r.heapTraceMb(), r.rootArraysTrace());
        }
    }

    @Command(name = "embed", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Frozen-encoder speed, as `embed` and the probes run it: a randomly initialised encoder of",
                    "the preset's shape on random clips, batch by batch, in clips/s (fp32 or bf16)."})
    static final class Embed implements Callable<Integer> {

        @Option(names = "--preset", defaultValue = "mamp-ntu60-xsub", description = "Preset (default ${DEFAULT-VALUE}).")
        String preset;

        @Option(names = "--batch", defaultValue = "32", description = "Clips per encoder call (default ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--batches", defaultValue = "4", description = "Measured batches (default ${DEFAULT-VALUE}).")
        int batches;

        @Option(names = "--warmup", defaultValue = "1", description = "Unmeasured batches first (default ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--precision", defaultValue = "fp32", description = "fp32 (default) or bf16.")
        String precision;

        @Option(names = "--profile", description = "Profile the measured batches with the engine's operator profiler: "
                + "DIR/embed-trace.json and the top operators printed.")
        Path profile;

        @Option(names = {"-o", "--out"}, description = "Write the results as JSON here.")
        Path out;

        @Override
        public Integer call() throws Exception {
            if (batch < 1 || batches < 1 || warmup < 0 || (profile != null && warmup < 1)) {
                throw new IllegalArgumentException("--batch and --batches must be >= 1 and --warmup >= 0 (>= 1 with --profile)");
            }
            io.skeletonssl.engine.Precision arithmetic = io.skeletonssl.engine.Precision.parse(precision, "--precision");
            Map<String, Object> results = new LinkedHashMap<>();
            results.put("cores", Runtime.getRuntime().availableProcessors());
            results.put("environment", machine().toMap());
            results.put("engine_threads", StepBench.engineThreads());
            results.put("load_average_start", StepBench.loadAverage());
            try (io.skeletonssl.eval.Encoders.Loaded enc = io.skeletonssl.eval.Encoders.open(
                    io.skeletonssl.eval.Encoders.RANDOM, preset, List.of(), io.skeletonssl.layout.Layouts.ntu25(), 2,
                    new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))) {
                io.skeletonssl.api.SequenceEncoder e = enc.encoder();
                java.util.Random rng = new java.util.Random(1);
                float[] clips = new float[batch * e.clipSize()];
                for (int i = 0; i < clips.length; i++) {
                    clips[i] = (float) (0.3 * rng.nextGaussian());
                }
                List<Double> seconds = new ArrayList<>();
                try (io.skeletonssl.engine.Autocast ignored = io.skeletonssl.engine.Autocast.enter(arithmetic)) {
                    for (int b = 0; b < warmup + batches; b++) {
                        long t0 = System.nanoTime();
                        float[][] f = e.encode(clips, batch);
                        double s = (System.nanoTime() - t0) / 1e9;
                        if (f.length != batch || !Float.isFinite(f[0][0])) {
                            throw new IllegalStateException("the encoder returned " + f.length + " rows for " + batch + " clips");
                        }
                        if (b == warmup - 1 && profile != null) {
                            io.skeletonssl.engine.OpProfile.start();
                        }
                        if (b >= warmup) {
                            seconds.add(s);
                            System.out.printf(Locale.ROOT, "  batch %d/%d: %.3f s%n", b - warmup + 1, batches, s);
                        }
                    }
                }
                if (profile != null) {
                    Path trace = profile.resolve("embed-trace.json");
                    io.skeletonssl.engine.OpProfile.stop(trace);
                    List<io.skeletonssl.engine.OpProfile.Row> ops = io.skeletonssl.engine.OpProfile.summarize(trace);
                    System.out.println("  profile (" + trace + "): operators by self time per batch");
                    for (io.skeletonssl.engine.OpProfile.Row op : ops.subList(0, Math.min(15, ops.size()))) {
                        System.out.printf(Locale.ROOT, "    %-42s %8.1f ms self %6.1f calls%n", op.name(),
                                op.selfMs() / batches, (double) op.calls() / batches);
                    }
                }
                double mean = seconds.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                double min = seconds.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
                results.put("preset", preset);
                results.put("method", e.method());
                results.put("precision", precision);
                results.put("batch", batch);
                results.put("clip_shape", List.of(3, e.frames(), e.joints(), e.persons()));
                results.put("feature_dim", e.featureDim());
                results.put("seconds_per_batch", seconds);
                results.put("mean_s", mean);
                results.put("min_s", min);
                results.put("clips_per_s", batch / mean);
                System.out.printf(Locale.ROOT, "%s %s encoder, batch %d (%d x %d x %d x %d): %.3f s/batch (min %.3f), %.1f clips/s%n",
                        preset, precision, batch, 3, e.frames(), e.joints(), e.persons(), mean, min, batch / mean);
            }
            results.put("load_average_end", StepBench.loadAverage());
            if (out != null) {
                ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
                AtomicFiles.write(out, o -> json.writeValue(o, results));
                System.out.println("results written to " + out);
            }
            return 0;
        }
    }
}
