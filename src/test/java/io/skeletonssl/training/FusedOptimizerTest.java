package io.skeletonssl.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.PairList;
import io.skeletonssl.engine.Engines;
import io.skeletonssl.engine.FusedOptim;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fused whole-model updates ({@link FusedOptim}) against the per-operation arithmetic of the
 * same optimizers, on random shapes, gradients, decay groups and learning-rate scales over several
 * steps, and the fused finiteness check and zeroing on every kind of non-finite value.
 */
class FusedOptimizerTest {

    private static final long[][] SHAPES = {{7, 5}, {5}, {3, 4, 2}, {1}, {11, 3}, {3}};

    @Test
    void fusedPathIsAvailableOnTheBundledEngine() {
        try (NDManager m = Engines.cpu().newManager()) {
            assertThat(FusedOptim.available(m.zeros(new Shape(1)))).isTrue();
        }
    }

    @Test
    void adamWFusedEqualsPerOperation() {
        for (long seed = 0; seed < 4; seed++) {
            final long s = seed;
            Map<String, Double> scales = Map.of("p0", 0.5, "p2", 0.25, "p4", 0.5);
            compare(seed, params -> new AdamW(params, WeightDecayGroups.timm(params, 0.05 + 0.1 * s, Set.of("p4")),
                    scales, 0.9, 0.95, 1e-8));
        }
    }

    @Test
    void sgdFusedEqualsPerOperation() {
        for (long seed = 0; seed < 4; seed++) {
            final long s = seed;
            compare(seed, params -> new Sgd(params, WeightDecayGroups.timm(params, 1e-4 * (s + 1), Set.of()), 0.9));
        }
    }

    @Test
    void fusedFinitenessCheckSeesEveryNonFiniteValueAndZeroingClearsIt() {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            try (NDManager m = Engines.cpu().newManager()) {
                PairList<String, Parameter> params = params(m, new Random(3));
                try (Sgd opt = new Sgd(params, WeightDecayGroups.uniform(params, 0.0), 0.9)) {
                    backward(params, new Random(4), Float.NaN, -1);
                    assertThat(opt.gradientsFinite()).isTrue();
                    backward(params, new Random(4), bad, 2);
                    assertThat(opt.gradientsFinite()).as("gradient holding %s", bad).isFalse();
                    opt.zeroGradients();
                    assertThat(opt.gradientsFinite()).isTrue();
                    for (Parameter p : params.values()) {
                        assertThat(p.getArray().getGradient().abs().sum().getFloat()).isZero();
                    }
                }
            }
        }
    }

    /** Runs five steps fused and five per operation from the same start and gradients. */
    private static void compare(long seed, Function<PairList<String, Parameter>, ParamOptimizer> make) {
        try (NDManager m = Engines.cpu().newManager()) {
            PairList<String, Parameter> fused = params(m, new Random(seed));
            PairList<String, Parameter> plain = params(m, new Random(seed));
            try (ParamOptimizer a = make.apply(fused); ParamOptimizer b = make.apply(plain)) {
                for (int step = 0; step < 5; step++) {
                    double lr = 0.01 * (step + 1);
                    // one at a time: the collector's zeroGradients() clears every gradient of the engine
                    backward(fused, new Random(100 * seed + step), Float.NaN, -1);
                    a.step(lr);
                    backward(plain, new Random(100 * seed + step), Float.NaN, -1);
                    String before = System.getProperty(FusedOptim.PROPERTY);
                    System.setProperty(FusedOptim.PROPERTY, "false");
                    try {
                        b.step(lr);
                    } finally {
                        if (before == null) {
                            System.clearProperty(FusedOptim.PROPERTY);
                        } else {
                            System.setProperty(FusedOptim.PROPERTY, before);
                        }
                    }
                }
                for (int i = 0; i < fused.size(); i++) {
                    float[] x = fused.get(i).getValue().getArray().toFloatArray();
                    float[] y = plain.get(i).getValue().getArray().toFloatArray();
                    for (int k = 0; k < x.length; k++) {
                        assertThat(x[k]).as("seed %d %s[%d]", seed, fused.get(i).getKey(), k)
                                .isCloseTo(y[k], org.assertj.core.api.Assertions.within(2e-6f * (1 + Math.abs(y[k]))));
                    }
                }
                assertThat(a.stateArrays().keySet()).isEqualTo(b.stateArrays().keySet());
                for (Map.Entry<String, NDArray> e : a.stateArrays().entrySet()) {
                    float[] x = e.getValue().toFloatArray();
                    float[] y = b.stateArrays().get(e.getKey()).toFloatArray();
                    for (int k = 0; k < x.length; k++) {
                        assertThat(x[k]).as("state %s[%d]", e.getKey(), k)
                                .isCloseTo(y[k], org.assertj.core.api.Assertions.within(1e-6f * (1 + Math.abs(y[k]))));
                    }
                }
            }
        }
    }

    private static PairList<String, Parameter> params(NDManager m, Random rng) {
        PairList<String, Parameter> out = new PairList<>();
        for (int i = 0; i < SHAPES.length; i++) {
            Shape shape = new Shape(SHAPES[i]);
            float[] v = new float[(int) shape.size()];
            for (int k = 0; k < v.length; k++) {
                v[k] = (float) rng.nextGaussian();
            }
            NDArray a = m.create(v, shape);
            a.setRequiresGradient(true);
            out.add("p" + i, Parameter.builder().setName("p" + i).setType(Parameter.Type.WEIGHT).optArray(a).build());
        }
        return out;
    }

    /** Leaves random gradients (from rng) on every parameter; element 0 of parameter {@code badAt} gets {@code bad}. */
    private static void backward(PairList<String, Parameter> params, Random rng, float bad, int badAt) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.zeroGradients();
            NDArray loss = null;
            List<Parameter> list = params.values();
            for (int i = 0; i < list.size(); i++) {
                NDArray p = list.get(i).getArray();
                float[] c = new float[(int) p.size()];
                for (int k = 0; k < c.length; k++) {
                    c[k] = (float) rng.nextGaussian();
                }
                if (i == badAt) {
                    c[0] = bad;
                }
                NDArray term = p.mul(p.getManager().create(c, p.getShape())).sum();
                loss = loss == null ? term : loss.add(term);
            }
            gc.backward(loss);
        }
    }
}
