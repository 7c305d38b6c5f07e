package io.skeletonssl.training;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import io.skeletonssl.engine.FusedOptim;

import java.util.List;
import java.util.Map;

/**
 * Adam with decoupled weight decay, step for step as {@code torch.optim.AdamW} (single-tensor,
 * amsgrad off, maximize off):
 * <pre>
 *   p  ← p·(1 − lr·wd)
 *   m  ← β1·m + (1 − β1)·g
 *   v  ← β2·v + (1 − β2)·g²
 *   p  ← p − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + eps)
 * </pre>
 * with t counting from 1 and wd taken per parameter from {@link WeightDecayGroups}. DJL 0.34 has an
 * {@code AdamW}, but with one decay for all parameters and its own update kernel, so this one is ours.
 * Where the engine has it, each group of equal decay is updated in one call of torch's fused AdamW
 * kernel ({@link FusedOptim}); the same arithmetic, in one pass.
 */
public final class AdamW extends AbstractParamOptimizer {

    public static final String EXP_AVG = "exp_avg";
    public static final String EXP_AVG_SQ = "exp_avg_sq";

    private final double beta1;
    private final double beta2;
    private final double eps;

    public AdamW(PairList<String, Parameter> params, WeightDecayGroups decay, double beta1, double beta2, double eps) {
        this(params, decay, Map.of(), beta1, beta2, eps);
    }

    /**
     * With per-parameter learning-rate factors (layer-wise decay, spec §2.10): parameter p is updated
     * with {@code lr·lrScales[p]}, its decoupled weight decay included, as timm's param groups do.
     */
    public AdamW(PairList<String, Parameter> params, WeightDecayGroups decay, Map<String, Double> lrScales,
                 double beta1, double beta2, double eps) {
        super(params, decay, lrScales, List.of(EXP_AVG, EXP_AVG_SQ));
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps >= 0)) {
            throw new IllegalArgumentException("AdamW needs 0 <= betas < 1 and eps >= 0; got " + beta1 + ", " + beta2 + ", " + eps);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    /** MAMP's settings: betas (0.9, 0.95), eps 1e-8. */
    public static AdamW mamp(PairList<String, Parameter> params, WeightDecayGroups decay) {
        return new AdamW(params, decay, 0.9, 0.95, 1e-8);
    }

    @Override
    protected boolean updateFused(List<Slot> group, double lr, long t) {
        List<NDArray> m = new java.util.ArrayList<>(group.size());
        List<NDArray> v = new java.util.ArrayList<>(group.size());
        for (Slot s : group) {
            m.add(stateOf(EXP_AVG, s, null));
            v.add(stateOf(EXP_AVG_SQ, s, null));
        }
        FusedOptim.adamw(arrays(group), gradients(group), m, v, t, lr, beta1, beta2, group.get(0).weightDecay(), eps);
        return true;
    }

    @Override
    protected void update(Slot slot, NDArray p, NDArray g, double lr, long t) {
        if (slot.weightDecay() != 0.0) {
            p.muli(1.0 - lr * slot.weightDecay());
        }
        NDArray m = stateOf(EXP_AVG, slot, null);
        NDArray v = stateOf(EXP_AVG_SQ, slot, null);
        m.muli(beta1).addi(g.mul(1.0 - beta1));
        v.muli(beta2).addi(g.mul(g).muli(1.0 - beta2));
        double bc1 = 1.0 - Math.pow(beta1, t);
        double bc2Sqrt = Math.sqrt(1.0 - Math.pow(beta2, t));
        double stepSize = lr / bc1;
        NDArray denom = v.sqrt().divi(bc2Sqrt).addi(eps);
        p.subi(m.div(denom).muli(stepSize));
    }
}
