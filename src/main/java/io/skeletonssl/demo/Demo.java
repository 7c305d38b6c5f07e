package io.skeletonssl.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.engine.MachineInfo;
import io.skeletonssl.eval.KnnEval;
import io.skeletonssl.eval.LinearProbe;
import io.skeletonssl.formats.CentredSource;
import io.skeletonssl.formats.NormalizedSource;
import io.skeletonssl.formats.Normalization;
import io.skeletonssl.formats.Converter;
import io.skeletonssl.formats.Protocol;
import io.skeletonssl.formats.SampleSource;
import io.skeletonssl.io.AtomicDirectory;
import io.skeletonssl.io.AtomicFiles;
import io.skeletonssl.methods.mamp.MampPretrainer;
import io.skeletonssl.methods.pcm3.Pcm3Pretrainer;
import io.skeletonssl.report.CodeVersion;
import io.skeletonssl.report.LossPlot;
import io.skeletonssl.synth.SynthConfig;
import io.skeletonssl.synth.SyntheticSource;
import io.skeletonssl.training.ConfigTree;
import io.skeletonssl.training.Pretrainer;
import io.skeletonssl.training.RunDirectory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The main job on the built-in data: generate the synthetic dataset, pretrain the method's small
 * preset ({@code mamp-small} or {@code pcm3-small}) on its train split, then evaluate the pretrained
 * and a random-init encoder of the same preset (same seed) by the linear probe (final-epoch test
 * accuracy, the headline) and 1-NN retrieval. Sizes come from the preset's {@code demo} section
 * ({@code demo.quick} for {@code --quick}); {@code demo.centre} centres the generated sequences as
 * PCM3's pre-normalisation does.
 */
public final class Demo {

    private static final String MARKER = "demo.json";

    /** A method the demo runs: its name, small preset and pretraining loop. */
    public enum Method {
        MAMP("mamp", "MAMP", "mamp-small"),
        PCM3("pcm3", "PCM3", "pcm3-small");

        private final String id;
        private final String title;
        private final String preset;

        Method(String id, String title, String preset) {
            this.id = id;
            this.title = title;
            this.preset = preset;
        }

        public String preset() {
            return preset;
        }

        public static Method parse(String s) {
            for (Method m : values()) {
                if (m.id.equals(s)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown --method '" + s + "': mamp or pcm3");
        }

        Pretrainer pretrainer(PrintStream log) {
            return this == MAMP ? MampPretrainer.create(log) : Pcm3Pretrainer.create(log);
        }
    }

    /** What to run: method, output folder, the sub-minute smoke version or not, seed, loader threads. */
    public record Options(Method method, Path out, boolean quick, long seed, int threads, List<String> sets) {
        public Options {
            sets = sets == null ? List.of() : List.copyOf(sets);
        }
    }

    /** Final-epoch linear top-1 and 1-NN top-1 (percent) of both encoders and the timings. */
    public record Result(double pretrainedTop1, double randomTop1, double pretrainedKnnTop1, double randomKnnTop1,
                         double pretrainSeconds, double totalSeconds, Path metrics) {
    }

    private final PrintStream log;

    public Demo(PrintStream log) {
        this.log = log;
    }

    public Result run(Options o) throws Exception {
        long t0 = System.nanoTime();
        Path out = o.out().toAbsolutePath().normalize();
        prepareOutput(out);
        String presetName = o.method().preset();
        ObjectNode preset = ConfigTree.resolve(presetName, null, o.sets());
        DemoSettings demo = DemoSettings.of(preset, o.quick());
        int subjects = demo.subjects();
        int repetitions = demo.repetitions();
        int pretrainEpochs = demo.pretrainEpochs();
        int probeEpochs = demo.probeEpochs();
        List<String> sets = new ArrayList<>();
        sets.add("pretrain.seed=" + o.seed());
        sets.add("linear_probe.seed=" + o.seed());
        sets.addAll(demo.sets());
        sets.addAll(o.sets());
        Files.writeString(out.resolve(MARKER), "{\"job\": \"demo\"}\n");

        log.printf(Locale.ROOT, "[1/4] synthetic dataset: %d subjects x %d repetitions x 3 views x %d classes%n",
                subjects, repetitions, SynthConfig.MAX_CLASSES);
        SynthConfig synth = SynthConfig.defaults().withSeed(o.seed()).withSize(subjects, repetitions)
                .withNoise(demo.noise(), demo.dropouts());
        Path data = out.resolve("data");
        SampleSource source = demo.centre()
                ? new CentredSource(new SyntheticSource(synth))
                // the MAMP demo is calibrated on camera coordinates: recorded as a choice, so pretrain does not warn
                : new NormalizedSource(new SyntheticSource(synth), new Normalization.Plan(Normalization.Mode.NONE,
                        Normalization.Mode.NONE, "demo.centre false: the MAMP demo is calibrated on camera coordinates",
                        Normalization.Offsets.of(new double[0]), false, null));
        Converter.Report dataReport = new Converter(o.threads()).convert(source, Protocol.NTU60_XSUB,
                data, "synthetic-demo", Map.of("format", "synthetic", "split", "protocol ntu60-xsub"), true, false);

        log.printf(Locale.ROOT, "[2/4] pretraining %s for %d epochs%n", presetName, pretrainEpochs);
        long p0 = System.nanoTime();
        Pretrainer.Result pre = o.method().pretrainer(log).run(new Pretrainer.Options(presetName, null, sets, data,
                out.resolve("pretrain"), false, pretrainEpochs, o.threads(), -1));
        double pretrainSeconds = (System.nanoTime() - p0) / 1e9;

        log.printf(Locale.ROOT, "[3/4] pretrained encoder: linear probe (%d epochs) and 1-NN retrieval%n", probeEpochs);
        LinearProbe.Result pretrained = probe(pre.runDir().toString(), sets, data, out.resolve("linear-pretrained"),
                probeEpochs, o);
        KnnEval.Result pretrainedKnn = knn(pre.runDir().toString(), sets, data, out.resolve("knn-pretrained"), o);
        log.printf(Locale.ROOT, "[4/4] random-init encoder: linear probe (%d epochs) and 1-NN retrieval%n", probeEpochs);
        LinearProbe.Result random = probe("random", sets, data, out.resolve("linear-random"), probeEpochs, o);
        KnnEval.Result randomKnn = knn("random", sets, data, out.resolve("knn-random"), o);

        List<Map<String, String>> rows = RunDirectory.open(pre.runDir()).readMetrics();
        LossPlot.write(out.resolve("pretrain-loss.png"), o.method().title + " pretraining loss (" + presetName
                        + ", synthetic data)",
                rows.stream().map(r -> Integer.parseInt(r.get("epoch"))).toList(),
                rows.stream().map(r -> Double.parseDouble(r.get("loss"))).toList());

        double total = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job", "demo");
        m.put("method", o.method().id);
        m.put("code_version", CodeVersion.current());
        m.put("environment", MachineInfo.current().toMap());
        m.put("preset", presetName);
        m.put("quick", o.quick());
        m.put("seed", o.seed());
        m.put("pretrained_linear_top1", pretrained.finalTop1());
        m.put("random_linear_top1", random.finalTop1());
        m.put("margin_points", pretrained.finalTop1() - random.finalTop1());
        m.put("pretrained_linear_top5", pretrained.finalTop5());
        m.put("random_linear_top5", random.finalTop5());
        m.put("pretrained_knn_top1", pretrainedKnn.top1());
        m.put("random_knn_top1", randomKnn.top1());
        m.put("pretrained_best_top1_test_selected", pretrained.bestTop1());
        m.put("random_best_top1_test_selected", random.bestTop1());
        m.put("pretrain_final_loss", pre.finalLoss());
        m.put("pretrain_epochs", pretrainEpochs);
        m.put("probe_epochs", probeEpochs);
        m.put("pretrain_seconds", pretrainSeconds);
        m.put("total_seconds", total);
        m.put("train_clips", pretrained.trainClips());
        m.put("test_clips", pretrained.testClips());
        m.put("classes", pretrained.classes());
        m.put("dataset_clips", dataReport.written());
        m.put("overrides", sets);
        m.put("loss_plot", "pretrain-loss.png");
        Path metrics = out.resolve("metrics.json");
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        AtomicFiles.write(metrics, s -> json.writeValue(s, m));

        log.println();
        log.printf(Locale.ROOT, "%s demo (%s, synthetic %d classes, %d train / %d test clips, seed %d)%n",
                o.method().title, presetName,
                pretrained.classes(), pretrained.trainClips(), pretrained.testClips(), o.seed());
        log.printf(Locale.ROOT, "  %-28s %8s %8s%n", "linear probe (final epoch)", "top-1", "top-5");
        log.printf(Locale.ROOT, "  %-28s %7.1f%% %7.1f%%%n", "pretrained encoder", pretrained.finalTop1(),
                pretrained.finalTop5());
        log.printf(Locale.ROOT, "  %-28s %7.1f%% %7.1f%%%n", "random-init encoder", random.finalTop1(),
                random.finalTop5());
        log.printf(Locale.ROOT, "  1-NN retrieval top-1: pretrained %.1f%%, random-init %.1f%%%n", pretrainedKnn.top1(),
                randomKnn.top1());
        log.printf(Locale.ROOT, "  margin %+.1f points; pretraining %.0f s, total %.0f s%n",
                pretrained.finalTop1() - random.finalTop1(), pretrainSeconds, total);
        log.printf("  results: %s (loss curve: %s)%n", metrics, out.resolve("pretrain-loss.png"));
        return new Result(pretrained.finalTop1(), random.finalTop1(), pretrainedKnn.top1(), randomKnn.top1(),
                pretrainSeconds, total, metrics);
    }

    private LinearProbe.Result probe(String checkpoint, List<String> sets, Path data, Path out, int epochs, Options o)
            throws Exception {
        return new LinearProbe(log).run(new LinearProbe.Options(checkpoint, o.method().preset(), sets, data, out, epochs,
                o.seed(), o.threads(), null, null, false));
    }

    private KnnEval.Result knn(String checkpoint, List<String> sets, Path data, Path out, Options o) throws Exception {
        return new KnnEval(log).run(new KnnEval.Options(checkpoint, o.method().preset(), sets, data, out, 1,
                o.threads(), null, null, false));
    }

    /** The demo replaces its own earlier output, but never a folder it did not make. */
    private static void prepareOutput(Path out) throws IOException {
        if (Files.exists(out)) {
            boolean empty;
            try (Stream<Path> s = Files.list(out)) {
                empty = s.findAny().isEmpty();
            }
            if (!empty && !Files.exists(out.resolve(MARKER))) {
                throw new IllegalArgumentException(out + " exists and is not a demo output folder; choose another --out");
            }
            AtomicDirectory.deleteQuietly(out);
        }
        Files.createDirectories(out);
    }
}
