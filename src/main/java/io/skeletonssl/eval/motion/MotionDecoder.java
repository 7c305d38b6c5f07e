package io.skeletonssl.eval.motion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.skeletonssl.models.blocks.Dense;
import io.skeletonssl.models.blocks.InitRule;
import io.skeletonssl.models.blocks.SeededBlock;
import io.skeletonssl.models.pcm3.GruStack;

/**
 * The motion-prediction decoder (Martinez et al. 2017 with the encoder feature as its start): the
 * GRU's initial state is {@code tanh(init(feature))} (tanh keeps it in the range a GRU state lives
 * in); it is fed the last observed pose, and at every step a linear layer on its output gives the
 * change from the previous pose (residual velocity), which is added to it; the new pose is the next
 * input. The same rollout runs in training, so the model learns from its own predictions
 * (Martinez's sampling-based loss). Poses are 3·V values, (joint, xyz) order, metres; the GRU
 * reads them standardised and its velocity is in standard deviations ({@link PoseStats}), so the
 * residual itself is added in metres. PyTorch's default inits, except the output layer, which
 * starts at zero (Martinez: U(±0.04)): the untrained decoder is then exactly the zero-velocity
 * baseline, a strong predictor at these horizons, and training moves away from it only as far as
 * the loss rewards; with U(±0.04) and a few hundred steps the decoder was still far worse than it.
 */
public final class MotionDecoder extends SeededBlock {

    private final int featureDim;
    private final int poseDim;
    private final int hidden;
    private final Dense init;
    private final GruStack gru;
    private final Dense out;

    public MotionDecoder(int featureDim, int joints, int hidden) {
        this.featureDim = featureDim;
        this.poseDim = 3 * joints;
        this.hidden = hidden;
        this.init = child("init", Dense.torchDefault(featureDim, hidden, featureDim));
        this.gru = child("gru", GruStack.torchDefault(poseDim, hidden, 1, 1));
        this.out = child("out", new Dense(hidden, poseDim, InitRule.of(InitRule.Kind.ZEROS),
                InitRule.of(InitRule.Kind.ZEROS)));
    }

    /**
     * Predicts {@code steps} poses: {@code feature} (n, featureDim), {@code last} (n, 3·V) the last
     * observed pose, {@code mean} and {@code std} (3·V) the standardisation; returns (n, steps, 3·V), metres.
     */
    public NDArray rollout(NDArray feature, NDArray last, NDArray mean, NDArray std, int steps, boolean training) {
        long n = feature.getShape().get(0);
        if (feature.getShape().dimension() != 2 || feature.getShape().get(1) != featureDim
                || !last.getShape().equals(new Shape(n, poseDim))) {
            throw new IllegalArgumentException("decoder expects features (n, " + featureDim + ") and poses (n, "
                    + poseDim + "), got " + feature.getShape() + " and " + last.getShape());
        }
        NDArray h = init.forward(feature).tanh().reshape(1, n, hidden);
        NDArray pose = last;
        NDList poses = new NDList(steps);
        for (int s = 0; s < steps; s++) {
            NDArray in = pose.sub(mean).div(std).reshape(n, 1, poseDim);
            NDList o = gru.forwardFrom(in, h, training);
            h = o.get(1);
            pose = pose.add(out.forward(o.get(0).reshape(n, hidden)).mul(std));
            poses.add(pose);
        }
        return NDArrays.stack(poses, 1);
    }

    public int hidden() {
        return hidden;
    }
}
