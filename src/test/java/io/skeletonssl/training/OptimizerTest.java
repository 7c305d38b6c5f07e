package io.skeletonssl.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.PairList;
import io.skeletonssl.engine.Engines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Hand-computed steps on a 1×1 weight (decayed: 2-D) and a 1-element bias (not decayed: 1-D),
 * with gradients 0.5, −0.25, 0.125 produced by backward() of loss = Σ c·p.
 */
class OptimizerTest {

    private static final double[] GRADS = {0.5, -0.25, 0.125};

    private NDManager manager;
    private PairList<String, Parameter> params;

    @BeforeEach
    void setUp() {
        manager = Engines.cpu().newManager();
        params = new PairList<>();
        params.add("w", param(manager, "w", manager.create(new float[] {1.0f}, new Shape(1, 1))));
        params.add("b", param(manager, "b", manager.create(new float[] {0.5f}, new Shape(1))));
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    static Parameter param(NDManager m, String name, NDArray array) {
        array.setRequiresGradient(true);
        return Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optArray(array).build();
    }

    /** Leaves gradient g on every parameter. */
    static void backward(PairList<String, Parameter> params, double g) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.zeroGradients(); // DJL 0.34 does not zero on collector creation: a training loop must
            NDArray loss = null;
            for (Parameter p : params.values()) {
                NDArray term = p.getArray().mul((float) g).sum();
                loss = loss == null ? term : loss.add(term);
            }
            gc.backward(loss);
        }
    }

    private float value(String name) {
        return params.get(name).getArray().getFloat(0);
    }

    @Test
    void adamWMatchesTorchArithmetic() {
        WeightDecayGroups groups = WeightDecayGroups.timm(params, 0.05, Set.of());
        assertThat(groups.decays()).containsEntry("w", 0.05).containsEntry("b", 0.0);
        try (AdamW opt = AdamW.mamp(params, groups)) {
            // step 1: w = 1·(1 − 0.1·0.05) = 0.995; m = 0.05, v = 0.0125; m̂ = 0.5, √v̂ = 0.5 → w = 0.995 − 0.1 = 0.895
            //         b (no decay): 0.5 − 0.1 = 0.4
            backward(params, GRADS[0]);
            opt.step(0.1);
            assertThat(value("w")).isCloseTo(0.895f, within(1e-6f));
            assertThat(value("b")).isCloseTo(0.4f, within(1e-6f));
            // step 2: w = 0.895·0.995 − (0.1/0.19)·0.02/(√0.015/√0.0975) = 0.863688058
            backward(params, GRADS[1]);
            opt.step(0.1);
            assertThat(value("w")).isCloseTo(0.8636881f, within(1e-6f));
            assertThat(value("b")).isCloseTo(0.3731631f, within(1e-6f));
            backward(params, GRADS[2]);
            opt.step(0.1);
            assertThat(value("w")).isCloseTo(0.8247015f, within(1e-6f));
            assertThat(value("b")).isCloseTo(0.3384949f, within(1e-6f));
            assertThat(opt.steps()).isEqualTo(3);
            assertThat(opt.stateArrays()).containsOnlyKeys("exp_avg/w", "exp_avg/b", "exp_avg_sq/w", "exp_avg_sq/b");
        }
    }

    @Test
    void sgdMomentumWithL2MatchesTorchArithmetic() {
        WeightDecayGroups groups = WeightDecayGroups.uniform(params, 0.1);
        try (Sgd opt = new Sgd(params, groups, 0.9)) {
            // step 1: d = 0.5 + 0.1·1 = 0.6, buf = 0.6, w = 1 − 0.1·0.6 = 0.94
            backward(params, GRADS[0]);
            opt.step(0.1);
            assertThat(value("w")).isCloseTo(0.94f, within(1e-6f));
            // b: d = 0.5 + 0.05 = 0.55, b = 0.5 − 0.055 = 0.445
            assertThat(value("b")).isCloseTo(0.445f, within(1e-6f));
            // step 2: d = −0.25 + 0.094 = −0.156, buf = 0.54 − 0.156 = 0.384, w = 0.94 − 0.0384 = 0.9016
            backward(params, GRADS[1]);
            opt.step(0.1);
            assertThat(value("w")).isCloseTo(0.9016f, within(1e-6f));
            // b: d = −0.25 + 0.0445 = −0.2055, buf = 0.495 − 0.2055 = 0.2895, b = 0.445 − 0.02895 = 0.41605
            assertThat(value("b")).isCloseTo(0.41605f, within(1e-6f));
        }
    }

    @Test
    void sgdWithoutDecayOrMomentumIsPlainGradientDescent() {
        try (Sgd opt = new Sgd(params, WeightDecayGroups.uniform(params, 0.0), 0.0)) {
            backward(params, GRADS[0]);
            opt.step(0.2);
            assertThat(value("w")).isCloseTo(0.9f, within(1e-6f));
            assertThat(value("b")).isCloseTo(0.4f, within(1e-6f));
            assertThat(opt.stateArrays()).isEmpty();
        }
    }

    @Test
    void stateRoundTripContinuesIdentically() {
        // run A: three steps in one optimizer; run B: one step, save state, restore into a fresh optimizer, two more
        try (NDManager other = Engines.cpu().newManager()) {
            PairList<String, Parameter> copy = new PairList<>();
            copy.add("w", param(other, "w", other.create(new float[] {1.0f}, new Shape(1, 1))));
            copy.add("b", param(other, "b", other.create(new float[] {0.5f}, new Shape(1))));
            try (AdamW a = AdamW.mamp(params, WeightDecayGroups.timm(params, 0.05, Set.of()))) {
                for (double g : GRADS) {
                    backward(params, g);
                    a.step(0.1);
                }
            }
            Map<String, HostTensor> saved = new LinkedHashMap<>();
            long steps;
            try (AdamW b1 = AdamW.mamp(copy, WeightDecayGroups.timm(copy, 0.05, Set.of()))) {
                backward(copy, GRADS[0]);
                b1.step(0.1);
                b1.stateArrays().forEach((k, v) -> saved.put(k, HostTensor.of(v)));
                steps = b1.steps();
            }
            try (AdamW b2 = AdamW.mamp(copy, WeightDecayGroups.timm(copy, 0.05, Set.of()))) {
                b2.loadState(steps, saved);
                assertThat(b2.steps()).isEqualTo(1);
                backward(copy, GRADS[1]);
                b2.step(0.1);
                backward(copy, GRADS[2]);
                b2.step(0.1);
            }
            assertThat(copy.get("w").getArray().getFloat(0)).isEqualTo(value("w"));
            assertThat(copy.get("b").getArray().getFloat(0)).isEqualTo(value("b"));
        }
    }

    @Test
    void loadStateRejectsWrongShapeAndUnknownNames() {
        try (AdamW opt = AdamW.mamp(params, WeightDecayGroups.timm(params, 0.05, Set.of()))) {
            assertThatThrownBy(() -> opt.loadState(1, Map.of("exp_avg/w", new HostTensor(new long[] {2}, new float[2]))))
                    .hasMessageContaining("exp_avg/w").hasMessageContaining("(2)").hasMessageContaining("(1, 1)");
            assertThatThrownBy(() -> opt.loadState(1, Map.of("exp_avg/zzz", new HostTensor(new long[] {1}, new float[1]))))
                    .hasMessageContaining("exp_avg/zzz");
            assertThatThrownBy(() -> opt.loadState(1, Map.of("momentum_buffer/w", new HostTensor(new long[] {1, 1}, new float[1]))))
                    .hasMessageContaining("momentum_buffer/w");
        }
    }

    @Test
    void frozenParametersAreNotTouched() {
        params.get("b").freeze(true);
        WeightDecayGroups groups = WeightDecayGroups.timm(params, 0.05, Set.of());
        assertThat(groups.decays()).containsOnlyKeys("w");
        params.get("b").freeze(false);
        try (Sgd opt = new Sgd(params, groups, 0.0)) {
            backward(params, 1.0);
            opt.step(0.1);
            assertThat(value("b")).isEqualTo(0.5f);
            // SGD's L2 decay from the group: d = 1 + 0.05·1 → w = 1 − 0.1·1.05
            assertThat(value("w")).isCloseTo(0.895f, within(1e-6f));
        }
    }

    @Test
    void gradientChecksAndZeroing() {
        try (Sgd opt = new Sgd(params, WeightDecayGroups.uniform(params, 0.0), 0.0)) {
            backward(params, 0.5);
            assertThat(opt.gradientsFinite()).isTrue();
            backward(params, Double.NaN);
            assertThat(opt.gradientsFinite()).isFalse();
            backward(params, Double.POSITIVE_INFINITY);
            assertThat(opt.gradientsFinite()).isFalse();
            opt.zeroGradients();
            assertThat(opt.gradientsFinite()).isTrue();
            assertThat(params.get("w").getArray().getGradient().toFloatArray()).containsExactly(0f);
            opt.step(0.1);
            assertThat(value("w")).isEqualTo(1.0f);
        }
    }

    @Test
    void noLeakedArraysPerStep() {
        try (AdamW opt = AdamW.mamp(params, WeightDecayGroups.timm(params, 0.05, Set.of()))) {
            backward(params, 0.5);
            opt.step(0.01);
            int before = countArrays(manager);
            for (int i = 0; i < 20; i++) {
                opt.step(0.01);
            }
            assertThat(countArrays(manager)).isEqualTo(before);
        }
    }

    private static int countArrays(NDManager m) {
        return ((ai.djl.ndarray.BaseNDManager) m).getManagedArrays().size();
    }
}
