package io.skeletonssl.eval.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.PairList;
import io.skeletonssl.engine.Autocast;
import io.skeletonssl.engine.Precision;
import io.skeletonssl.engine.NoGradient;
import io.skeletonssl.eval.Accuracy;
import io.skeletonssl.eval.ProbeHead;
import io.skeletonssl.loader.Batch;
import io.skeletonssl.loader.BatchLoader;
import io.skeletonssl.loader.ClipSource;
import io.skeletonssl.loader.SampleTransform;
import io.skeletonssl.training.LrSchedule;
import io.skeletonssl.training.NanGuard;
import io.skeletonssl.training.ParamOptimizer;
import io.skeletonssl.training.TrainingProgress;
import io.skeletonssl.transforms.Transform;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Trains a {@link TrainableEncoder} and a new head together in a method's {@link FinetuneRecipe}:
 * per epoch a shuffled pass over the labelled clips (order and augmentation from the seed, full
 * batches only; a labelled set smaller than one batch trains in one batch of all of it), the
 * recipe's learning rate per iteration (times each parameter's layer-decay scale), label-smoothed
 * cross-entropy; after every epoch the test clips (and validation clips, if any) are classified in
 * evaluation mode. Every step works in a child manager and scope, so memory stays flat.
 */
public final class Finetuner {

    /** One epoch; accuracies in percent, {@code valTop1} NaN without validation clips. */
    public record Epoch(int epoch, double loss, double lr, double trainTop1, double testTop1, double testTopK,
                        double valTop1, double seconds) {
    }

    /** The history and the final epoch's test logits (rows of skipped clips are dropped). */
    public record Outcome(List<Epoch> history, float[][] testLogits, int[] testLabels, List<String> testNames,
                          int batchSize, int stepsPerEpoch, long headParameters, long encoderParameters) {
        public Epoch last() {
            return history.get(history.size() - 1);
        }
    }

    @FunctionalInterface
    public interface Listener {
        void epochDone(Epoch e) throws IOException;
    }

    /** Clips per evaluation batch. */
    static final int EVAL_BATCH = 64;

    private final TrainableEncoder encoder;
    private final FinetuneRecipe recipe;
    private final int threads;
    private final String task;

    public Finetuner(TrainableEncoder encoder, FinetuneRecipe recipe, int threads, String task) {
        this.encoder = encoder;
        this.recipe = recipe;
        this.threads = Math.max(1, threads);
        this.task = task;
    }

    /** Trains on {@code train}, evaluates on {@code test} (and {@code val}, may be null) after every epoch. */
    public Outcome fit(ClipSource train, Transform trainTransform, ClipSource test, Transform testTransform,
                       ClipSource val, int classes, Listener listener) throws IOException {
        checkShape(train, "the training clips");
        checkShape(test, "the test clips");
        if (train.size() < 2) {
            throw new IllegalArgumentException("fine-tuning needs at least 2 labelled training clips (BatchNorm), got "
                    + train.size());
        }
        int b = Math.min(recipe.batchSize(), train.size());
        long seed = recipe.seed();
        LrSchedule schedule = recipe.schedule();
        List<Epoch> history = new ArrayList<>();
        EvalResult lastTest = null;
        NanGuard guard = NanGuard.forProtocol(task, "lower finetune.lr");
        try (FinetuneHead head = recipe.head(encoder, classes, seed);
             ParamOptimizer opt = recipe.optimizer(parameters(head), LayerDecay.scales(encoder, recipe.layerDecay()));
             BatchLoader loader = BatchLoader.builder(train, SampleTransform.of(trainTransform)).batchSize(b)
                     .shuffle(true).dropLast(true).seed(seed).threads(threads).build();
             TrainingProgress bar = TrainingProgress.start(task, 0, recipe.epochs(), loader.batchesPerEpoch())) {
            int steps = loader.batchesPerEpoch();
            for (int epoch = 0; epoch < recipe.epochs(); epoch++) {
                long e0 = System.nanoTime();
                Random rng = new Random(seed * 0x9E3779B97F4A7C15L + epoch);
                double lossSum = 0;
                long correct = 0;
                long seen = 0;
                int done = 0;
                double lr = 0;
                try (BatchLoader.Epoch batches = loader.epoch(epoch)) {
                    for (Batch batch : batches) {
                        lr = schedule.at(epoch + (double) done / steps);
                        StepOut out = step(head, opt, batch, classes, lr, rng, guard, epoch,
                                (long) epoch * steps + done);
                        lossSum += out.loss();
                        correct += Accuracy.correct(out.logits(), classes, batch.labels(), 1);
                        seen += batch.size();
                        done++;
                        bar.step(epoch, out.loss(), lr, batch.size());
                    }
                }
                if (done == 0) {
                    throw new IllegalStateException("epoch " + epoch + " had no training batch (every clip skipped?)");
                }
                lastTest = evaluate(head, test, testTransform, classes);
                double valTop1 = val == null ? Double.NaN : evaluate(head, val, testTransform, classes).top1(classes);
                Epoch e = new Epoch(epoch, lossSum / done, lr, 100.0 * correct / seen, lastTest.top1(classes),
                        lastTest.topK(classes), valTop1, (System.nanoTime() - e0) / 1e9);
                history.add(e);
                listener.epochDone(e);
            }
            long encoderValues = encoder.trainableParameters().values().stream().mapToLong(p -> p.getShape().size()).sum();
            return new Outcome(history, lastTest.logits, lastTest.labels, lastTest.names, b, steps,
                    head.parameterCount(), encoderValues);
        }
    }

    private record StepOut(double loss, float[] logits) {
    }

    /** One update; the loss and the (pre-update) logits of the batch. A non-finite loss stops before the update. */
    private StepOut step(FinetuneHead head, ParamOptimizer opt, Batch batch, int classes, double lr, Random rng,
                         NanGuard guard, int epoch, long globalStep) {
        int n = batch.size();
        try (NDManager m = encoder.manager().newSubManager(); NDScope ignored = new NDScope()) {
            NDArray x = m.create(batch.data(), new Shape(batch.shape(0)));
            NDArray oneHot = m.create(ProbeHead.oneHot(batch.labels(), classes), new Shape(n, classes));
            float[] logits;
            double loss;
            opt.zeroGradients();
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDArray z;
                try (Autocast ignored2 = Autocast.enter(Precision.parse(recipe.precision(), "finetune.precision"))) {
                    z = head.logits(x, true, rng);
                }
                NDArray l = LabelSmoothing.loss(z, oneHot, recipe.labelSmoothing());
                gc.backward(l);
                loss = l.getFloat();
                logits = z.toFloatArray();
            }
            guard.check(loss, epoch, globalStep);
            opt.step(lr);
            return new StepOut(loss, logits);
        }
    }

    /** Test logits in dataset order, with labels and names; skipped clips left out. */
    private record EvalResult(float[][] logits, int[] labels, List<String> names) {
        double top1(int classes) {
            return accuracy(classes, 1);
        }

        double topK(int classes) {
            return accuracy(classes, Math.min(5, classes));
        }

        private double accuracy(int classes, int k) {
            long ok = 0;
            for (int i = 0; i < logits.length; i++) {
                ok += Accuracy.correct(logits[i], classes, new int[] {labels[i]}, k);
            }
            return logits.length == 0 ? Double.NaN : 100.0 * ok / logits.length;
        }
    }

    private EvalResult evaluate(FinetuneHead head, ClipSource source, Transform transform, int classes) {
        float[][] rows = new float[source.size()][];
        try (BatchLoader loader = BatchLoader.builder(source, SampleTransform.of(transform)).batchSize(EVAL_BATCH)
                .shuffle(false).dropLast(false).seed(recipe.seed()).threads(threads).build();
             BatchLoader.Epoch batches = loader.epoch(0)) {
            for (Batch batch : batches) {
                float[] z;
                try (NoGradient ng = NoGradient.enter(); NDManager m = encoder.manager().newSubManager();
                     NDScope ignored = new NDScope()) {
                    z = head.logits(m.create(batch.data(), new Shape(batch.shape(0))), false, null).toFloatArray();
                }
                for (int i = 0; i < batch.size(); i++) {
                    float[] row = new float[classes];
                    System.arraycopy(z, i * classes, row, 0, classes);
                    rows[batch.index(i)] = row;
                }
            }
        }
        List<float[]> kept = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] != null) {
                kept.add(rows[i]);
                labels.add(source.label(i));
                names.add(source.name(i));
            }
        }
        return new EvalResult(kept.toArray(new float[0][]), labels.stream().mapToInt(Integer::intValue).toArray(), names);
    }

    /** Encoder parameters under their names, head parameters under {@code head.}+name. */
    private PairList<String, Parameter> parameters(FinetuneHead head) {
        Map<String, Parameter> all = new LinkedHashMap<>(encoder.trainableParameters());
        head.trainableParameters().forEach((n, p) -> all.put("head." + n, p));
        return new PairList<>(all);
    }

    private void checkShape(ClipSource s, String what) {
        if (s.joints() != encoder.joints() || s.persons() != encoder.persons()) {
            throw new IllegalArgumentException(what + " have V=" + s.joints() + ", M=" + s.persons()
                    + "; the encoder expects V=" + encoder.joints() + ", M=" + encoder.persons());
        }
    }
}
