package io.skeletonssl.training;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import io.skeletonssl.engine.FusedOptim;

import java.util.List;

/**
 * SGD with momentum as {@code torch.optim.SGD} (dampening 0, no Nesterov): weight decay is L2 added
 * to the gradient, {@code d = g + wd·p}; the momentum buffer starts as {@code d} and is then
 * {@code buf ← μ·buf + d}; {@code p ← p − lr·buf}. With momentum 0 no buffer is kept.
 */
public final class Sgd extends AbstractParamOptimizer {

    public static final String MOMENTUM_BUFFER = "momentum_buffer";

    private final double momentum;

    public Sgd(PairList<String, Parameter> params, WeightDecayGroups decay, double momentum) {
        super(params, decay, List.of(MOMENTUM_BUFFER));
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("SGD momentum must be in [0, 1), got " + momentum);
        }
        this.momentum = momentum;
    }

    @Override
    protected boolean updateFused(List<Slot> group, double lr, long t) {
        if (momentum == 0.0) {
            return false;
        }
        long have = group.stream().filter(s -> hasState(MOMENTUM_BUFFER, s)).count();
        if (have != 0 && have != group.size()) {
            return false; // some buffers restored, some not: slot by slot
        }
        List<NDArray> buffers = new java.util.ArrayList<>(group.size());
        for (Slot s : group) {
            buffers.add(stateOf(MOMENTUM_BUFFER, s, null)); // zeros on the first step: overwritten there
        }
        FusedOptim.sgd(arrays(group), gradients(group), buffers, lr, momentum, group.get(0).weightDecay(), have == 0);
        return true;
    }

    @Override
    protected void update(Slot slot, NDArray p, NDArray g, double lr, long t) {
        NDArray d = slot.weightDecay() != 0.0 ? g.add(p.mul(slot.weightDecay())) : g;
        if (momentum != 0.0) {
            if (!hasState(MOMENTUM_BUFFER, slot)) {
                d = stateOf(MOMENTUM_BUFFER, slot, d);
            } else {
                d = stateOf(MOMENTUM_BUFFER, slot, null).muli(momentum).addi(d);
            }
        }
        p.subi(d.mul(lr));
    }
}
