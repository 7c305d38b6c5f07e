package io.skeletonssl.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.dataset.SkeletonDataset;
import io.skeletonssl.io.AtomicDirectory;
import io.skeletonssl.layout.SkeletonLayout;
import io.skeletonssl.loader.ClipSource;
import io.skeletonssl.training.RunDirectory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Linear probing: a frozen encoder, one feature per clip, a head trained with SGD on the features
 * in the method's recipe ({@link ProbeRecipe}): MAMP (spec §2.9) a BatchNorm1d(affine=False) +
 * Linear head with a per-iteration cosine learning rate, train clips with the pretraining
 * augmentation; PCM3 (§3.13) a Linear head with step decay, train clips randomly cropped. Test
 * clips get the centre crop. Test accuracy is
 * measured after every epoch; the headline is the last epoch's ({@code final_top1}); the best epoch
 * is reported too, labelled as selected on the test set. Accuracies are in percent.
 *
 * <p>With a validation fraction F &gt; 0 a stratified, seeded part of the training split (F of every
 * class) is held out and only used to select an epoch; the test accuracy at that epoch is reported
 * next to the final-epoch headline ({@code val_selected_test_top1}).
 *
 * <p>The output folder (built aside and renamed into place at the end) holds {@code config.yaml}
 * (resolved), {@code metrics.csv} (per epoch: epoch, loss, lr, train_top1, [val_top1,] test_top1,
 * test_top5, seconds), {@code metrics.json} and the final epoch's {@link TestScores}.
 */
public final class LinearProbe {

    /**
     * What to run. {@code checkpoint}: a run folder, a checkpoint folder or {@code random}
     * (then {@code preset} is required). {@code epochs} and {@code seed} (may be null) override
     * {@code linear_probe.epochs} / {@code linear_probe.seed}.
     */
    public record Options(String checkpoint, String preset, List<String> sets, Path data, Path out, Integer epochs,
                          Long seed, int threads, String trainSplit, String testSplit, boolean force, double valFraction) {
        public Options {
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(out, "out");
            sets = sets == null ? List.of() : List.copyOf(sets);
            trainSplit = trainSplit == null ? "train" : trainSplit;
            testSplit = testSplit == null ? "test" : testSplit;
            if (valFraction != 0 && !(valFraction > 0 && valFraction < 1)) {
                throw new IllegalArgumentException("--val-fraction must lie in (0, 1), got " + valFraction);
            }
        }

        /** Without a validation part. */
        public Options(String checkpoint, String preset, List<String> sets, Path data, Path out, Integer epochs,
                       Long seed, int threads, String trainSplit, String testSplit, boolean force) {
            this(checkpoint, preset, sets, data, out, epochs, seed, threads, trainSplit, testSplit, force, 0);
        }
    }

    /**
     * The outcome; accuracies in percent. {@code valSelectedEpoch} is the epoch of best validation
     * top-1 (−1 without {@code --val-fraction}) and {@code valSelectedTop1} the test top-1 there (NaN without).
     */
    public record Result(Path out, double finalTop1, double finalTop5, double bestTop1, int bestEpoch,
                         int trainClips, int testClips, int classes, double seconds, int valSelectedEpoch,
                         double valSelectedTop1) {
    }

    private final PrintStream log;

    public LinearProbe(PrintStream log) {
        this.log = log;
    }

    public Result run(Options o) throws Exception {
        return open(o, tree -> { }, log, p -> {
            ClipSource train = ClipSource.of(p.train());
            ClipSource val = null;
            if (o.valFraction() > 0) {
                ProbeSession.Holdout h = ProbeSession.holdOut(train, o.valFraction(), p.recipe().seed());
                val = ClipSource.subset(train, h.val());
                train = ClipSource.subset(train, h.train());
            }
            ClipSource test = ClipSource.of(p.test());
            ProbeSession session = p.session();
            Features testFeatures = session.fixed(test, "split '" + p.test().name() + "'");
            Features valFeatures = val == null ? null
                    : session.fixed(val, "validation part of '" + p.train().name() + "'");
            ClipSource trainClips = train;
            ProbeSession.TrainFeatures trainFeatures = session.train(v -> trainClips, "split '" + p.train().name() + "'");
            return session.fitAndWrite("linear", trainFeatures, valFeatures, testFeatures, test, p.names(o),
                    p.temp(), p.target(), Map.of());
        });
    }

    /**
     * What a probe protocol works on: the dataset's splits, the open encoder, its resolved
     * configuration (written as {@code config.yaml}), the recipe, a {@link ProbeSession}, and the
     * output folder being built ({@code temp}, renamed to {@code target} when the body returns).
     */
    record Opened(SkeletonLayout layout, SkeletonDataset.ClipSplit train, SkeletonDataset.ClipSplit test,
                  Encoders.Loaded encoder,
                  ObjectNode config, ProbeRecipe recipe, int classes, ProbeSession session, Path temp, Path target) {
        ProbeSession.Names names(Options o) {
            return new ProbeSession.Names(train.name(), test.name(), o.valFraction());
        }

        String dataset() {
            return config.path("data").path("path").asText();
        }
    }

    /** A protocol's body on an {@link Opened} probe target. */
    interface Body<T> {
        T run(Opened p) throws Exception;
    }

    /**
     * Opens the dataset, encoder and output folder of {@code o}, lets {@code configure} add the
     * protocol's settings to the resolved configuration before it is written, runs {@code body} and
     * commits the folder (nothing is left behind if it fails).
     */
    static <T> T open(Options o, java.util.function.Consumer<ObjectNode> configure, PrintStream log, Body<T> body)
            throws Exception {
        try (SkeletonDataset ds = SkeletonDataset.open(o.data())) {
            SkeletonDataset.ClipSplit train = split(ds, o.trainSplit(), "--train-split");
            SkeletonDataset.ClipSplit test = split(ds, o.testSplit(), "--test-split");
            List<String> sets = new ArrayList<>(o.sets());
            if (o.epochs() != null) {
                sets.add("linear_probe.epochs=" + o.epochs());
            }
            if (o.seed() != null) {
                sets.add("linear_probe.seed=" + o.seed());
            }
            try (Encoders.Loaded enc = Encoders.open(o.checkpoint(), o.preset(), sets, ds.manifest().layout(),
                    train.persons(), log);
                 AtomicDirectory dir = AtomicDirectory.create(o.out(), o.force())) {
                ObjectNode tree = enc.config();
                String dataset = ds.dir().toAbsolutePath().normalize().toString();
                ((ObjectNode) tree.path("data")).put("path", dataset);
                ProbeRecipe pc = enc.probeRecipe();
                int classes = classCount(ds, train, test);
                configure.accept(tree);
                RunDirectory.open(dir.temp()).writeConfig(tree);
                ProbeSession session = new ProbeSession(enc, pc, classes, o.threads(), o.checkpoint(), dataset, log);
                T r = body.run(new Opened(ds.manifest().layout(), train, test, enc, tree, pc, classes, session,
                        dir.temp(), dir.target()));
                dir.commit();
                return r;
            }
        }
    }

    public static SkeletonDataset.ClipSplit split(SkeletonDataset ds, String name, String option) throws IOException {
        if (!ds.splitNames().contains(name)) {
            throw new IllegalArgumentException(ds.dir() + ": no split '" + name + "' (the dataset has "
                    + ds.splitNames() + "; choose with " + option + ")");
        }
        SkeletonDataset.ClipSplit s = ds.clips(name);
        if (s.size() == 0) {
            throw new IllegalArgumentException(ds.dir() + ": split '" + name + "' is empty");
        }
        return s;
    }

    /** The manifest's class count, checked against the labels present. */
    public static int classCount(SkeletonDataset ds, SkeletonDataset.ClipSplit... splits) {
        int max = -1;
        for (SkeletonDataset.ClipSplit s : splits) {
            for (int l : s.labels()) {
                if (l < 0) {
                    throw new IllegalArgumentException(ds.dir() + ": split '" + s.name() + "' has unlabelled clips (label "
                            + l + ")");
                }
                max = Math.max(max, l);
            }
        }
        int declared = ds.manifest().numClasses();
        if (declared > 0 && max >= declared) {
            throw new IllegalArgumentException(ds.dir() + ": label " + max + " but the manifest declares "
                    + declared + " classes");
        }
        return Math.max(declared, max + 1);
    }

}
