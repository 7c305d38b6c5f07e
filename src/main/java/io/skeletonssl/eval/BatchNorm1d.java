package io.skeletonssl.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

import java.util.Arrays;

/**
 * {@code torch.nn.BatchNorm1d(dim, affine=False)} on (N, dim) inputs. Training mode normalises with
 * the batch mean and biased batch variance and updates the running statistics with the unbiased
 * variance: {@code r ← (1 − momentum)·r + momentum·stat}, from mean 0 and variance 1. Evaluation
 * mode normalises with the running statistics, so a prediction never depends on the rest of its
 * batch. The running statistics live on the host (they are not trained).
 */
public final class BatchNorm1d {

    private final int dim;
    private final double eps;
    private final double momentum;
    private final float[] runningMean;
    private final float[] runningVar;
    private long batchesTracked;

    public BatchNorm1d(int dim, double eps, double momentum) {
        if (dim <= 0 || !(eps > 0) || !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("BatchNorm1d needs dim > 0, eps > 0, momentum in [0, 1]; got dim "
                    + dim + ", eps " + eps + ", momentum " + momentum);
        }
        this.dim = dim;
        this.eps = eps;
        this.momentum = momentum;
        this.runningMean = new float[dim];
        this.runningVar = new float[dim];
        Arrays.fill(runningVar, 1f);
    }

    /** Normalises {@code x} (N, dim); in training mode also updates the running statistics. */
    public NDArray forward(NDArray x, boolean training) {
        Shape s = x.getShape();
        if (s.dimension() != 2 || s.get(1) != dim) {
            throw new IllegalArgumentException("BatchNorm1d(" + dim + ") expects (N, " + dim + "), got " + s);
        }
        long n = s.get(0);
        if (!training) {
            NDArray mean = x.getManager().create(runningMean);
            NDArray std = x.getManager().create(runningVar).add((float) eps).sqrt();
            return x.sub(mean).div(std);
        }
        if (n < 2) {
            throw new IllegalArgumentException("BatchNorm1d in training mode needs more than 1 value per channel, got a batch of " + n);
        }
        NDArray mean = x.mean(new int[] {0});
        NDArray centered = x.sub(mean);
        NDArray var = centered.square().mean(new int[] {0});
        update(mean.toFloatArray(), var.toFloatArray(), n);
        return centered.div(var.add((float) eps).sqrt());
    }

    private void update(float[] mean, float[] biasedVar, long n) {
        double unbias = (double) n / (n - 1);
        for (int i = 0; i < dim; i++) {
            runningMean[i] = (float) ((1 - momentum) * runningMean[i] + momentum * mean[i]);
            runningVar[i] = (float) ((1 - momentum) * runningVar[i] + momentum * biasedVar[i] * unbias);
        }
        batchesTracked++;
    }

    public float[] runningMean() {
        return runningMean.clone();
    }

    public float[] runningVar() {
        return runningVar.clone();
    }

    public long batchesTracked() {
        return batchesTracked;
    }
}
