package io.skeletonssl.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.PairList;
import io.skeletonssl.engine.Engines;
import io.skeletonssl.engine.NoGradient;
import io.skeletonssl.engine.Scalars;
import io.skeletonssl.models.blocks.Dense;
import io.skeletonssl.models.blocks.InitRule;
import io.skeletonssl.training.ParamOptimizer;

/**
 * A linear-probe head trained with cross-entropy: {@code Linear(dim, classes)} with weight
 * trunc_normal(std 0.01) and bias 0, after a {@code BatchNorm1d(dim, affine=False)} for MAMP/MAE
 * (spec §2.9) or alone for PCM3 (§3.13, weight N(0, 0.01²): the cut at ±2 is 200 standard
 * deviations away, so the two inits are the same distribution). Each call works in its own child
 * manager and scope, so memory stays flat.
 */
public final class ProbeHead implements AutoCloseable {

    /** BatchNorm momentum: torch's default. */
    public static final double BN_MOMENTUM = 0.1;

    private final NDManager manager;
    private final BatchNorm1d bn;
    private final Dense fc;
    private final int dim;
    private final int classes;

    /** Loss of one training step and how many of its rows the (pre-update) logits got right. */
    public record Step(double loss, int correct) {
    }

    /** {@code bnEps}: eps of the BatchNorm1d before the Linear layer, or NaN for none. */
    public ProbeHead(int dim, int classes, double bnEps, long seed) {
        if (classes < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + classes);
        }
        this.dim = dim;
        this.classes = classes;
        this.bn = Double.isNaN(bnEps) ? null : new BatchNorm1d(dim, bnEps, BN_MOMENTUM);
        this.fc = new Dense(dim, classes, InitRule.of(InitRule.Kind.TRUNC_NORMAL_001), InitRule.of(InitRule.Kind.ZEROS));
        this.manager = Engines.cpu().newManager();
        fc.initializeSeeded(manager, seed);
    }

    /** The trainable parameters ({@code weight} (classes, dim), {@code bias} (classes)). */
    public PairList<String, Parameter> parameters() {
        return new PairList<>(fc.namedParameters());
    }

    /** The head's BatchNorm, or null for a plain Linear head. */
    public BatchNorm1d batchNorm() {
        return bn;
    }

    public int classes() {
        return classes;
    }

    /**
     * One SGD step on rows {@code x} (n·dim values) with labels {@code y}: forward in training mode
     * (a BatchNorm uses batch statistics and updates its running ones), cross-entropy, backward, {@code opt.step(lr)}.
     */
    public Step trainStep(float[] x, int[] y, ParamOptimizer opt, double lr) {
        int n = y.length;
        checkRows(x, n);
        try (NDManager m = manager.newSubManager(); NDScope ignored = new NDScope()) {
            NDArray in = m.create(x, new Shape(n, dim));
            NDArray oneHot = m.create(oneHot(y, classes), new Shape(n, classes));
            float[] logits;
            float loss;
            opt.zeroGradients();
            try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                NDArray z = fc.forward(normalize(in, true));
                NDArray l = Scalars.div(z.logSoftmax(1).mul(oneHot).sum().neg(), n);
                gc.backward(l);
                loss = l.getFloat();
                logits = z.toFloatArray();
            }
            opt.step(lr);
            return new Step(loss, Accuracy.correct(logits, classes, y, 1));
        }
    }

    /** Logits (n·classes values) in evaluation mode: running statistics (if any BatchNorm), no gradients. */
    public float[] logits(float[] x, int n) {
        checkRows(x, n);
        try (NoGradient ng = NoGradient.enter(); NDManager m = manager.newSubManager(); NDScope ignored = new NDScope()) {
            return fc.forward(normalize(m.create(x, new Shape(n, dim)), false)).toFloatArray();
        }
    }

    private NDArray normalize(NDArray x, boolean training) {
        return bn == null ? x : bn.forward(x, training);
    }

    /** Rows of one-hot targets (n·classes values); a label outside 0..classes−1 is an error. */
    public static float[] oneHot(int[] y, int classes) {
        float[] h = new float[y.length * classes];
        for (int i = 0; i < y.length; i++) {
            if (y[i] < 0 || y[i] >= classes) {
                throw new IllegalArgumentException("label " + y[i] + " outside 0.." + (classes - 1));
            }
            h[i * classes + y[i]] = 1f;
        }
        return h;
    }

    private void checkRows(float[] x, int n) {
        if (x.length != (long) n * dim) {
            throw new IllegalArgumentException(x.length + " values are not " + n + " rows of " + dim);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
