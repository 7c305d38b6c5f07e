package io.skeletonssl.eval;

import io.skeletonssl.training.LrSchedule;
import io.skeletonssl.training.NanGuard;
import io.skeletonssl.training.Sgd;
import io.skeletonssl.training.TrainingProgress;
import io.skeletonssl.training.WeightDecayGroups;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * Trains a {@link ProbeHead} on precomputed features (spec §2.9, §3.13): per epoch a permutation
 * from (seed, epoch), full batches only (drop_last), the recipe's learning rate per iteration, SGD;
 * after every epoch the head is evaluated on the test features (BatchNorm with running statistics).
 * A non-finite loss stops the fit with a {@link io.skeletonssl.training.TrainingDivergedException}.
 */
public final class HeadTrainer {

    /**
     * One epoch's numbers; accuracies in percent. {@code trainTop1} is over the epoch's training batches, before
     * each update; {@code valTop1} on the held-out validation features (NaN without them).
     */
    public record Epoch(int epoch, double loss, double lr, double trainTop1, double testTop1, double testTopK,
                        double seconds, double valTop1) {
        public Epoch(int epoch, double loss, double lr, double trainTop1, double testTop1, double testTopK,
                     double seconds) {
            this(epoch, loss, lr, trainTop1, testTop1, testTopK, seconds, Double.NaN);
        }
    }

    /** The history and the final epoch's test logits (one row per test feature, in order). */
    public record Fit(List<Epoch> history, float[][] finalTestLogits) {
    }

    /** Called after every epoch (e.g. to append a metrics row). */
    @FunctionalInterface
    public interface Listener {
        void epochDone(Epoch e) throws IOException;
    }

    private final ProbeRecipe recipe;
    private final int dim;
    private final int classes;
    private final String protocol;

    public HeadTrainer(ProbeRecipe recipe, int dim, int classes) {
        this(recipe, dim, classes, "linear probe");
    }

    /** {@code protocol} names the probe in the error when its loss goes non-finite. */
    public HeadTrainer(ProbeRecipe recipe, int dim, int classes, String protocol) {
        this.recipe = recipe;
        this.dim = dim;
        this.classes = classes;
        this.protocol = protocol;
    }

    /** k of the reported top-k accuracy: 5, or the class count if smaller. */
    public int topK() {
        return Math.min(5, classes);
    }

    /**
     * Trains for {@code recipe.epochs()} epochs; {@code trainOfEpoch} gives the training features of
     * each epoch (at least one batch each). Returns the per-epoch history.
     */
    public List<Epoch> fit(IntFunction<Features> trainOfEpoch, int stepsPerEpoch, Features test, Listener listener)
            throws IOException {
        return fit(trainOfEpoch, stepsPerEpoch, test, null, listener).history();
    }

    /**
     * As {@link #fit(IntFunction, int, Features, Listener)}, also measuring top-1 on {@code val} after every
     * epoch (null: none, for model selection without looking at the test set) and keeping the final
     * epoch's test logits.
     */
    public Fit fit(IntFunction<Features> trainOfEpoch, int stepsPerEpoch, Features test, Features val,
                   Listener listener) throws IOException {
        float[][] finalLogits = null;
        List<Epoch> history = new ArrayList<>();
        int b = recipe.batchSize();
        LrSchedule schedule = recipe.schedule();
        // a NaN loss would train a NaN head whose accuracy reads as a plausible-looking 0%
        NanGuard guard = NanGuard.forProtocol(protocol, "lower linear_probe.lr");
        try (ProbeHead head = new ProbeHead(dim, classes, recipe.batchNormEps(), recipe.seed());
             Sgd opt = new Sgd(head.parameters(), WeightDecayGroups.uniform(head.parameters(), recipe.weightDecay()),
                     recipe.momentum());
             TrainingProgress bar = TrainingProgress.start(protocol, 0, recipe.epochs(), stepsPerEpoch)) {
            for (int epoch = 0; epoch < recipe.epochs(); epoch++) {
                long e0 = System.nanoTime();
                Features tr = trainOfEpoch.apply(epoch);
                int steps = tr.size() / b;
                if (steps == 0) {
                    throw new IllegalArgumentException("epoch " + epoch + " has " + tr.size()
                            + " training clips, fewer than one batch of " + b);
                }
                int[] order = permutation(tr.size(), recipe.seed(), epoch);
                double lossSum = 0;
                long correct = 0;
                double lr = 0;
                for (int it = 0; it < steps; it++) {
                    lr = schedule.at(epoch + (double) it / steps);
                    ProbeHead.Step s = head.trainStep(tr.gather(order, it * b, b), tr.gatherLabels(order, it * b, b),
                            opt, lr);
                    guard.check(s.loss(), epoch, (long) epoch * steps + it);
                    lossSum += s.loss();
                    correct += s.correct();
                    bar.step(epoch, s.loss(), lr, b);
                }
                double[] acc = evaluate(head, test);
                double valTop1 = val == null ? Double.NaN : evaluate(head, val)[0];
                Epoch e = new Epoch(epoch, lossSum / steps, lr, 100.0 * correct / ((long) steps * b), acc[0], acc[1],
                        (System.nanoTime() - e0) / 1e9, valTop1);
                history.add(e);
                listener.epochDone(e);
                if (epoch == recipe.epochs() - 1) {
                    finalLogits = logits(head, test);
                }
            }
        }
        return new Fit(history, finalLogits);
    }

    /** The head's logits for every row of {@code features}, in evaluation mode. */
    float[][] logits(ProbeHead head, Features features) {
        float[][] out = new float[features.size()][];
        int[] all = java.util.stream.IntStream.range(0, features.size()).toArray();
        int chunk = 1024;
        for (int from = 0; from < all.length; from += chunk) {
            int n = Math.min(chunk, all.length - from);
            float[] flat = head.logits(features.gather(all, from, n), n);
            for (int i = 0; i < n; i++) {
                out[from + i] = java.util.Arrays.copyOfRange(flat, i * classes, (i + 1) * classes);
            }
        }
        return out;
    }

    /** Test top-1 and top-k accuracy (percent) with the head in evaluation mode. */
    double[] evaluate(ProbeHead head, Features test) {
        int[] all = new int[test.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        long top1 = 0;
        long topk = 0;
        int chunk = 1024;
        for (int from = 0; from < all.length; from += chunk) {
            int n = Math.min(chunk, all.length - from);
            float[] logits = head.logits(test.gather(all, from, n), n);
            int[] y = test.gatherLabels(all, from, n);
            top1 += Accuracy.correct(logits, classes, y, 1);
            topk += Accuracy.correct(logits, classes, y, topK());
        }
        return new double[] {100.0 * top1 / all.length, 100.0 * topk / all.length};
    }

    /** The batch order of an epoch: a permutation from (seed, epoch). */
    public static int[] permutation(int n, long seed, int epoch) {
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L + 1);
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
