package io.skeletonssl.methods.pcm3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import io.skeletonssl.engine.Engines;
import io.skeletonssl.engine.FreedMemory;
import io.skeletonssl.layout.Layouts;
import io.skeletonssl.training.ConfigTree;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class Pcm3ModelTest {

    static final int N = 4;
    static final int T = 16;

    private static NDManager root;

    @BeforeAll
    static void open() {
        root = Engines.cpu().newManager();
    }

    @AfterAll
    static void close() {
        root.close();
    }

    /** pcm3-small shrunk: 16 frames, GRU 8 × 2 layers, prompt window 2, queue 16. */
    static Pcm3Settings tiny(String... extra) throws java.io.IOException {
        List<String> sets = new ArrayList<>(List.of("data.frames=" + T, "model.hidden=8", "model.layers=2",
                "model.projector_hidden=12", "model.projector_out=6", "model.decoder_hidden=5", "masking.clips=2",
                "mixing.tem_min=1", "mixing.tem_max=3", "prompts.width=2", "moco.queue=16"));
        sets.addAll(List.of(extra));
        return Pcm3Presets.fromTree(ConfigTree.resolve("pcm3-small", null, sets));
    }

    static Pcm3Model model(Pcm3Settings s, long seed) {
        Pcm3Model model = new Pcm3Model(s, Layouts.ntu25());
        model.initializeSeeded(root, seed);
        return model;
    }

    static NDArray views(NDManager m, long seed) {
        Random r = new Random(seed);
        float[] v = new float[N * 3 * T * 25 * 2];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return m.create(v, new Shape(N, 3, T, 25, 2));
    }

    /** One step with backward; returns the loss values and the gradient norm of every trained parameter. */
    record Step(Map<String, Double> values, Map<String, Double> gradNorms) {
    }

    static Step step(Pcm3Model model, long seed) {
        Map<String, Parameter> trained = model.trainedParameters();
        for (Parameter p : trained.values()) {
            p.getArray().getGradient().subi(p.getArray().getGradient());
        }
        try (NDManager m = root.newSubManager()) {
            Map<String, Double> values;
            try (GradientCollector gc = root.getEngine().newGradientCollector()) {
                Pcm3Model.StepOutput out = model.forwardPretrain(views(m, seed), views(m, seed + 1),
                        views(m, seed + 2), new Random(seed));
                gc.backward(out.loss().total());
                values = out.loss().values();
            }
            Map<String, Double> norms = new LinkedHashMap<>();
            trained.forEach((n, p) -> norms.put(n, (double) p.getArray().getGradient().norm().getFloat()));
            return new Step(values, norms);
        }
    }

    /**
     * A garbage collection between a step's forward and its backward (on a busy machine the loader
     * threads' allocations trigger them at random steps) changes no gradient, running statistic or
     * queue entry: the resumed PCM3 run once ended 0.2% off the uninterrupted one this way.
     */
    @Test
    void aCollectionBetweenForwardAndBackwardChangesNothing() throws Exception {
        Map<String, float[]> calm = stepState(model(tiny(), 2), 7, false);
        Map<String, float[]> collected = stepState(model(tiny(), 2), 7, true);
        assertThat(collected.keySet()).isEqualTo(calm.keySet());
        calm.forEach((name, values) -> {
            assertThat(values).as(name).doesNotContain(Float.NaN);
            assertThat(collected.get(name)).as(name).containsExactly(values);
        });
    }

    /** Two steps; then every parameter and buffer, and the gradients of the trained ones. */
    private static Map<String, float[]> stepState(Pcm3Model model, long seed, boolean collect) throws Exception {
        for (int s = 0; s < 2; s++) {
            try (NDManager m = root.newSubManager()) {
                try (GradientCollector gc = root.getEngine().newGradientCollector()) {
                    Pcm3Model.StepOutput out = model.forwardPretrain(views(m, seed + 3 * s), views(m, seed + 3 * s + 1),
                            views(m, seed + 3 * s + 2), new Random(seed + s));
                    if (collect) {
                        try (FreedMemory ignored = FreedMemory.collectAndOverwrite()) {
                            gc.backward(out.loss().total());
                        }
                    } else {
                        gc.backward(out.loss().total());
                    }
                }
            }
        }
        Map<String, float[]> state = new LinkedHashMap<>();
        model.namedParameters().forEach((n, p) -> state.put(n, p.getArray().toFloatArray()));
        model.trainedParameters().forEach((n, p) -> state.put(n + ".grad", p.getArray().getGradient().toFloatArray()));
        return state;
    }

    @Test
    void officialPretrainingCountsMatchSpec312() throws Exception {
        Pcm3Settings s = Pcm3Presets.fromTree(ConfigTree.resolve("pcm3-ntu60-xsub", null, List.of()));
        Map<String, Long> counts = new Pcm3Model(s, Layouts.ntu25()).parameterCounts();
        assertThat(counts.get("encoder")).isEqualTo(49_457_580L);
        assertThat(counts.get("decoder")).isEqualTo(1_312_768L + 3_228_822L);
        assertThat(counts.get("prompts")).isEqualTo(1_112L);
        assertThat(counts.get("total")).isEqualTo(54_000_282L);
    }

    @Test
    void promptsAreXavierUniformAsTorchComputesTheirFans() throws Exception {
        // (1, 1, 3VM): fan_in = fan_out = 3VM, so U(±sqrt(6/300)) for NTU; (1, 2w): U(±sqrt(6/(2w + 1))).
        Pcm3Model model = model(tiny(), 8);
        float[] base = model.namedParameters().get("base_prompt").getArray().toFloatArray();
        float[] cl = model.namedParameters().get("cl_prompt").getArray().toFloatArray();
        double baseBound = Math.sqrt(6.0 / 300);
        double clBound = Math.sqrt(6.0 / 5);
        assertThat(base).hasSize(150);
        assertThat(cl).hasSize(4);
        double maxAbs = 0;
        for (float v : base) {
            maxAbs = Math.max(maxAbs, Math.abs(v));
        }
        assertThat(maxAbs).isLessThanOrEqualTo(baseBound);
        for (float v : cl) {
            assertThat((double) Math.abs(v)).isLessThanOrEqualTo(clBound);
        }
        assertThat(maxAbs).as("150 draws reach near the bound").isGreaterThan(0.9 * baseBound);
    }

    @Test
    void officialPromptsCancelUnderBatchNormButTheClPromptActs() throws Exception {
        Step s = step(model(tiny("prompts.mode=official"), 1), 5);
        // §3.9: domain prompts and mp_prompt sit right before a training-mode BatchNorm.
        for (String p : List.of("base_prompt", "mask_prompt", "recons_prompt", "mix_prompt", "mp_prompt")) {
            assertThat(s.gradNorms().get(p)).as(p).isLessThan(1e-4);
        }
        assertThat(s.gradNorms().get("cl_prompt")).isGreaterThan(1e-4);
    }

    @Test
    void effectivePromptsAllReceiveGradient() throws Exception {
        Step s = step(model(tiny("prompts.mode=effective"), 1), 5);
        for (String p : List.of("base_prompt", "mask_prompt", "recons_prompt", "mix_prompt", "mp_prompt",
                "cl_prompt")) {
            assertThat(s.gradNorms().get(p)).as(p).isGreaterThan(1e-3);
        }
    }

    @Test
    void officialPromptsLeaveTheLossUnchangedExceptThroughClPrompt() throws Exception {
        // Same seed, same draws: scaling the cancelled prompts changes nothing.
        Pcm3Model a = model(tiny("prompts.mode=official"), 2);
        Pcm3Model b = model(tiny("prompts.mode=official"), 2);
        for (String p : List.of("base_prompt", "mask_prompt", "recons_prompt", "mix_prompt", "mp_prompt")) {
            b.namedParameters().get(p).getArray().muli(7f);
        }
        double la = step(a, 9).values().get("total");
        double lb = step(b, 9).values().get("total");
        assertThat(lb).isCloseTo(la, within(1e-4 * Math.abs(la)));
    }

    @Test
    void lossIsTheSumOfSpec38Step11() throws Exception {
        Map<String, Double> v = step(model(tiny(), 3), 4).values();
        double expected = v.get("ce_query") + v.get("ce_mix") + v.get("kd") + 40 * v.get("reconstruction")
                + v.get("ce_masked") + v.get("ce_reconstructed");
        assertThat(v.get("total")).isCloseTo(expected, within(1e-4 * expected));
        assertThat(v.values()).allSatisfy(x -> assertThat(x).isFinite());
    }

    @Test
    void withoutPromptsTheDistillationIsReportedButNotAddedAndThereAreNoPrompts() throws Exception {
        Pcm3Model model = model(tiny("prompts.mode=none"), 3);
        assertThat(model.namedParameters().keySet()).noneMatch(n -> n.endsWith("_prompt"));
        Map<String, Double> v = step(model, 4).values();
        assertThat(v.get("kd")).isGreaterThan(0);
        double expected = v.get("ce_query") + v.get("ce_mix") + 40 * v.get("reconstruction")
                + v.get("ce_masked") + v.get("ce_reconstructed");
        assertThat(v.get("total")).isCloseTo(expected, within(1e-4 * expected));
    }

    @Test
    void contrastOfThePredictedViewTrainsTheDecoderOnlyWithPrompts() throws Exception {
        // Reconstruction weight 0: the decoder can only learn through the re-encoded filled-in view,
        // which is attached with prompts (§3.8 step 6) and detached without (§3.10).
        Step with = step(model(tiny("loss.reconstruction_weight=0"), 4), 6);
        Step without = step(model(tiny("loss.reconstruction_weight=0", "prompts.mode=none"), 4), 6);
        assertThat(with.gradNorms().get("decoder.dec.1.weight")).isGreaterThan(1e-6);
        assertThat(without.gradNorms().get("decoder.dec.1.weight")).isEqualTo(0.0);
    }

    @Test
    void ablationWithoutExtraPositivesDropsTheirTerms() throws Exception {
        Map<String, Double> v = step(model(tiny("loss.masked_positive=false", "loss.predicted_positive=false"), 3), 4)
                .values();
        assertThat(v.get("ce_masked")).isEqualTo(0.0);
        assertThat(v.get("ce_reconstructed")).isEqualTo(0.0);
        double expected = v.get("ce_query") + v.get("ce_mix") + v.get("kd") + 40 * v.get("reconstruction");
        assertThat(v.get("total")).isCloseTo(expected, within(1e-4 * expected));
    }

    @Test
    void keyEncoderStartsAsACopyAndMovesByMomentumOverTrainedParametersOnly() throws Exception {
        Pcm3Model model = model(tiny(), 5);
        Map<String, Parameter> all = model.namedParameters();
        String w = "gru.weight_ih_l0";
        assertThat(all.get("encoder_k." + w).getArray().toFloatArray())
                .containsExactly(all.get("encoder_q." + w).getArray().toFloatArray());
        assertThat(model.trainedParameters().keySet()).noneMatch(n -> n.startsWith("encoder_k."))
                .noneMatch(n -> n.endsWith("running_mean")).contains("encoder_q." + w);
        all.get("encoder_q." + w).getArray().addi(1f);
        float[] q = all.get("encoder_q." + w).getArray().toFloatArray();
        float[] k0 = all.get("encoder_k." + w).getArray().toFloatArray();
        step(model, 7);
        float[] k1 = all.get("encoder_k." + w).getArray().toFloatArray();
        for (int i = 0; i < k1.length; i++) {
            assertThat(k1[i]).isCloseTo(0.999f * k0[i] + 0.001f * q[i], within(1e-6f));
        }
    }

    @Test
    void keysAreEnqueuedAfterTheLossesAtAWrappingPointer() throws Exception {
        Pcm3Model model = model(tiny(), 6);
        float[] before = model.queue().toFloatArray();
        step(model, 8);
        assertThat(model.queuePointer()).isEqualTo(N);
        float[] after = model.queue().toFloatArray();
        int d = 6;
        for (int row = 0; row < 16; row++) {
            double norm = 0;
            boolean changed = false;
            for (int j = 0; j < d; j++) {
                norm += after[row * d + j] * after[row * d + j];
                changed |= after[row * d + j] != before[row * d + j];
            }
            assertThat(Math.sqrt(norm)).isCloseTo(1.0, within(1e-4));
            assertThat(changed).as("row " + row).isEqualTo(row < N);
        }
        for (int i = 0; i < 3; i++) {
            step(model, 9 + i);
        }
        assertThat(model.queuePointer()).isEqualTo(0);
    }

    @Test
    void layoutWithoutBodyPartsIsAClearError() throws Exception {
        List<String> names = new ArrayList<>();
        for (int j = 0; j < 25; j++) {
            names.add("j" + j);
        }
        var bare = new io.skeletonssl.layout.SkeletonLayout("bare", names, null, null, 0, null);
        assertThatThrownBy(() -> new Pcm3Model(tiny(), bare))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("body parts");
    }
}
