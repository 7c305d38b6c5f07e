package io.skeletonssl.eval.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skeletonssl.formats.Converter;
import io.skeletonssl.formats.Protocol;
import io.skeletonssl.methods.mamp.MampPretrainer;
import io.skeletonssl.synth.SynthConfig;
import io.skeletonssl.synth.SyntheticSource;
import io.skeletonssl.testutil.EnvironmentFacts;
import io.skeletonssl.training.Pretrainer;
import io.skeletonssl.util.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The suite end to end on a tiny MAMP run: report contents, failure isolation, resume. */
class EvalSuiteTest {

    static final List<String> TINY = List.of("model.dim=32", "model.depth=1", "model.heads=2", "model.decoder_dim=32",
            "model.decoder_depth=1", "model.decoder_heads=2");

    @TempDir
    static Path shared;
    static Path data;
    static Path run;

    @BeforeAll
    static void setUp() throws Exception {
        Progress.setEnabled(false);
        data = shared.resolve("synth");
        new Converter(2).convert(new SyntheticSource(SynthConfig.small().withClasses(4).withSize(10, 1)),
                Protocol.NTU60_XSUB, data, "synthetic-test", Map.of("format", "synthetic"), false, false);
        run = shared.resolve("run");
        List<String> sets = new java.util.ArrayList<>(TINY);
        sets.addAll(List.of("pretrain.batch_size=8", "pretrain.warmup_epochs=0"));
        MampPretrainer.create(quiet()).run(new Pretrainer.Options("mamp-small", null, sets, data, run, false, 1, 2, -1));
    }

    static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    private static EvalSuite.Options options(Path out, List<String> only, List<String> sets) {
        return new EvalSuite.Options(run.toString(), data, out, 0, 2, null, null, null, null, List.of(), true, true, only, sets, 0);
    }

    @Test
    void writesAReportWithProvenanceAndBaselinesAndResumes(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("suite");
        List<String> only = List.of("linear", "linear-random", "linear-raw", "knn", "knn-random", "knn-raw");
        List<String> sets = List.of("linear_probe.epochs=2", "linear_probe.batch_size=16");
        EvalSuite.Result r = new EvalSuite(quiet()).run(options(out, only, sets));
        assertThat(r.outcomes()).extracting(EvalSuite.Outcome::status).containsOnly("done");
        String md = Files.readString(out.resolve(SuiteReport.MARKDOWN));
        assertThat(md).contains("Linear evaluation", "random-init encoder", "raw coordinates (no encoder)", "KNN retrieval",
                "final epoch",
                "test-selected", "Code version");
        JsonNode json = new ObjectMapper().readTree(out.resolve(SuiteReport.JSON_FILE).toFile());
        assertThat(json.path("protocols")).hasSize(6);
        JsonNode linear = json.path("protocols").get(0).path("metrics");
        assertThat(linear.path("epochs").asInt()).isEqualTo(2);
        assertThat(linear.path("code_version").asText()).isEqualTo(json.path("code_version").asText());
        EnvironmentFacts.assertIn(out.resolve(SuiteReport.JSON_FILE));
        EnvironmentFacts.assertFacts(linear.path("environment"), "the suite's linear protocol");
        assertThat(md).contains("| Machine | " + io.skeletonssl.engine.MachineInfo.current().summary());
        // the random baseline has the run's architecture (its config is the preset)
        JsonNode randomCfg = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(out.resolve("linear-random/config.yaml").toFile());
        assertThat(randomCfg.path("model").path("dim").asInt()).isEqualTo(32);
        assertThat(json.path("protocols").get(1).path("metrics").path("checkpoint").asText()).isEqualTo("random");
        // the raw-coordinate rows: the run's transforms, its 32 frames, 25 joints and 2 persons
        for (int i : new int[]{2, 5}) {
            JsonNode raw = json.path("protocols").get(i).path("metrics");
            assertThat(raw.path("method").asText()).isEqualTo("raw");
            assertThat(raw.path("feature_dim").asInt()).isEqualTo(3 * 32 * 25 * 2);
        }

        // the same command again reuses every finished protocol
        EvalSuite.Result again = new EvalSuite(quiet()).run(options(out, only, sets));
        assertThat(again.outcomes()).extracting(EvalSuite.Outcome::status).containsOnly("reused");
        // other options on the same folder are refused rather than mixed
        assertThatThrownBy(() -> new EvalSuite(quiet()).run(options(out, only, List.of("linear_probe.epochs=3"))))
                .hasMessageContaining("other options");
    }

    @Test
    void aFailingProtocolIsReportedAndTheRestRuns(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("suite");
        // a batch larger than the training split makes the linear probe fail; KNN has no batches
        EvalSuite.Result r = new EvalSuite(quiet()).run(options(out, List.of("linear", "knn", "detection"),
                List.of("linear_probe.batch_size=100000")));
        // and detection does not apply: the data has no untrimmed streams
        assertThat(r.outcomes()).extracting(EvalSuite.Outcome::status).containsExactly("failed", "done", "not-applicable");
        assertThat(Files.exists(out.resolve("linear"))).isFalse();
        assertThat(Files.readString(out.resolve(SuiteReport.MARKDOWN))).contains("## Not run", "failed", "fewer than one batch",
                "no untrimmed stream splits");
    }

    @Test
    void unknownProtocolAndRandomCheckpointAreRefused(@TempDir Path tmp) {
        assertThatThrownBy(() -> new EvalSuite(quiet()).run(options(tmp.resolve("a"), List.of("nope"), List.of())))
                .hasMessageContaining("--only nope");
        assertThatThrownBy(() -> new EvalSuite(quiet()).run(new EvalSuite.Options("random", data, tmp.resolve("b"), 0, 2,
                null, null, null, null, List.of(), true, true, List.of(), List.of(), 0))).hasMessageContaining("pretraining run");
    }

    @Test
    void aRowWhoseOwnInputChangedRunsAgainAndTheOthersAreReused(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("suite");
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        java.util.function.Function<SuiteContext, List<SuiteStep>> steps = ctx -> List.of(
                fake("plain", runs, c -> null), fake("second-data", runs, c -> c.options().transferData() == null
                        ? null : c.options().transferData().toString()));
        EvalSuite.Options first = options(out, List.of(), List.of());
        assertThat(new EvalSuite(quiet()).run(first, steps).outcomes()).extracting(EvalSuite.Outcome::status)
                .containsExactly("done", "done");
        EvalSuite.Options withData = new EvalSuite.Options(run.toString(), data, out, 0, 2, null, null, tmp.resolve("d2"),
                null, List.of(), true, true, List.of(), List.of(), 0);
        assertThat(new EvalSuite(quiet()).run(withData, steps).outcomes()).extracting(EvalSuite.Outcome::status)
                .containsExactly("reused", "done");
        assertThat(runs.get()).isEqualTo(3);
        assertThat(new EvalSuite(quiet()).run(withData, steps).outcomes()).extracting(EvalSuite.Outcome::status)
                .containsExactly("reused", "reused");
    }

    /** A step that writes a metrics.json counting its runs; {@code inputs} as given. */
    private static SuiteStep fake(String id, java.util.concurrent.atomic.AtomicInteger runs,
                                  java.util.function.Function<SuiteContext, Object> inputs) {
        return new SuiteSteps.Step(id, id, (c, dir) -> {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("metrics.json"), "{\"final_top1\": " + runs.incrementAndGet() + "}");
        }, c -> null, inputs);
    }
}
