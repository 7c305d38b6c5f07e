package io.skeletonssl.methods.pcm3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.skeletonssl.engine.InPlace;
import io.skeletonssl.engine.NoGradient;
import io.skeletonssl.layout.SkeletonLayout;
import io.skeletonssl.models.blocks.InitRule;
import io.skeletonssl.models.blocks.SeededBlock;
import io.skeletonssl.models.pcm3.Pcm3Config;
import io.skeletonssl.models.pcm3.Pcm3Decoder;
import io.skeletonssl.models.pcm3.Pcm3Encoder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * PCM3 pretraining (official-code-facts §3.4–§3.10): a query encoder and its momentum copy, the
 * masked-prediction decoder, the domain and task prompts and the queue of negative keys.
 *
 * <p>Parameter names: {@code encoder_q.*}, {@code encoder_k.*} (momentum copy, never trained),
 * {@code decoder.*}, the prompts {@code base_prompt, mask_prompt, recons_prompt, mix_prompt} (1, 1,
 * 3·V·M) and {@code cl_prompt, mp_prompt} (1, 2·width), and the buffers {@code queue} (K, D) and
 * {@code queue_ptr} (1). Without prompts ({@link Pcm3Settings.PromptMode#NONE}) there are no prompt
 * parameters. Call {@link #initializeSeeded} before use.
 *
 * <p>Inputs are the three views (N, 3, T, V, M) of the pretraining loader, already in the run's
 * stream (joint, bone or motion).
 */
public final class Pcm3Model extends SeededBlock {

    /** The four domain prompts, one per kind of input (§3.9). */
    enum Domain { BASE, MASK, RECONS, MIX }

    private final Pcm3Config cfg;
    private final Pcm3Settings settings;
    private final Pcm3Settings.PromptMode promptMode;
    private final Pcm3Encoder encoderQ;
    private final Pcm3Encoder encoderK;
    private final Pcm3Decoder decoder;
    private final Map<Domain, Parameter> domainPrompts = new LinkedHashMap<>();
    private final Parameter clPrompt;
    private final Parameter mpPrompt;
    private final Parameter queue;
    private final Parameter queuePointer;
    private final SkeletonMix mix;
    private final TopologyMask masking;
    private final int promptWidth;

    /**
     * One pretraining step's loss terms, the batch-level draws that produced them and the query
     * view's L2-normalised embeddings (N, D) (for the collapse statistic).
     */
    public record StepOutput(Pcm3Losses.Total loss, SkeletonMix.Config mixing, TopologyMask.Mask mask,
                             NDArray query) {
    }

    public Pcm3Model(Pcm3Settings settings, SkeletonLayout layout) {
        this.settings = settings;
        this.cfg = settings.modelConfig();
        this.promptMode = settings.prompts().promptMode();
        this.promptWidth = settings.prompts().width();
        if (layout.numJoints() != cfg.joints()) {
            throw new IllegalArgumentException("layout '" + layout.name() + "' has " + layout.numJoints()
                    + " joints but the model expects " + cfg.joints());
        }
        if (promptWidth >= cfg.hidden() && promptMode != Pcm3Settings.PromptMode.NONE) {
            throw new IllegalArgumentException("prompts.width " + promptWidth + " must be below the GRU hidden size "
                    + cfg.hidden() + " (the task prompt is a window inside each half of the feature)");
        }
        int frames = settings.data().frames();
        Pcm3Settings.Mixing mx = settings.mixing();
        this.mix = SkeletonMix.of(layout, frames, mx.spaMin(), mx.spaMax(), mx.temMin(), mx.temMax());
        this.masking = TopologyMask.of(layout, frames, cfg.persons(), settings.masking().clips(),
                settings.masking().ratio());
        encoderQ = child("encoder_q", new Pcm3Encoder(cfg));
        encoderK = child("encoder_k", new Pcm3Encoder(cfg));
        decoder = child("decoder", new Pcm3Decoder(cfg));
        if (promptMode != Pcm3Settings.PromptMode.NONE) {
            InitRule xavier = InitRule.of(InitRule.Kind.XAVIER_UNIFORM);
            for (Domain d : Domain.values()) {
                domainPrompts.put(d, param(d.name().toLowerCase() + "_prompt", new Shape(1, 1, cfg.channels()), xavier));
            }
            clPrompt = param("cl_prompt", new Shape(1, 2L * promptWidth), xavier);
            mpPrompt = param("mp_prompt", new Shape(1, 2L * promptWidth), xavier);
        } else {
            clPrompt = null;
            mpPrompt = null;
        }
        queue = buffer("queue", new Shape(settings.moco().queue(), cfg.projectorOut()), InitRule.of(InitRule.Kind.ZEROS));
        queuePointer = buffer("queue_ptr", new Shape(1), InitRule.of(InitRule.Kind.ZEROS));
    }

    /**
     * Seeded init as the released code (§3.3): then the key encoder is a copy of the query encoder
     * (buffers included) and the queue holds random unit rows.
     */
    @Override
    public void initializeSeeded(NDManager manager, long seed) {
        super.initializeSeeded(manager, seed);
        Map<String, Parameter> k = encoderK.namedParameters();
        try (NoGradient ignored = NoGradient.enter()) {
            encoderQ.namedParameters().forEach((name, p) -> {
                NDArray key = k.get(name).getArray();
                key.set(p.getArray().toFloatArray());
                key.setRequiresGradient(false); // a momentum copy: never part of the graph
            });
        }
        try (MomentumQueue fresh = MomentumQueue.random(manager, settings.moco().queue(), cfg.projectorOut(),
                seed ^ 0x51ED270B27A1L)) {
            queue.getArray().set(fresh.entries().toFloatArray());
        }
    }

    public Pcm3Encoder queryEncoder() {
        return encoderQ;
    }

    public Pcm3Config config() {
        return cfg;
    }

    /** Parameters the optimiser trains: everything except the key encoder and the buffers. */
    public Map<String, Parameter> trainedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        namedParameters().forEach((n, p) -> {
            if (p.requiresGradient() && !n.startsWith("encoder_k.")) {
                out.put(n, p);
            }
        });
        return out;
    }

    /** Trained parameter counts by part (the key encoder is a momentum copy and not counted). */
    public Map<String, Long> parameterCounts() {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("encoder", sum("encoder_q."));
        out.put("decoder", sum("decoder."));
        out.put("prompts", trainedParameters().entrySet().stream().filter(e -> e.getKey().endsWith("_prompt"))
                .mapToLong(e -> e.getValue().getShape().size()).sum());
        out.put("total", trainedParameters().values().stream().mapToLong(p -> p.getShape().size()).sum());
        return out;
    }

    private long sum(String prefix) {
        return trainedParameters().entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .mapToLong(e -> e.getValue().getShape().size()).sum();
    }

    // ---- the step (§3.8, §3.10) ----------------------------------------------------------------

    /**
     * One pretraining forward on the query (v1), key (v2) and masked-prediction (v3) views. Draws the
     * batch's mixing configuration, topology mask and task-prompt offsets from {@code rng}; updates
     * the key encoder by momentum, enqueues the keys (the losses use a snapshot of the queue taken
     * before), and returns the weighted loss to back-propagate.
     */
    public StepOutput forwardPretrain(NDArray v1, NDArray v2, NDArray v3, Random rng) {
        NDManager m = v1.getManager();
        int n = Math.toIntExact(v1.getShape().get(0));
        SkeletonMix.Config mixing = mix.draw(n, rng);
        TopologyMask.Mask mask = masking.draw(rng);
        NDArray visible = mask.perFrameNDArray(m);

        NDArray q = forwardQuery(encoderQ.flatten(v1), Domain.BASE, rng);
        NDArray frames3 = encoderQ.flatten(v3);
        NDArray maskedFrames = frames3.mul(visible);
        NDArray steps = encodeSteps(encoderQ, maskedFrames, Domain.MASK, true);
        Decoded decoded = forwardDecoder(steps, rng);
        NDArray maskQ = embed(encoderQ, Pcm3Encoder.lastStep(steps), rng);
        NDArray filled = decoded.forContrast().mul(visible.neg().add(1f)).add(maskedFrames.mul(visible));
        NDArray reconsQ = forwardQuery(filled, Domain.RECONS, rng);
        NDArray pc = forwardQuery(encoderQ.flatten(mix.apply(v1, mixing)), Domain.MIX, rng);

        NDArray k;
        NDArray kMix;
        NDArray negatives = queue.getArray().duplicate(); // the losses see the queue before this batch's keys
        negatives.attach(m);
        try (NoGradient ignored = NoGradient.enter()) {
            momentumUpdate();
            k = embed(encoderK, Pcm3Encoder.lastStep(encodeSteps(encoderK, encoderK.flatten(v2), Domain.BASE, true)),
                    rng);
            kMix = SkeletonMix.mixedKey(k, mixing);
        }
        Pcm3Losses.Total loss = forwardLoss(q, pc, maskQ, reconsQ, k, kMix, negatives, decoded.forLoss(), frames3,
                visible);
        enqueue(k);
        return new StepOutput(loss, mixing, mask, q);
    }

    /** The query embedding of frame vectors: encoder → last step → task prompt → projector → L2 norm. */
    private NDArray forwardQuery(NDArray frames, Domain domain, Random rng) {
        return embed(encoderQ, Pcm3Encoder.lastStep(encodeSteps(encoderQ, frames, domain, true)), rng);
    }

    /** All steps (N, T, 2H) of frame vectors with the domain prompt placed by the prompt mode. */
    private NDArray encodeSteps(Pcm3Encoder enc, NDArray frames, Domain domain, boolean training) {
        NDArray prompt = promptMode == Pcm3Settings.PromptMode.NONE ? null : domainPrompts.get(domain).getArray();
        NDArray normalized;
        if (promptMode == Pcm3Settings.PromptMode.OFFICIAL) {
            // As released: added before the training-mode BatchNorm, which subtracts it again (§3.9).
            normalized = enc.normalize(frames.add(prompt), training);
        } else if (promptMode == Pcm3Settings.PromptMode.EFFECTIVE) {
            normalized = enc.normalize(frames, training).add(prompt);
        } else {
            normalized = enc.normalize(frames, training);
        }
        return enc.recurrent(normalized, training);
    }

    /** Task prompt cl on the last-step feature, then the projector and L2 normalisation. */
    private NDArray embed(Pcm3Encoder enc, NDArray feature, Random rng) {
        NDArray x = clPrompt == null ? feature : feature.add(window(clPrompt.getArray(), rng, feature.getManager()));
        return Pcm3Losses.normalize(enc.project(x));
    }

    /** The two reconstructions: one for the contrastive filled-in view and one for the MSE. */
    private record Decoded(NDArray forContrast, NDArray forLoss) {
    }

    private Decoded forwardDecoder(NDArray steps, Random rng) {
        if (promptMode == Pcm3Settings.PromptMode.NONE) {
            // §3.10: one pass; the filled-in view is detached.
            NDArray recon = decoder.forward(steps, true);
            return new Decoded(recon.stopGradient(), recon);
        }
        NDArray mp = window(mpPrompt.getArray(), rng, steps.getManager()); // one offset per iteration
        if (promptMode == Pcm3Settings.PromptMode.OFFICIAL) {
            NDArray prompted = steps.add(mp.expandDims(0));
            // Pass a: encoder detached, decoder trained by the contrast; pass b: the MSE reaches the encoder.
            return new Decoded(decoder.forward(prompted.stopGradient(), true), decoder.forward(prompted, true));
        }
        return new Decoded(decoder.forward(steps.stopGradient(), mp.stopGradient(), true),
                decoder.forward(steps, mp, true));
    }

    /**
     * A task prompt (1, 2w) as a (1, 2H) feature row: its first w values at channels [s, s + w), the
     * last w at [H + s, H + s + w), zero elsewhere, with one offset s ~ U{0..H − w − 1} per call (§3.9).
     */
    private NDArray window(NDArray prompt, Random rng, NDManager m) {
        int h = cfg.hidden();
        int w = promptWidth;
        int s = rng.nextInt(h - w);
        NDArray before = m.zeros(new Shape(1, s));
        NDArray after = m.zeros(new Shape(1, h - s - w));
        NDArray first = prompt.get(":, 0:" + w);
        NDArray second = prompt.get(":, " + w + ":");
        return NDArrays.concat(new NDList(before, first, after, before, second, after), 1);
    }

    /** θ_k ← m·θ_k + (1 − m)·θ_q over the trained parameters; the key's BatchNorm statistics are its own. */
    private void momentumUpdate() {
        List<NDArray> keys = new ArrayList<>();
        List<NDArray> queries = new ArrayList<>();
        Map<String, Parameter> k = encoderK.namedParameters();
        encoderQ.namedParameters().forEach((name, p) -> {
            if (p.requiresGradient()) {
                queries.add(p.getArray());
                keys.add(k.get(name).getArray());
            }
        });
        MomentumQueue.momentumUpdate(keys, queries, settings.moco().momentum());
    }

    private Pcm3Losses.Total forwardLoss(NDArray q, NDArray pc, NDArray maskQ, NDArray reconsQ, NDArray k,
                                         NDArray kMix, NDArray negatives, NDArray recon, NDArray target,
                                         NDArray visible) {
        Pcm3Settings.Moco moco = settings.moco();
        double t = moco.temperature();
        double ts = moco.studentTemperature();
        double tt = moco.teacherTemperature();
        Pcm3Settings.Loss w = settings.loss();
        NDArray zero = q.getManager().zeros(new Shape());
        NDArray kd = Pcm3Losses.relationalKl(q, k, negatives, ts, tt)
                .add(Pcm3Losses.relationalKl(pc, kMix, negatives, ts, tt));
        NDArray ceMasked = zero;
        NDArray ceRecons = zero;
        if (w.maskedPositive()) {
            ceMasked = Pcm3Losses.infoNce(maskQ, k, negatives, t);
            kd = kd.add(Pcm3Losses.relationalKl(maskQ, k, negatives, ts, tt));
        }
        if (w.predictedPositive()) {
            ceRecons = Pcm3Losses.infoNce(reconsQ, k, negatives, t);
            kd = kd.add(Pcm3Losses.relationalKl(reconsQ, k, negatives, ts, tt));
        }
        Pcm3Losses.Terms terms = new Pcm3Losses.Terms(Pcm3Losses.infoNce(q, k, negatives, t),
                Pcm3Losses.infoNce(pc, kMix, negatives, t), ceMasked, ceRecons, kd,
                Pcm3Losses.maskedReconstruction(recon, target, visible));
        boolean withKd = promptMode != Pcm3Settings.PromptMode.NONE;
        return Pcm3Losses.total(terms, new Pcm3Losses.Weights(w.reconstructionWeight(), w.kdWeight(), withKd));
    }

    private void enqueue(NDArray keys) {
        NDArray ptr = queuePointer.getArray();
        MomentumQueue view = MomentumQueue.over(queue.getArray(), (int) ptr.getFloat(0));
        view.enqueue(keys);
        InPlace.overwrite(ptr, new float[]{view.pointer()}); // not NDArray.set: its JNI call prints a deprecation warning
    }

    /** The queue's write position (for tests and checkpoints). */
    public int queuePointer() {
        return (int) queuePointer.getArray().getFloat(0);
    }

    /** The queue (K, D), one key per row. */
    public NDArray queue() {
        return queue.getArray();
    }
}
