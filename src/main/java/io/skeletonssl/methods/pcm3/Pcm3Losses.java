package io.skeletonssl.methods.pcm3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.skeletonssl.engine.Scalars;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PCM3's loss terms (spec §3.4, §3.7, §3.8, §3.10) on the tensor engine, differentiable with respect
 * to the queries, the student features and the reconstruction. Keys, teachers, the queue and the
 * reconstruction target are constants (their gradient is stopped here).
 *
 * <p>Features are (N, D) rows, the queue is (K, D) (see {@link MomentumQueue}).
 */
public final class Pcm3Losses {

    /** MoCo temperature τ_c. */
    public static final double CONTRAST_TEMPERATURE = 0.07;
    /** Relational distillation: teacher and student temperatures. */
    public static final double TEACHER_TEMPERATURE = 0.05;
    public static final double STUDENT_TEMPERATURE = 0.1;

    private Pcm3Losses() {
    }

    /** Row-wise L2 normalisation x / max(‖x‖, 1e−12) (torch's F.normalize). */
    public static NDArray normalize(NDArray x) {
        return x.div(Scalars.maximum(x.norm(new int[]{1}, true), 1e-12f));
    }

    /**
     * InfoNCE with a queue: logits = [q·k⁺, q·queueᵀ] / τ, cross-entropy with the positive (column 0)
     * as the label, averaged over the batch.
     */
    public static NDArray infoNce(NDArray query, NDArray positiveKey, NDArray queue, double temperature) {
        checkPair(query, positiveKey, "InfoNCE key");
        checkQueue(query, queue);
        NDArray k = positiveKey.stopGradient();
        NDArray positive = query.mul(k).sum(new int[]{1}, true);
        NDArray negative = query.matMul(queue.stopGradient().transpose());
        NDArray logits = Scalars.div(positive.concat(negative, 1), (float) temperature);
        return logits.logSoftmax(1).get(new NDIndex(":, 0")).mean().neg();
    }

    /** {@link #infoNce} at τ = 0.07. */
    public static NDArray infoNce(NDArray query, NDArray positiveKey, NDArray queue) {
        return infoNce(query, positiveKey, queue, CONTRAST_TEMPERATURE);
    }

    /**
     * Relational distillation (spec §3.8 step 10): KL(teacher ‖ student) of the similarity
     * distributions over the whole queue, teacher = softmax(⟨t, queue⟩/τ_t) without gradient,
     * student = log-softmax(⟨s, queue⟩/τ_s); summed over the K entries and averaged over the batch
     * (torch's kl_div with reduction 'batchmean').
     */
    public static NDArray relationalKl(NDArray student, NDArray teacher, NDArray queue,
                                       double studentTemperature, double teacherTemperature) {
        checkPair(student, teacher, "distillation teacher");
        checkQueue(student, queue);
        NDArray q = queue.stopGradient().transpose();
        NDArray teacherLog = Scalars.div(teacher.stopGradient().matMul(q), (float) teacherTemperature).logSoftmax(1);
        NDArray studentLog = Scalars.div(student.matMul(q), (float) studentTemperature).logSoftmax(1);
        NDArray kl = teacherLog.exp().mul(teacherLog.sub(studentLog)).sum();
        return Scalars.div(kl, student.getShape().get(0));
    }

    /** {@link #relationalKl} at the official temperatures (student 0.1, teacher 0.05). */
    public static NDArray relationalKl(NDArray student, NDArray teacher, NDArray queue) {
        return relationalKl(student, teacher, queue, STUDENT_TEMPERATURE, TEACHER_TEMPERATURE);
    }

    /**
     * Masked reconstruction MSE (spec §3.7): Σ((recon − target)·(1 − mask))² / Σ(1 − mask), with
     * mask 1 = visible, 0 = masked, broadcast to the reconstruction's shape (e.g. a (1, 3, T, V, M)
     * or (1, T, 3VM) mask for a whole batch). Visible entries do not count.
     */
    public static NDArray maskedReconstruction(NDArray reconstruction, NDArray target, NDArray mask) {
        Shape shape = reconstruction.getShape();
        if (!shape.equals(target.getShape())) {
            throw new IllegalArgumentException("reconstruction has shape " + shape + " but its target "
                    + target.getShape());
        }
        NDArray hidden = mask.stopGradient().broadcast(shape).neg().add(1f);
        NDArray diff = reconstruction.sub(target.stopGradient()).mul(hidden);
        // Divided on the engine (no host sync); a mask that hides nothing gives NaN, as 0/0 officially.
        return diff.square().sum().div(hidden.sum());
    }

    private static void checkPair(NDArray a, NDArray b, String what) {
        if (a.getShape().dimension() != 2 || !a.getShape().equals(b.getShape())) {
            throw new IllegalArgumentException(what + " has shape " + b.getShape() + ", expected the (N, D) shape "
                    + a.getShape() + " of its query");
        }
    }

    private static void checkQueue(NDArray a, NDArray queue) {
        if (queue.getShape().dimension() != 2 || queue.getShape().get(1) != a.getShape().get(1)) {
            throw new IllegalArgumentException("queue has shape " + queue.getShape() + ", expected (K, "
                    + a.getShape().get(1) + ")");
        }
    }

    /**
     * Loss weights: reconstruction (40 officially) and distillation (cmd_weight 1); whether the
     * distillation term is added (with prompts, §3.8) or only reported (without prompts, §3.10).
     */
    public record Weights(double reconstruction, double distillation, boolean addDistillation) {
        public static Weights withPrompts() {
            return new Weights(40, 1, true);
        }

        public static Weights withoutPrompts() {
            return new Weights(40, 1, false);
        }
    }

    /**
     * The named terms of one step: the four contrastive cross-entropies (query, mixed, masked view,
     * reconstructed view), the distillation sum L_kd and the reconstruction MSE.
     */
    public record Terms(NDArray contrastQuery, NDArray contrastMix, NDArray contrastMasked,
                        NDArray contrastReconstructed, NDArray distillation, NDArray reconstruction) {
    }

    /** The terms and their weighted total. */
    public record Total(Terms terms, NDArray total) {
        /** Host values by name (for metrics), the total last. */
        public Map<String, Double> values() {
            return values(Map.of());
        }

        /**
         * Host values by name: the terms, then {@code extra} (scalars of the step, e.g. a statistic),
         * the total last; all from one read of the engine.
         */
        public Map<String, Double> values(Map<String, NDArray> extra) {
            Map<String, NDArray> all = new LinkedHashMap<>();
            all.put("ce_query", terms.contrastQuery());
            all.put("ce_mix", terms.contrastMix());
            all.put("ce_masked", terms.contrastMasked());
            all.put("ce_reconstructed", terms.contrastReconstructed());
            all.put("kd", terms.distillation());
            all.put("reconstruction", terms.reconstruction());
            all.putAll(extra);
            all.put("total", total);
            NDList scalars = new NDList();
            all.values().forEach(a -> scalars.add(a.toType(DataType.FLOAT32, false).reshape(1)));
            float[] host = NDArrays.concat(scalars).toFloatArray();
            Map<String, Double> out = new LinkedHashMap<>();
            int i = 0;
            for (String k : all.keySet()) {
                out.put(k, (double) host[i++]);
            }
            return out;
        }
    }

    /**
     * L = CE(q) + CE(mix) + [w_kd·L_kd] + w_rec·L_rec + CE(mask_q) + CE(recons_q): spec §3.8 step 11
     * with prompts, §3.10 (L_kd computed but not added) without.
     */
    public static Total total(Terms t, Weights w) {
        // The weights as engine constants of the terms' float32 type (Scalars): no float64 promotion, and alive
        // for the backward.
        NDArray sum = t.contrastQuery().add(t.contrastMix())
                .add(Scalars.mul(t.reconstruction(), w.reconstruction()))
                .add(t.contrastMasked())
                .add(t.contrastReconstructed());
        if (w.addDistillation()) {
            sum = sum.add(Scalars.mul(t.distillation(), w.distillation()));
        }
        return new Total(t, sum);
    }
}
