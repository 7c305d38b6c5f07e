package io.skeletonssl.demo;

import io.skeletonssl.training.Pretrainer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.eval.LinearProbe;
import io.skeletonssl.formats.Converter;
import io.skeletonssl.formats.Protocol;
import io.skeletonssl.io.AtomicDirectory;
import io.skeletonssl.io.AtomicFiles;
import io.skeletonssl.methods.mamp.MampPretrainer;
import io.skeletonssl.report.LossPlot;
import io.skeletonssl.synth.SynthConfig;
import io.skeletonssl.synth.SyntheticSource;
import io.skeletonssl.training.ConfigTree;
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
 * The main job on the built-in data: generate the synthetic dataset, pretrain {@code mamp-small}
 * on its train split, then linear-probe the pretrained and a random-init encoder of the same preset
 * (same seed) and compare their final-epoch test accuracy. Sizes come from the preset's {@code demo}
 * section ({@code demo.quick} for {@code --quick}).
 */
public final class MampDemo {

    public static final String PRESET = "mamp-small";
    private static final String MARKER = "demo.json";

    /** What to run: output folder, the sub-minute smoke version or not, seed, loader threads. */
    public record Options(Path out, boolean quick, long seed, int threads, List<String> sets) {
        public Options {
            sets = sets == null ? List.of() : List.copyOf(sets);
        }
    }

    /** Final-epoch linear top-1 (percent) of both encoders and the timings. */
    public record Result(double pretrainedTop1, double randomTop1, double pretrainSeconds, double totalSeconds,
                         Path metrics) {
    }

    private final PrintStream log;

    public MampDemo(PrintStream log) {
        this.log = log;
    }

    public Result run(Options o) throws Exception {
        long t0 = System.nanoTime();
        Path out = o.out().toAbsolutePath().normalize();
        prepareOutput(out);
        ObjectNode preset = ConfigTree.resolve(PRESET, null, o.sets());
        JsonNode demo = preset.path("demo");
        if (o.quick()) {
            demo = merged(demo, demo.path("quick"));
        }
        int subjects = demo.path("subjects").asInt();
        int repetitions = demo.path("repetitions").asInt();
        int pretrainEpochs = demo.path("pretrain_epochs").asInt();
        int probeEpochs = demo.path("probe_epochs").asInt();
        List<String> sets = new ArrayList<>();
        sets.add("pretrain.seed=" + o.seed());
        sets.add("linear_probe.seed=" + o.seed());
        demo.path("sets").forEach(s -> sets.add(s.asText()));
        sets.addAll(o.sets());
        Files.writeString(out.resolve(MARKER), "{\"job\": \"demo\"}\n");

        log.printf(Locale.ROOT, "[1/4] synthetic dataset: %d subjects x %d repetitions x 3 views x %d classes%n",
                subjects, repetitions, SynthConfig.MAX_CLASSES);
        SynthConfig synth = SynthConfig.defaults().withSeed(o.seed()).withSize(subjects, repetitions)
                .withNoise(demo.path("noise").asDouble(1.0), demo.path("dropouts").asDouble(SynthConfig.defaults().dropoutRate()));
        Path data = out.resolve("data");
        Converter.Report dataReport = new Converter(o.threads()).convert(new SyntheticSource(synth), Protocol.NTU60_XSUB,
                data, "synthetic-demo", Map.of("format", "synthetic", "split", "protocol ntu60-xsub"), true, false);

        log.printf(Locale.ROOT, "[2/4] pretraining %s for %d epochs%n", PRESET, pretrainEpochs);
        long p0 = System.nanoTime();
        Pretrainer.Result pre = MampPretrainer.create(log).run(new Pretrainer.Options(PRESET, null, sets, data,
                out.resolve("pretrain"), false, pretrainEpochs, o.threads(), -1));
        double pretrainSeconds = (System.nanoTime() - p0) / 1e9;

        log.printf(Locale.ROOT, "[3/4] linear probe of the pretrained encoder (%d epochs)%n", probeEpochs);
        LinearProbe.Result pretrained = probe(pre.runDir().toString(), sets, data, out.resolve("linear-pretrained"),
                probeEpochs, o);
        log.printf(Locale.ROOT, "[4/4] linear probe of a random-init encoder (%d epochs)%n", probeEpochs);
        LinearProbe.Result random = probe("random", sets, data, out.resolve("linear-random"), probeEpochs, o);

        List<Map<String, String>> rows = RunDirectory.open(pre.runDir()).readMetrics();
        LossPlot.write(out.resolve("pretrain-loss.png"), "MAMP pretraining loss (" + PRESET + ", synthetic data)",
                rows.stream().map(r -> Integer.parseInt(r.get("epoch"))).toList(),
                rows.stream().map(r -> Double.parseDouble(r.get("loss"))).toList());

        double total = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job", "demo");
        m.put("method", "mamp");
        m.put("preset", PRESET);
        m.put("quick", o.quick());
        m.put("seed", o.seed());
        m.put("pretrained_linear_top1", pretrained.finalTop1());
        m.put("random_linear_top1", random.finalTop1());
        m.put("margin_points", pretrained.finalTop1() - random.finalTop1());
        m.put("pretrained_linear_top5", pretrained.finalTop5());
        m.put("random_linear_top5", random.finalTop5());
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
        log.printf(Locale.ROOT, "MAMP demo (%s, synthetic %d classes, %d train / %d test clips, seed %d)%n", PRESET,
                pretrained.classes(), pretrained.trainClips(), pretrained.testClips(), o.seed());
        log.printf(Locale.ROOT, "  %-28s %8s %8s%n", "linear probe (final epoch)", "top-1", "top-5");
        log.printf(Locale.ROOT, "  %-28s %7.1f%% %7.1f%%%n", "pretrained encoder", pretrained.finalTop1(),
                pretrained.finalTop5());
        log.printf(Locale.ROOT, "  %-28s %7.1f%% %7.1f%%%n", "random-init encoder", random.finalTop1(),
                random.finalTop5());
        log.printf(Locale.ROOT, "  margin %+.1f points; pretraining %.0f s, total %.0f s%n",
                pretrained.finalTop1() - random.finalTop1(), pretrainSeconds, total);
        log.printf("  results: %s (loss curve: %s)%n", metrics, out.resolve("pretrain-loss.png"));
        return new Result(pretrained.finalTop1(), random.finalTop1(), pretrainSeconds, total, metrics);
    }

    private LinearProbe.Result probe(String checkpoint, List<String> sets, Path data, Path out, int epochs, Options o)
            throws Exception {
        return new LinearProbe(log).run(new LinearProbe.Options(checkpoint, PRESET, sets, data, out, epochs, o.seed(),
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

    private static JsonNode merged(JsonNode base, JsonNode over) {
        ObjectNode copy = ((ObjectNode) base).deepCopy();
        over.fields().forEachRemaining(e -> copy.set(e.getKey(), e.getValue()));
        copy.remove("quick");
        return copy;
    }
}
