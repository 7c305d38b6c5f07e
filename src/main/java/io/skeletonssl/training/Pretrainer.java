package io.skeletonssl.training;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.dataset.SkeletonDataset;
import io.skeletonssl.engine.Engines;
import io.skeletonssl.layout.SkeletonLayout;
import io.skeletonssl.loader.Batch;
import io.skeletonssl.loader.BatchLoader;
import io.skeletonssl.loader.SampleTransform;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The pretraining loop every method shares: resolving the configuration (or the run's own on
 * resume), the run folder, the seeded loader, per-epoch metrics rows, skipping of steps whose
 * gradients are not finite, the divergence guard, atomic checkpoints every
 * {@code pretrain.checkpoint_every} epochs and at the end, exact resumption (loader order and the
 * step randomness are functions of (seed, epoch)) and the final {@code metrics.json}. A
 * {@link Method} supplies the model, optimiser, schedule and step. Epochs are numbered from 0.
 *
 * <p>The divergence guard ({@link DivergenceGuard}, {@code pretrain.divergence_*}): with rollbacks
 * allowed, the loop keeps a {@link StateSnapshot} of the state at each epoch's start (what a
 * checkpoint after the previous epoch holds); a divergent step restores it, multiplies the learning
 * rate by {@code divergence_lr_factor} for the rest of the run and runs the epoch again (same batches,
 * same step randomness), with a {@code warning:} line, a {@code rollbacks} count in metrics.csv and
 * an entry in metrics.json's {@code divergence_events}. The factor and the events go into every
 * checkpoint, so a resume continues with them. The divergence after the last allowed rollback saves
 * the restored state as the previous epoch's checkpoint (with the factor lowered once more), writes
 * a metrics.json with {@code "status": "diverged"} and stops with a {@link TrainingDivergedException}
 * naming that checkpoint. Without rollbacks the first non-finite loss stops the run ({@link NanGuard}).
 * The guard adds no engine reads to a step: it looks at the loss and the gradient check the step
 * reports anyway.
 */
public final class Pretrainer {

    /**
     * What to run. On {@code resume}, the method, dataset and settings come from the run folder:
     * {@code preset}, {@code configFile} and {@code sets} must be absent, and {@code data}, when given,
     * must be the run's dataset; {@code epochs} may extend the run. {@code force} restarts a run folder
     * from scratch (its old contents are deleted; only a folder that is a run folder or empty).
     * {@code stopAfterEpoch} (or -1) ends the run after that epoch as if it had been killed there
     * (tests of --resume).
     */
    public record Options(String preset, Path configFile, List<String> sets, Path data, Path out, boolean resume,
                          Integer epochs, int threads, int stopAfterEpoch, boolean force) {
        public Options {
            Objects.requireNonNull(out, "out");
            sets = sets == null ? List.of() : List.copyOf(sets);
            if (resume && force) {
                throw new IllegalArgumentException("--resume continues a run and --force restarts it: choose one");
            }
        }

        public Options(String preset, Path configFile, List<String> sets, Path data, Path out, boolean resume,
                       Integer epochs, int threads, int stopAfterEpoch) {
            this(preset, configFile, sets, data, out, resume, epochs, threads, stopAfterEpoch, false);
        }
    }

    /** Outcome of a run (or of its resumed part). */
    public record Result(Path runDir, int startEpoch, int lastEpoch, int epochs, double finalLoss,
                         long skippedSteps, double seconds) {
    }

    /**
     * One step's scalar loss, whether its gradients were finite, its named loss terms (may be empty;
     * their epoch means become metrics.csv columns) and, from a method that measures it, the global
     * gradient norm before clipping and whether the step was clipped ({@code clip} null: not measured).
     */
    public record StepResult(double loss, boolean gradientsFinite, Map<String, Double> terms,
                             GradientClipping.Clip clip) {
        public StepResult(double loss, boolean gradientsFinite, Map<String, Double> terms) {
            this(loss, gradientsFinite, terms, null);
        }
    }

    /** A pretraining method: its augmentation and a training session over its model. */
    public interface Method {
        /** The {@code method} value of its configurations, e.g. {@code mamp}. */
        String name();

        /** Checks the resolved tree (binding it), e.g. that the layout suits the method. */
        void validate(ObjectNode tree, SkeletonLayout layout);

        /** The loader's per-sample transform (one view or several). */
        SampleTransform trainTransform(ObjectNode tree, SkeletonLayout layout);

        /** Builds and seeds the model and its optimiser on {@code root}. */
        Session open(ObjectNode tree, SkeletonLayout layout, NDManager root);

        /**
         * Warnings about an epoch from its mean loss terms (e.g. signs of a collapsed representation);
         * printed and kept in metrics.json. None by default.
         */
        default List<String> epochWarnings(ObjectNode tree, int epoch, Map<String, Double> termMeans) {
            return List.of();
        }

        /**
         * The divergence guard of this tree ({@code pretrain.divergence_*}); by default none: the run
         * stops at the first non-finite loss.
         */
        default DivergenceGuard.Settings divergenceSettings(ObjectNode tree) {
            return DivergenceGuard.Settings.OFF;
        }

        /**
         * Whether, with the guard on, a step with non-finite gradients diverged (the recipe would apply
         * them: roll back) rather than being skipped as a loss scaler does (false, the default).
         */
        default boolean nonFiniteGradientsDiverge() {
            return false;
        }

        /** What to change when a run keeps diverging, for the message that stops it. */
        default String divergenceAdvice() {
            return "a lower pretrain.lr";
        }
    }

    /** A method's model, optimiser and step during one run. */
    public interface Session extends AutoCloseable {
        /** Everything a checkpoint holds and a resume restores (trained parameters and buffers). */
        PairList<String, Parameter> state();

        ParamOptimizer optimizer();

        /** Learning rate of step {@code step} of {@code stepsPerEpoch} in {@code epoch}. */
        double learningRate(int epoch, int step, int stepsPerEpoch);

        /**
         * One forward/backward on a batch (the caller steps or skips the optimiser and zeroes the
         * gradients). Arrays made for the step must be freed before it returns.
         */
        StepResult step(NDManager root, Batch batch, Random rng);

        /** Parameter counts for metrics.json. */
        Map<String, Long> parameterCounts();

        @Override
        void close();
    }

    private final Method method;
    private final PrintStream log;

    public Pretrainer(Method method, PrintStream log) {
        this.method = method;
        this.log = log;
    }

    /** The step generator of an epoch: a function of (seed, epoch) so that resuming reproduces it. */
    public static Random epochRandom(long seed, int epoch) {
        return new Random(seed * 1_000_003L + epoch);
    }

    /**
     * The method named by a run folder's config.yaml ({@code --resume} takes the method from the run),
     * or empty when {@code out} holds no configuration.
     */
    public static java.util.Optional<String> methodOfRun(Path out) throws IOException {
        Path f = out.resolve(RunDirectory.CONFIG);
        if (!Files.isRegularFile(f)) {
            return java.util.Optional.empty();
        }
        String m = RunDirectory.readYaml(f).path("method").asText("");
        if (m.isEmpty()) {
            throw new IllegalArgumentException(f + ": no 'method' key; this is not the configuration of a run");
        }
        return java.util.Optional.of(m);
    }

    /** Resolves the configuration: preset + file + sets, or the run's saved config on resume; then epochs. */
    ObjectNode resolveConfig(Options o, RunDirectory run) throws IOException {
        ObjectNode tree;
        if (o.resume()) {
            if (o.preset() != null || o.configFile() != null || !o.sets().isEmpty()) {
                throw new IllegalArgumentException("--resume continues the run with the settings in "
                        + run.root().resolve(RunDirectory.CONFIG) + "; --preset, --config, --set and the options "
                        + "that stand for them cannot change them (only --epochs may extend the run)");
            }
            tree = (ObjectNode) run.readConfig();
        } else {
            if (o.preset() == null) {
                throw new IllegalArgumentException("--preset is required (unless --resume)");
            }
            tree = ConfigTree.resolve(o.preset(), o.configFile(), o.sets());
        }
        String name = tree.path("method").asText();
        if (!name.equals(method.name())) {
            throw new IllegalArgumentException((o.resume() ? "the run " + run.root() + " is a " + name + " run"
                    : "configuration is for method '" + name + "'") + ", not " + method.name());
        }
        if (o.epochs() != null) {
            ConfigTree.applySet(tree, "pretrain.epochs=" + o.epochs());
        }
        return tree;
    }

    public Result run(Options o) throws Exception {
        Path outAbs = o.out().toAbsolutePath().normalize();
        if (o.force()) {
            requireRestartable(outAbs, o.data()); // emptied only once the new settings and data are checked
        } else if (!o.resume() && Files.exists(outAbs) && !isEmptyDir(outAbs)) {
            boolean hasCheckpoint = Files.isDirectory(outAbs) && RunDirectory.open(outAbs).latest().isPresent();
            throw new IllegalArgumentException(outAbs + ": run folder already exists; "
                    + (hasCheckpoint ? "use --resume to continue it, " : "it has no checkpoint to resume from; ")
                    + "--force to restart it from scratch, or choose another --out");
        }
        if (o.resume() && !Files.isDirectory(outAbs)) {
            throw new IllegalArgumentException(outAbs + ": no such run folder to --resume");
        }
        // a new run's folder appears only once its settings and data have been checked
        RunDirectory run = o.resume() ? RunDirectory.open(outAbs) : null;
        Checkpoint resumeFrom = o.resume() ? requireResumable(run) : null;
        ObjectNode tree = resolveConfig(o, run);

        Path dataDir = dataOf(o, tree, run);
        try (SkeletonDataset ds = SkeletonDataset.open(dataDir)) {
            SkeletonDataset.ClipSplit train = ds.clips("train");
            ObjectNode data = (ObjectNode) tree.path("data");
            int presetV = data.path("joints").asInt();
            int presetM = data.path("persons").asInt();
            if (o.resume() && (presetV != train.joints() || presetM != train.persons())) {
                throw new IllegalArgumentException(dataDir + " now has V=" + train.joints() + " joints and M="
                        + train.persons() + " persons, but the run " + run.root() + " was trained with V=" + presetV
                        + ", M=" + presetM);
            }
            if (presetV != train.joints() || presetM != train.persons()) {
                log.printf("adapting the model to the dataset: joints %d -> %d, persons %d -> %d%n",
                        presetV, train.joints(), presetM, train.persons());
            }
            data.put("joints", train.joints());
            data.put("persons", train.persons());
            data.put("path", dataDir.toAbsolutePath().normalize().toString());
            SkeletonLayout layout = ds.manifest().layout();
            if (!o.resume() && o.epochs() == null) { // --epochs, and a resumed run's recorded epochs, win
                String budget = ClipBudget.apply(tree, train.size());
                if (budget != null) {
                    log.println(budget);
                }
            }
            method.validate(tree, layout); // strict typed values, written back into the tree
            String uncentred = io.skeletonssl.formats.Normalization.uncentredWarning(ds, train);
            if (uncentred != null) {
                log.println("WARNING: " + uncentred);
            }
            if (o.force()) {
                restart(outAbs);
            }
            return train(o, run != null ? run : RunDirectory.open(outAbs), resumeFrom, tree, train, layout,
                    uncentred == null ? List.of() : List.of(uncentred));
        }
    }

    /**
     * The dataset: {@code --data}, or on resume the run's own. A {@code --data} on resume must name the
     * run's dataset: another one would train on data that config.yaml does not record.
     */
    private static Path dataOf(Options o, ObjectNode tree, RunDirectory run) throws IOException {
        String recorded = tree.path("data").path("path").asText("");
        if (!o.resume()) {
            if (o.data() == null) {
                throw new IllegalArgumentException("--data is required (unless --resume)");
            }
            return o.data();
        }
        if (recorded.isEmpty()) {
            if (o.data() == null) {
                throw new IllegalArgumentException(run.root().resolve(RunDirectory.CONFIG)
                        + " records no dataset (data.path); pass --data");
            }
            return o.data();
        }
        Path runData = Path.of(recorded);
        if (o.data() != null && !samePath(o.data(), runData)) {
            throw new IllegalArgumentException("--data " + o.data().toAbsolutePath().normalize() + " is not the dataset "
                    + "the run " + run.root() + " was trained on (" + runData + "); --resume continues on its own "
                    + "dataset (leave out --data), or start a new run");
        }
        return runData;
    }

    private static boolean samePath(Path a, Path b) throws IOException {
        Path x = a.toAbsolutePath().normalize();
        Path y = b.toAbsolutePath().normalize();
        if (x.equals(y)) {
            return true;
        }
        return Files.exists(x) && Files.exists(y) && Files.isSameFile(x, y);
    }

    /**
     * The checkpoint a resume starts from, after checking that the run folder is whole: its
     * configuration, a checkpoint with optimiser state, and a metrics history with a row for every
     * epoch up to that checkpoint (rows after it, from a kill between the row and the checkpoint, are
     * dropped later). Anything else is an error, never a silently new history.
     */
    private static Checkpoint requireResumable(RunDirectory run) throws IOException {
        Path config = run.root().resolve(RunDirectory.CONFIG);
        if (!Files.isRegularFile(config)) {
            throw new IllegalArgumentException(run.root() + ": not a run folder (no " + RunDirectory.CONFIG
                    + "), nothing to --resume");
        }
        Checkpoint c = run.latest().orElseThrow(() -> new IllegalArgumentException(run.root()
                + ": no complete checkpoint to resume from (the run stopped before its first checkpoint); "
                + "restart it with --force"));
        if (!c.hasOptimizerState()) {
            throw new IllegalArgumentException(c.dir() + " holds model parameters only, no optimizer state "
                    + "(an imported checkpoint?), so it cannot be resumed; use it for evaluation, or start a new run");
        }
        if (c.config().isObject()) {
            ObjectNode recorded = ((ObjectNode) run.readConfig()).deepCopy();
            ObjectNode trained = ((ObjectNode) c.config()).deepCopy();
            for (ObjectNode t : List.of(recorded, trained)) {
                if (t.get("pretrain") instanceof ObjectNode pt) {
                    pt.remove("epochs"); // --epochs may extend a run
                }
            }
            List<String> diff = ConfigTree.differences(recorded, trained);
            if (!diff.isEmpty()) {
                throw new IllegalArgumentException(config + " differs from the settings " + c.dir().getFileName()
                        + " was trained with (" + String.join("; ", diff.subList(0, Math.min(5, diff.size())))
                        + (diff.size() > 5 ? "; " + (diff.size() - 5) + " more" : "") + "); restore config.yaml, "
                        + "or restart with --force");
            }
        }
        Path csv = run.root().resolve(RunDirectory.METRICS_CSV);
        if (!Files.isRegularFile(csv)) {
            throw new IllegalArgumentException(csv + " is missing: the run's history up to " + c.dir().getFileName()
                    + " is gone, so resuming would start a new one; restore the file or restart with --force");
        }
        List<Integer> epochs = new ArrayList<>();
        for (Map<String, String> row : run.readMetrics()) {
            String e = row.get("epoch");
            try {
                epochs.add(Integer.parseInt(e == null ? "" : e.trim()));
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException(csv + ": epoch '" + e + "' is not a whole number; the history is "
                        + "damaged (restore it or restart with --force)");
            }
        }
        for (int e = 0; e <= c.epoch(); e++) {
            if (e >= epochs.size() || epochs.get(e) != e) {
                throw new IllegalArgumentException(csv + " does not match " + c.dir().getFileName() + ": expected one "
                        + "row for each epoch 0.." + c.epoch() + ", found epochs " + epochs
                        + "; restore the file or restart with --force");
            }
        }
        return c;
    }

    /**
     * {@code --force}: whether {@code out} may be emptied so the run starts from scratch. Only a
     * folder that is empty or a run folder (it has config.yaml, a checkpoint or metrics) qualifies,
     * and never one that holds or lies inside the dataset. Nothing is deleted here.
     */
    private static void requireRestartable(Path out, Path data) throws IOException {
        if (!Files.exists(out)) {
            return;
        }
        if (!Files.isDirectory(out)) {
            throw new IllegalArgumentException(out + ": exists and is not a folder; --force replaces run folders only");
        }
        if (data != null) {
            io.skeletonssl.io.OutputPaths.requireDisjoint("--out", out, io.skeletonssl.io.OutputPaths.input("--data", data));
        }
        if (isEmptyDir(out)) {
            return;
        }
        boolean runFolder = Files.isRegularFile(out.resolve(RunDirectory.CONFIG))
                || Files.isRegularFile(out.resolve(RunDirectory.METRICS_CSV))
                || !RunDirectory.open(out).checkpointEpochs().isEmpty();
        if (!runFolder) {
            throw new IllegalArgumentException(out + " is not a run folder (no config.yaml, metrics.csv or "
                    + "checkpoint-E); --force does not delete other folders: choose another --out");
        }
    }

    /** Empties a folder that {@link #requireRestartable} accepted. */
    private static void restart(Path out) throws IOException {
        if (!Files.exists(out)) {
            return;
        }
        try (Stream<Path> entries = Files.list(out)) {
            for (Path p : entries.toList()) {
                if (Files.isDirectory(p)) {
                    io.skeletonssl.io.AtomicDirectory.deleteQuietly(p);
                } else {
                    Files.deleteIfExists(p);
                }
            }
        }
        if (!isEmptyDir(out)) {
            throw new IOException(out + ": could not empty the run folder for --force");
        }
    }

    private Result train(Options o, RunDirectory run, Checkpoint resumeFrom, ObjectNode tree,
                         SkeletonDataset.ClipSplit split, SkeletonLayout layout, List<String> dataWarnings)
            throws Exception {
        JsonNode pt = tree.path("pretrain");
        int epochs = pt.path("epochs").asInt();
        int batchSize = pt.path("batch_size").asInt();
        long seed = pt.path("seed").asLong();
        int every = Math.max(1, pt.path("checkpoint_every").asInt(1));
        if (epochs < 1 || batchSize < 1) {
            throw new IllegalArgumentException("pretrain.epochs and pretrain.batch_size must be >= 1, got "
                    + epochs + " and " + batchSize);
        }
        int threads = o.threads() > 0 ? o.threads() : Runtime.getRuntime().availableProcessors();
        try (NDManager root = Engines.cpu().newManager();
             BatchLoader loader = BatchLoader.builder(split, method.trainTransform(tree, layout))
                     .batchSize(batchSize).dropLast(true).shuffle(true).seed(seed).threads(threads).build();
             Session session = method.open(tree, layout, root)) {
            int iters = loader.batchesPerEpoch();
            if (iters == 0) {
                throw new IllegalArgumentException("the train split has " + split.size()
                        + " clips, fewer than one batch of " + batchSize + " (drop_last)");
            }
            PairList<String, Parameter> state = session.state();
            ParamOptimizer opt = session.optimizer();
            int start = 0;
            if (resumeFrom != null) {
                resumeFrom.loadInto(state, false);
                resumeFrom.restoreOptimizer(opt);
                run.truncateMetricsAfter(resumeFrom.epoch());
                start = resumeFrom.epoch() + 1;
                log.printf("resuming %s from %s (epoch %d of %d)%n", run.root(), resumeFrom.dir().getFileName(),
                        start, epochs);
            }
            if (start >= epochs) {
                throw new IllegalArgumentException(run.root() + ": already trained " + start + " of " + epochs
                        + " epochs; pass a larger --epochs to continue");
            }
            if (resumeFrom == null || o.epochs() != null) {
                run.writeConfig(tree); // on resume, --epochs extends the recorded run
            }
            opt.zeroGradients(); // DJL does not zero gradients; start from a clean slate
            Path[] lastGood = {resumeFrom == null ? null : resumeFrom.dir()};
            NanGuard nanGuard = new NanGuard(() -> lastGood[0]);
            DivergenceGuard.Settings guardSettings = method.divergenceSettings(tree);
            DivergenceGuard divergence = resumeFrom == null ? new DivergenceGuard(guardSettings)
                    : DivergenceGuard.resumed(guardSettings, resumeFrom);
            double previousLoss = resumeFrom == null ? Double.NaN : resumeFrom.extra().path("loss").asDouble(Double.NaN);
            List<String> columns = run.metricsColumns(); // a resumed run keeps its header
            long skipped = 0;
            double lastLoss = Double.NaN;
            int lastEpoch = start - 1;
            List<String> warnings = new ArrayList<>(dataWarnings); // then the epochs' own
            long t0 = System.nanoTime();
            int end = o.stopAfterEpoch() >= 0 ? Math.min(epochs, o.stopAfterEpoch() + 1) : epochs;
            try (TrainingProgress bar = TrainingProgress.start("pretrain " + method.name(), start, epochs, iters);
                 StateSnapshot snapshot = guardSettings.enabled() ? new StateSnapshot(root) : null) {
                int epoch = start;
                int epochRollbacks = 0;
                long e0 = System.nanoTime();
                while (epoch < end) {
                    if (epochRollbacks == 0) {
                        e0 = System.nanoTime(); // an epoch's time includes its rolled-back passes
                    }
                    if (snapshot != null) {
                        snapshot.take(state, opt); // the state a checkpoint after the previous epoch holds
                    }
                    EpochPass pass = new EpochPass();
                    Random rng = epochRandom(seed, epoch);
                    try (BatchLoader.Epoch batches = loader.epoch(epoch)) {
                        for (Batch b : batches) {
                            double stepLr = session.learningRate(epoch, pass.steps, iters) * divergence.lrFactor();
                            pass.lr = stepLr;
                            StepResult r = session.step(root, b, rng);
                            long globalStep = (long) epoch * iters + pass.steps;
                            double norm = r.clip() == null ? Double.NaN : r.clip().norm();
                            if (guardSettings.enabled()) {
                                String why = divergence.problem(r.loss(), r.gradientsFinite(), norm,
                                        method.nonFiniteGradientsDiverge(), previousLoss);
                                if (why != null) {
                                    pass.divergence = divergence.onDivergence(epoch, pass.steps, globalStep, why,
                                            r.loss(), norm, stepLr);
                                    opt.zeroGradients();
                                    bar.rewind(pass.steps);
                                    break;
                                }
                            } else {
                                nanGuard.check(r.loss(), epoch, globalStep);
                            }
                            if (!r.gradientsFinite()) {
                                pass.skipped++;
                            } else {
                                opt.step(stepLr);
                            }
                            opt.zeroGradients();
                            pass.add(r);
                            bar.step(epoch, r.loss(), stepLr, b.size());
                        }
                    }
                    if (pass.divergence != null) {
                        snapshot.restore(state, opt);
                        if (pass.divergence.stops()) {
                            throw stop(run, divergence, pass.divergence, state, opt, tree, seed, every, epochs,
                                    previousLoss);
                        }
                        String report = divergence.report(pass.divergence);
                        log.println("warning: " + report);
                        warnings.add(report);
                        epochRollbacks++;
                        continue; // the epoch again, from the state at its start, at the lowered rate
                    }
                    skipped += pass.skipped;
                    lastLoss = pass.lossSum / pass.steps;
                    lastEpoch = epoch;
                    double sec = (System.nanoTime() - e0) / 1e9;
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("epoch", epoch);
                    row.put("loss", lastLoss);
                    Map<String, Double> means = new LinkedHashMap<>();
                    for (Map.Entry<String, Double> e : pass.termSums.entrySet()) {
                        means.put(e.getKey(), e.getValue() / pass.steps);
                    }
                    row.putAll(means);
                    row.put("lr", pass.lr);
                    if (pass.measured > 0) {
                        row.put("grad_norm", pass.normSum / Math.max(1, pass.finiteNorms)); // mean before clipping
                        row.put("clipped_fraction", pass.clipped / (double) pass.measured);
                    }
                    row.put("seconds", sec);
                    row.put("samples_per_s", pass.steps * (double) batchSize / Math.max(sec, 1e-9));
                    row.put("skipped_steps", pass.skipped);
                    row.put("rollbacks", epochRollbacks);
                    run.appendMetrics(inColumns(row, columns));
                    for (String w : method.epochWarnings(tree, epoch, means)) {
                        log.println("warning: " + w);
                        warnings.add(w);
                    }
                    boolean last = epoch == epochs - 1;
                    if ((epoch + 1) % every == 0 || last || epoch == end - 1) {
                        Map<String, Object> extra = new LinkedHashMap<>();
                        extra.put("loss", lastLoss);
                        extra.put("method", method.name());
                        extra.putAll(divergence.checkpointExtra());
                        Checkpoint c = run.saveCheckpoint(epoch, opt.steps(), seed, state, opt, tree, extra,
                                every, epochs);
                        lastGood[0] = c.dir();
                    }
                    previousLoss = lastLoss;
                    epochRollbacks = 0;
                    epoch++;
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (lastEpoch == epochs - 1) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("method", method.name());
                m.put("code_version", io.skeletonssl.report.CodeVersion.current());
                m.put("environment", io.skeletonssl.engine.MachineInfo.current().toMap());
                m.put("final_loss", lastLoss);
                m.put("epochs", epochs);
                m.put("pretrain_seconds", totalSeconds(run, seconds));
                m.put("skipped_steps", totalSkipped(run));
                m.put("train_clips", split.size());
                m.put("batch_size", batchSize);
                m.put("steps_per_epoch", iters);
                m.put("parameters", session.parameterCounts());
                m.put("resumed_from_epoch", resumeFrom == null ? null : resumeFrom.epoch());
                m.put("warnings", warnings);
                m.put("lr_factor", divergence.lrFactor());
                m.put("divergence_events", divergence.eventMaps());
                run.writeMetricsJson(m);
            }
            return new Result(run.root(), start, lastEpoch, epochs, lastLoss, skipped, seconds);
        }
    }

    /** What one pass over an epoch's batches added up, or the divergence that ended it. */
    private static final class EpochPass {
        double lossSum;
        int steps;
        long skipped;
        double lr;
        final Map<String, Double> termSums = new LinkedHashMap<>();
        int measured;
        int finiteNorms;
        double normSum;
        int clipped;
        DivergenceGuard.Event divergence;

        void add(StepResult r) {
            lossSum += r.loss();
            r.terms().forEach((k, v) -> termSums.merge(k, v, Double::sum));
            if (r.clip() != null) {
                measured++;
                if (r.clip().finite()) {
                    finiteNorms++;
                    normSum += r.clip().norm();
                }
                if (r.clip().clipped()) {
                    clipped++;
                }
            }
            steps++;
        }
    }

    /**
     * {@code row} in the columns of the run's metrics.csv, when it has a header already (a run
     * resumed from before a column existed keeps its header: new columns are left out, missing ones
     * empty); {@code row} itself for a new file.
     */
    private Map<String, Object> inColumns(Map<String, Object> row, List<String> columns) {
        if (columns.isEmpty() || new java.util.HashSet<>(columns).equals(row.keySet())) {
            return row;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (String c : columns) {
            out.put(c, row.getOrDefault(c, ""));
        }
        return out;
    }

    /**
     * The divergence after the last allowed rollback: the restored state (the one after the
     * previous epoch) saved as that epoch's checkpoint with the lowered factor, metrics.json saying
     * so, and the exception that ends the run naming the checkpoint.
     */
    private TrainingDivergedException stop(RunDirectory run, DivergenceGuard guard, DivergenceGuard.Event e,
                                           PairList<String, Parameter> state, ParamOptimizer opt, ObjectNode tree,
                                           long seed, int every, int epochs, double previousLoss) throws IOException {
        Path saved = null;
        if (e.epoch() > 0) {
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("loss", previousLoss);
            extra.put("method", method.name());
            extra.putAll(guard.checkpointExtra());
            saved = run.saveCheckpoint(e.epoch() - 1, opt.steps(), seed, state, opt, tree, extra, every, epochs).dir();
        }
        int rollbacks = guard.settings().rollbacks();
        String msg = "training diverged at epoch " + e.epoch() + " step " + e.step() + " (global step "
                + e.globalStep() + "): " + e.reason() + ", again after " + rollbacks + " rollback"
                + (rollbacks == 1 ? "" : "s") + " that each lowered the learning rate x "
                + DivergenceGuard.brief(guard.settings().lrFactor()) + ". "
                + (saved != null
                ? "The last good state (after epoch " + (e.epoch() - 1) + ") is saved as " + saved + ": --resume "
                        + "continues from it with the learning rate x " + DivergenceGuard.brief(e.lrFactor())
                        + " of the schedule; or change the recipe (" + method.divergenceAdvice()
                        + ") and restart with --force"
                : "No epoch was completed, so there is no checkpoint to resume from: change the recipe ("
                        + method.divergenceAdvice() + ") and restart with --force");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", method.name());
        m.put("code_version", io.skeletonssl.report.CodeVersion.current());
        m.put("status", "diverged");
        m.put("message", msg);
        m.put("epochs_completed", e.epoch());
        m.put("epochs", epochs);
        m.put("last_good_checkpoint", saved == null ? null : saved.toString());
        m.put("lr_factor", guard.lrFactor());
        m.put("divergence_events", guard.eventMaps());
        run.writeMetricsJson(m);
        return new TrainingDivergedException(msg, e.epoch(), e.globalStep());
    }

    private static double totalSeconds(RunDirectory run, double fallback) throws IOException {
        double s = 0;
        for (Map<String, String> r : run.readMetrics()) {
            s += Double.parseDouble(r.get("seconds"));
        }
        return s > 0 ? s : fallback;
    }

    private static long totalSkipped(RunDirectory run) throws IOException {
        long s = 0;
        for (Map<String, String> r : run.readMetrics()) {
            s += Long.parseLong(r.get("skipped_steps"));
        }
        return s;
    }

    private static boolean isEmptyDir(Path p) throws IOException {
        if (!Files.isDirectory(p)) {
            return false;
        }
        try (Stream<Path> s = Files.list(p)) {
            return s.findAny().isEmpty();
        }
    }
}
