package io.skeletonssl.methods.pcm3;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.layout.SkeletonLayout;
import io.skeletonssl.loader.Batch;
import io.skeletonssl.loader.SampleTransform;
import io.skeletonssl.training.Checkpoint;
import io.skeletonssl.training.ParamOptimizer;
import io.skeletonssl.training.Pretrainer;
import io.skeletonssl.training.RunDirectory;
import io.skeletonssl.training.TrainingDivergedException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The divergence guard of the shared pretraining loop on a tiny PCM3: steps made to fail (the real
 * step runs, then its loss or gradients are reported non-finite) are rolled back to the epoch's
 * start and rerun at a lowered learning rate, exactly; after the allowed rollbacks the run saves
 * its last good state and stops with a message naming it.
 */
class Pcm3DivergenceTest {

    @TempDir
    static Path shared;
    static Path data;

    /** Besides {@link Pcm3PretrainerTest#TINY}: no step decay in these runs, a rate that trains. */
    static final String[] RECIPE = {"pretrain.milestones=[9]", "pretrain.lr=0.3"};

    private enum Fault { NONE, LOSS, GRADIENTS }

    /** pcm3-small (warm-up, clipping and batch-scaled lr on) shrunk: 3 steps of 8 clips per epoch (24 train clips). */
    @BeforeAll
    static void dataset() throws Exception {
        data = Pcm3PretrainerTest.synthetic(shared.resolve("synth"), 2);
    }

    private static Pretrainer.Options opts(Path out, boolean resume, int epochs, int stopAfter, String... extra) {
        List<String> sets = new ArrayList<>(List.of(RECIPE));
        sets.addAll(List.of(extra));
        return Pcm3PretrainerTest.opts(data, out, resume, epochs, stopAfter, sets.toArray(String[]::new));
    }

    private static PrintStream into(ByteArrayOutputStream out) {
        return new PrintStream(out, true, StandardCharsets.UTF_8);
    }

    /** PCM3 whose step number {@code n} (counted over the process, reruns included) reports {@code faults(n)}. */
    private static Pretrainer faulty(IntFunction<Fault> faults, PrintStream log) {
        Pcm3Pretrainer pcm3 = new Pcm3Pretrainer();
        int[] calls = {0};
        Pretrainer.Method m = new Pretrainer.Method() {
            @Override
            public String name() {
                return pcm3.name();
            }

            @Override
            public void validate(ObjectNode tree, SkeletonLayout layout) {
                pcm3.validate(tree, layout);
            }

            @Override
            public SampleTransform trainTransform(ObjectNode tree, SkeletonLayout layout) {
                return pcm3.trainTransform(tree, layout);
            }

            @Override
            public io.skeletonssl.training.DivergenceGuard.Settings divergenceSettings(ObjectNode tree) {
                return pcm3.divergenceSettings(tree);
            }

            @Override
            public boolean nonFiniteGradientsDiverge() {
                return pcm3.nonFiniteGradientsDiverge();
            }

            @Override
            public String divergenceAdvice() {
                return pcm3.divergenceAdvice();
            }

            @Override
            public Pretrainer.Session open(ObjectNode tree, SkeletonLayout layout, NDManager root) {
                Pretrainer.Session s = pcm3.open(tree, layout, root);
                return new Pretrainer.Session() {
                    @Override
                    public PairList<String, Parameter> state() {
                        return s.state();
                    }

                    @Override
                    public ParamOptimizer optimizer() {
                        return s.optimizer();
                    }

                    @Override
                    public double learningRate(int epoch, int step, int stepsPerEpoch) {
                        return s.learningRate(epoch, step, stepsPerEpoch);
                    }

                    @Override
                    public Pretrainer.StepResult step(NDManager r, Batch b, Random rng) {
                        Pretrainer.StepResult real = s.step(r, b, rng); // the model, key encoder and queue move on
                        return switch (faults.apply(calls[0]++)) {
                            case NONE -> real;
                            case LOSS -> new Pretrainer.StepResult(Double.NaN, real.gradientsFinite(), real.terms(),
                                    real.clip());
                            case GRADIENTS -> new Pretrainer.StepResult(real.loss(), false, real.terms(), null);
                        };
                    }

                    @Override
                    public Map<String, Long> parameterCounts() {
                        return s.parameterCounts();
                    }

                    @Override
                    public void close() {
                        s.close();
                    }
                };
            }
        };
        return new Pretrainer(m, log);
    }

    private static Pretrainer clean() {
        return Pcm3Pretrainer.create(into(new ByteArrayOutputStream()));
    }

    private static JsonNode metricsJson(Path run) throws Exception {
        return new ObjectMapper().readTree(run.resolve(RunDirectory.METRICS_JSON).toFile());
    }

    private static void assertSameState(Checkpoint a, Checkpoint b) throws Exception {
        assertThat(a.parameterShapes().keySet()).containsExactlyElementsOf(b.parameterShapes().keySet());
        for (String name : a.parameterShapes().keySet()) {
            assertThat(a.readParameter(name).data()).as(name).containsExactly(b.readParameter(name).data());
        }
        assertThat(a.globalStep()).isEqualTo(b.globalStep());
    }

    @Test
    void aRolledBackEpochIsTheCleanEpochAtTheLoweredRateAndAResumeKeepsTheRate(@TempDir Path dir) throws Exception {
        // step 1 of epoch 0 fails: back to the initial state, lr x 0.5 from then on
        IntFunction<Fault> once = n -> n == 1 ? Fault.LOSS : Fault.NONE;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Path faulted = dir.resolve("faulted");
        Pretrainer.Result a = faulty(once, into(log)).run(opts(faulted, false, 2, -1));
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("divergence at epoch 0 step 1 (global step 1): "
                + "loss NaN").contains("rolled back to the start of epoch 0").contains("rollback 1 of 3");
        // the same recipe without a fault at half the rate in every epoch (x 0.5 from milestone 0)
        Path halved = dir.resolve("halved");
        Pretrainer.Result b = clean().run(opts(halved, false, 2, -1, "pretrain.milestones=[0]", "pretrain.gamma=0.5"));
        assertThat(a.finalLoss()).isEqualTo(b.finalLoss());
        assertSameState(RunDirectory.open(faulted).requireLatest(), RunDirectory.open(halved).requireLatest());
        List<Map<String, String>> rows = RunDirectory.open(faulted).readMetrics();
        List<Map<String, String>> cleanRows = RunDirectory.open(halved).readMetrics();
        for (int e = 0; e < 2; e++) {
            assertThat(rows.get(e).get("lr")).isEqualTo(cleanRows.get(e).get("lr"));
            assertThat(rows.get(e).get("feature_std")).isEqualTo(cleanRows.get(e).get("feature_std"));
        }
        assertThat(rows).extracting(r -> r.get("rollbacks")).containsExactly("1", "0");
        JsonNode events = metricsJson(faulted).path("divergence_events");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).path("epoch").asInt()).isZero();
        assertThat(events.get(0).path("step").asInt()).isEqualTo(1);
        assertThat(events.get(0).path("reason").asText()).isEqualTo("loss NaN");
        assertThat(events.get(0).path("action").asText()).isEqualTo("rollback");
        assertThat(events.get(0).path("lr_factor").asDouble()).isEqualTo(0.5);
        assertThat(metricsJson(faulted).path("lr_factor").asDouble()).isEqualTo(0.5);

        // killed after epoch 0 and resumed without faults: epoch 1 keeps the lowered rate from the checkpoint
        Path killed = dir.resolve("killed");
        faulty(once, into(new ByteArrayOutputStream())).run(opts(killed, false, 2, 0));
        Pretrainer.Result r = clean().run(opts(killed, true, 2, -1));
        assertThat(r.startEpoch()).isEqualTo(1);
        assertThat(r.finalLoss()).isEqualTo(a.finalLoss());
        assertSameState(RunDirectory.open(killed).requireLatest(), RunDirectory.open(faulted).requireLatest());
        assertThat(metricsJson(killed).path("divergence_events")).as("the event survives the resume").hasSize(1);
    }

    @Test
    void afterTheAllowedRollbacksTheLastGoodStateIsSavedAndTheMessageNamesIt(@TempDir Path dir) throws Exception {
        // epoch 0 (steps 0-2) is fine; from then on every step fails, the first through its gradients
        IntFunction<Fault> broken = n -> n < 3 ? Fault.NONE : n == 3 ? Fault.GRADIENTS : Fault.LOSS;
        Path run = dir.resolve("run");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        // checkpoint_every 5: no checkpoint of epoch 0 unless the guard writes it
        Pretrainer p = faulty(broken, into(log));
        assertThatThrownBy(() -> p.run(opts(run, false, 3, -1, "pretrain.divergence_rollbacks=2",
                "pretrain.checkpoint_every=5")))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessageContaining("training diverged at epoch 1 step 0")
                .hasMessageContaining("again after 2 rollbacks")
                .hasMessageContaining(run.resolve("checkpoint-0").toString())
                .hasMessageContaining("--resume continues from it with the learning rate x 0.125")
                .hasMessageContaining("pretrain.lr").hasMessageContaining("pretrain.clip_grad_norm")
                .hasMessageContaining("--force");
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("gradient").contains("rollback 2 of 2");
        RunDirectory rd = RunDirectory.open(run);
        Checkpoint saved = rd.requireLatest();
        assertThat(saved.epoch()).isZero();
        assertThat(saved.hasOptimizerState()).isTrue();
        assertThat(saved.extra().path("lr_factor").asDouble()).isEqualTo(0.125);
        assertThat(saved.extra().path("divergence_events")).hasSize(3);
        JsonNode m = metricsJson(run);
        assertThat(m.path("status").asText()).isEqualTo("diverged");
        assertThat(m.path("last_good_checkpoint").asText()).isEqualTo(saved.dir().toString());
        assertThat(m.path("divergence_events")).extracting(e -> e.path("action").asText())
                .containsExactly("rollback", "rollback", "stop");
        assertThat(m.path("divergence_events").get(0).path("reason").asText()).startsWith("gradient norm");

        // --resume continues from it at the saved factor
        double before = Double.parseDouble(rd.readMetrics().get(0).get("lr"));
        clean().run(opts(run, true, 2, -1));
        List<Map<String, String>> rows = rd.readMetrics();
        assertThat(rows).hasSize(2);
        assertThat(Double.parseDouble(rows.get(1).get("lr"))).isEqualTo(before * 0.125);
        assertThat(metricsJson(run).path("divergence_events")).hasSize(3);
    }

    @Test
    void withoutRollbacksTheFirstNonFiniteLossStopsTheRunAsBefore(@TempDir Path dir) {
        Path run = dir.resolve("run");
        assertThatThrownBy(() -> faulty(n -> n == 1 ? Fault.LOSS : Fault.NONE, into(new ByteArrayOutputStream()))
                .run(opts(run, false, 1, -1, "pretrain.divergence_rollbacks=0")))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessageContaining("loss became NaN at epoch 0 step 1")
                .hasMessageContaining("none (no checkpoint was saved yet)");
        assertThat(Files.exists(run.resolve(RunDirectory.METRICS_JSON))).isFalse();
    }
}
