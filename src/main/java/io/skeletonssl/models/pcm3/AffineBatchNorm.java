package io.skeletonssl.models.pcm3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.skeletonssl.models.blocks.InitRule;
import io.skeletonssl.models.blocks.SeededBlock;

/**
 * {@code torch.nn.BatchNorm1d(channels)} on rows (R, channels), through torch's fused batch_norm:
 * affine {@code weight} (1) and {@code bias} (0) are trained; {@code running_mean} (0) and
 * {@code running_var} (1) are buffers. Training mode normalises with the batch statistics (biased
 * variance) and updates the running ones in place, {@code r ← (1 − momentum)·r + momentum·stat} with
 * the unbiased variance; evaluation mode uses the running statistics.
 */
public final class AffineBatchNorm extends SeededBlock {

    public static final float TORCH_EPS = 1e-5f;
    public static final float TORCH_MOMENTUM = 0.1f;

    private final int channels;
    private final float eps;
    private final float momentum;
    private final Parameter weight;
    private final Parameter bias;
    private final Parameter runningMean;
    private final Parameter runningVar;

    public AffineBatchNorm(int channels, float eps, float momentum) {
        if (channels <= 0 || !(eps > 0) || !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("BatchNorm needs channels > 0, eps > 0, momentum in [0, 1]; got "
                    + channels + ", " + eps + ", " + momentum);
        }
        this.channels = channels;
        this.eps = eps;
        this.momentum = momentum;
        weight = param("weight", new Shape(channels), InitRule.of(InitRule.Kind.ONES));
        bias = param("bias", new Shape(channels), InitRule.of(InitRule.Kind.ZEROS));
        runningMean = buffer("running_mean", new Shape(channels), InitRule.of(InitRule.Kind.ZEROS));
        runningVar = buffer("running_var", new Shape(channels), InitRule.of(InitRule.Kind.ONES));
    }

    /** PyTorch's defaults: eps 1e-5, momentum 0.1. */
    public AffineBatchNorm(int channels) {
        this(channels, TORCH_EPS, TORCH_MOMENTUM);
    }

    /** Normalises rows (R, channels); the result lives in {@code x}'s manager. */
    public NDArray forward(NDArray x, boolean training) {
        Shape s = x.getShape();
        if (s.dimension() != 2 || s.get(1) != channels) {
            throw new IllegalArgumentException("BatchNorm(" + channels + ") expects rows (R, " + channels + "), got " + s);
        }
        if (training && s.get(0) < 2) {
            throw new IllegalArgumentException("BatchNorm(" + channels
                    + ") in training mode needs more than 1 value per channel, got " + s.get(0) + " row(s)");
        }
        // DJL passes (1 − momentum) on to torch; axis −1 means "channels already on axis 1".
        return x.getNDArrayInternal().batchNorm(x, runningMean.getArray(), runningVar.getArray(),
                weight.getArray(), bias.getArray(), -1, 1f - momentum, eps, training).singletonOrThrow();
    }

    /**
     * How a constant row {@code shift} (1, channels) added to the input moves the output when the
     * normalisation statistics are those of {@code x} alone: weight·shift / sqrt(var + eps), with
     * the batch variance of {@code x} in training mode and the running one otherwise. Adding it to
     * {@code forward(x)} keeps the shift that {@code forward(x + shift)} would subtract again.
     */
    public NDArray shiftOf(NDArray x, NDArray shift, boolean training) {
        NDArray var;
        if (training) {
            NDArray centred = x.sub(x.mean(new int[]{0}, true));
            var = centred.square().mean(new int[]{0}, true);
        } else {
            var = runningVar.getArray().reshape(1, channels);
        }
        return shift.mul(weight.getArray().reshape(1, channels)).div(var.add(eps).sqrt());
    }

    public int channels() {
        return channels;
    }

    public Parameter runningMean() {
        return runningMean;
    }

    public Parameter runningVar() {
        return runningVar;
    }
}
