package io.skeletonssl.eval.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skeletonssl.dataset.Manifest;
import io.skeletonssl.dataset.SkeletonDataset;
import io.skeletonssl.eval.LabelledSubset;
import io.skeletonssl.io.AtomicDirectory;
import io.skeletonssl.io.AtomicFiles;
import io.skeletonssl.training.RunCheckpoint;
import io.skeletonssl.training.RunDirectory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code eval suite}: every protocol that applies to a checkpoint and a dataset, one after the
 * other, each into its own atomically written subfolder, then {@code REPORT.md} and
 * {@code report.json} ({@link SuiteReport}). A protocol that fails is reported with its error and
 * the suite goes on. Completed subfolders are reused when the suite is run again on the same
 * folder with the same options (so a killed suite resumes at the protocol it was in).
 */
public final class EvalSuite {

    /**
     * What to run. {@code transferData}: a second dataset to fine-tune on (null: no transfer row);
     * {@code ensembleRuns}: runs of the other input streams to fuse with the checkpoint (empty: no
     * ensemble row); {@code baselines}: also the random-init / from-scratch / raw-coordinate rows; {@code only}:
     * step ids to run (empty: all); {@code valFraction}: passed to every protocol with epochs (0: none).
     */
    public record Options(String checkpoint, Path data, Path out, long seed, int threads, String trainSplit,
                          String testSplit, Path transferData, Path detectionData, List<String> ensembleRuns, boolean baselines,
                          boolean semiStratified, List<String> only, List<String> sets, double valFraction) {
        public Options {
            Objects.requireNonNull(checkpoint, "checkpoint");
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(out, "out");
            trainSplit = trainSplit == null ? "train" : trainSplit;
            testSplit = testSplit == null ? "test" : testSplit;
            ensembleRuns = ensembleRuns == null ? List.of() : List.copyOf(ensembleRuns);
            only = only == null ? List.of() : List.copyOf(only);
            sets = sets == null ? List.of() : List.copyOf(sets);
            LabelledSubset.requireValFraction(valFraction);
        }
    }

    /** How one step ended. {@code status}: done, reused, not-applicable or failed. */
    public record Outcome(String id, String title, String status, String detail, double seconds, JsonNode metrics) {
    }

    public record Result(Path out, List<Outcome> outcomes, Path report) {
    }

    static final String OPTIONS_FILE = "suite-options.json";
    /** Per finished step: the step-specific inputs it ran with ({@link SuiteStep#inputs}). */
    static final String STEP_INPUTS = ".suite-steps";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream log;

    public EvalSuite(PrintStream log) {
        this.log = log;
    }

    public Result run(Options o) throws Exception {
        return run(o, SuiteSteps::all);
    }

    /** With other steps (tests). */
    Result run(Options o, java.util.function.Function<SuiteContext, List<SuiteStep>> stepsOf) throws Exception {
        SuiteContext ctx = context(o);
        prepareOutput(o);
        List<Outcome> outcomes = new ArrayList<>();
        List<SuiteStep> steps = stepsOf.apply(ctx);
        if (!o.only().isEmpty()) {
            List<String> known = steps.stream().map(SuiteStep::id).toList();
            for (String id : o.only()) {
                if (!known.contains(id)) {
                    throw new IllegalArgumentException("--only " + id + ": no such protocol (known: "
                            + String.join(", ", known) + ")");
                }
            }
        }
        int k = 0;
        for (SuiteStep step : steps) {
            k++;
            if (!o.only().isEmpty() && !o.only().contains(step.id())) {
                continue;
            }
            outcomes.add(runStep(ctx, step, k, steps.size()));
        }
        Path report = SuiteReport.write(o.out(), ctx, outcomes);
        log.printf("suite: %d protocols (%d done, %d reused, %d not applicable, %d failed) -> %s%n", outcomes.size(),
                count(outcomes, "done"), count(outcomes, "reused"), count(outcomes, "not-applicable"),
                count(outcomes, "failed"), report);
        return new Result(o.out(), outcomes, report);
    }

    private Outcome runStep(SuiteContext ctx, SuiteStep step, int k, int n) {
        Path dir = ctx.options().out().resolve(step.id());
        String why = step.notApplicable(ctx);
        if (why != null) {
            log.printf("[%d/%d] %s: not applicable (%s)%n", k, n, step.title(), why);
            return new Outcome(step.id(), step.title(), "not-applicable", why, 0, null);
        }
        Path inputsFile = ctx.options().out().resolve(STEP_INPUTS).resolve(step.id() + ".json");
        JsonNode inputs = JSON.valueToTree(step.inputs(ctx));
        inputs = inputs == null ? JSON.nullNode() : inputs;
        try {
            if (Files.isRegularFile(dir.resolve(RunDirectory.METRICS_JSON))) {
                JsonNode before = Files.isRegularFile(inputsFile) ? JSON.readTree(inputsFile.toFile()) : JSON.nullNode();
                if (before.equals(inputs)) {
                    log.printf("[%d/%d] %s: reusing %s%n", k, n, step.title(), dir);
                    return new Outcome(step.id(), step.title(), "reused", "", 0, readMetrics(dir));
                }
                log.printf("[%d/%d] %s: its inputs changed (%s, now %s): running it again%n", k, n, step.title(),
                        before, inputs);
                AtomicDirectory.deleteQuietly(dir);
                if (Files.exists(dir)) {
                    throw new IOException("could not delete the old folder");
                }
            }
        } catch (IOException e) {
            return new Outcome(step.id(), step.title(), "failed", "cannot reuse or replace " + dir + ": "
                    + e.getMessage(), 0, null);
        }
        log.printf("[%d/%d] %s%n", k, n, step.title());
        long t0 = System.nanoTime();
        try {
            step.run(ctx, dir);
            Files.createDirectories(inputsFile.getParent());
            JsonNode in = inputs;
            AtomicFiles.write(inputsFile, s -> JSON.writeValue(s, in));
            double s = (System.nanoTime() - t0) / 1e9;
            return new Outcome(step.id(), step.title(), "done", "", s, readMetrics(dir));
        } catch (Exception | OutOfMemoryError e) {
            double s = (System.nanoTime() - t0) / 1e9;
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            log.printf("[%d/%d] %s FAILED after %.0f s: %s (the suite goes on)%n", k, n, step.title(), s, msg);
            return new Outcome(step.id(), step.title(), "failed", msg, s, null);
        }
    }

    private static JsonNode readMetrics(Path dir) {
        try {
            return JSON.readTree(dir.resolve(RunDirectory.METRICS_JSON).toFile());
        } catch (IOException e) {
            throw new IllegalStateException(dir.resolve(RunDirectory.METRICS_JSON) + ": unreadable: " + e.getMessage(), e);
        }
    }

    private static long count(List<Outcome> outcomes, String status) {
        return outcomes.stream().filter(x -> x.status().equals(status)).count();
    }

    private SuiteContext context(Options o) throws Exception {
        String method;
        if (o.checkpoint().equals(io.skeletonssl.eval.Encoders.RANDOM)) {
            throw new IllegalArgumentException("eval suite needs a pretraining run (--checkpoint RUN); the random-init "
                    + "rows are added to every protocol as baselines");
        }
        method = RunCheckpoint.locate(Path.of(o.checkpoint()), null).method();
        List<String> clips = new ArrayList<>();
        List<String> streams = new ArrayList<>();
        try (SkeletonDataset ds = SkeletonDataset.open(o.data())) {
            for (Map.Entry<String, Manifest.SplitInfo> e : ds.manifest().splits().entrySet()) {
                (e.getValue().kind() == Manifest.Kind.streams ? streams : clips).add(e.getKey());
            }
        }
        if (o.detectionData() != null) {
            streams.clear();
            try (SkeletonDataset ds = SkeletonDataset.open(o.detectionData())) {
                ds.manifest().splits().forEach((name, info) -> {
                    if (info.kind() == Manifest.Kind.streams) {
                        streams.add(name);
                    }
                });
            }
            if (streams.isEmpty()) {
                throw new IllegalArgumentException("--detection-data " + o.detectionData() + " has no stream splits");
            }
        }
        for (String s : List.of(o.trainSplit(), o.testSplit())) {
            if (!clips.contains(s)) {
                throw new IllegalArgumentException(o.data() + ": no clip split '" + s + "' (clip splits: " + clips + ")");
            }
        }
        return new SuiteContext(o, method, List.copyOf(clips), List.copyOf(streams), log);
    }

    /** A new folder, or one an earlier suite with the same options started (then its finished steps are reused). */
    private void prepareOutput(Options o) throws IOException {
        Path marker = o.out().resolve(OPTIONS_FILE);
        JsonNode mine = identity(o);
        if (Files.exists(o.out())) {
            if (!Files.isRegularFile(marker)) {
                throw new IllegalArgumentException(o.out() + " exists and is not an eval suite folder; choose another -o");
            }
            JsonNode theirs = JSON.readTree(marker.toFile());
            if (!sameIdentity(theirs, mine)) {
                throw new IllegalArgumentException(o.out() + " holds a suite run with other options (" + marker
                        + "); choose another -o or repeat the same command to resume it");
            }
            log.printf("resuming the suite in %s: finished protocols are reused%n", o.out());
            return;
        }
        Files.createDirectories(o.out());
        AtomicFiles.write(marker, s -> JSON.writerWithDefaultPrettyPrinter().writeValue(s, mine));
    }

    /** Every key of {@code mine} has the same value in {@code theirs} (older markers may hold more keys). */
    static boolean sameIdentity(JsonNode theirs, JsonNode mine) {
        for (java.util.Iterator<String> it = mine.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!mine.get(k).equals(theirs.get(k))) {
                return false;
            }
        }
        return true;
    }

    /**
     * What decides the results of every protocol: the same identity means finished protocols can be
     * reused. Thread counts and {@code --only} are left out (they change speed and which rows run, not
     * the numbers), and so are the inputs of single rows (second datasets, ensemble runs): those are
     * {@link SuiteStep#inputs} and a changed one reruns its row only.
     */
    static JsonNode identity(Options o) throws IOException {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("checkpoint", Path.of(o.checkpoint()).toAbsolutePath().normalize().toString());
        m.put("data", o.data().toAbsolutePath().normalize().toString());
        m.put("seed", o.seed());
        m.put("train_split", o.trainSplit());
        m.put("test_split", o.testSplit());
        m.put("baselines", o.baselines());
        m.put("semi_stratified", o.semiStratified());
        m.put("sets", o.sets());
        if (o.valFraction() > 0) {
            m.put("val_fraction", o.valFraction());
        }
        return JSON.readTree(JSON.writeValueAsBytes(m));
    }
}
