package io.skeletonssl.models.mamp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.skeletonssl.models.blocks.Dense;
import io.skeletonssl.models.blocks.InitRule;
import io.skeletonssl.models.blocks.Norm;
import io.skeletonssl.models.blocks.SeededBlock;
import io.skeletonssl.models.blocks.TransformerBlock;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * MAMP: masked motion prediction with a vanilla transformer (official-code-facts §2.2–2.6).
 *
 * <p>Input batches are (N, C=3, T, V, M); every person is an independent sequence (N·M, T, V, 3).
 * Tokens are u-frame segments of one joint, index t·V + v. Parameter names follow the official
 * PyTorch model ({@code blocks.0.attn.qkv.weight}, {@code decoder_pred.bias}, ...), except that the
 * joint embedding is a Linear {@code joints_embed.proj.weight} of shape (dim, 3·u) whose input order
 * is c-major, t-minor — exactly the flattened official Conv2d weight (dim, 3, u, 1), see
 * {@link #fromConvWeight}.
 *
 * <p>Call {@link #initializeSeeded} before use.
 */
public final class MampModel extends SeededBlock {

    private final MampConfig cfg;
    private final Dense jointsEmbed;
    private final Parameter tempEmbed;
    private final Parameter posEmbed;
    private final List<TransformerBlock> blocks = new ArrayList<>();
    private final Norm norm;
    private final Dense decoderEmbed;
    private final Parameter maskToken;
    private final Parameter decoderTempEmbed;
    private final Parameter decoderPosEmbed;
    private final List<TransformerBlock> decoderBlocks = new ArrayList<>();
    private final Norm decoderNorm;
    private final Dense decoderPred;

    /** Result of one pretraining forward: scalar loss, predictions (B, L, u·3), mask (B, L) with 1 = masked. */
    public record PretrainOutput(NDArray loss, NDArray prediction, NDArray mask) {
    }

    public MampModel(MampConfig cfg) {
        this.cfg = cfg;
        int d = cfg.dim();
        int dd = cfg.decoderDim();
        int tp = cfg.timeTokens();
        int v = cfg.joints();
        InitRule tn = InitRule.of(InitRule.Kind.TRUNC_NORMAL_002);
        // The official embedding is an nn.Conv2d that keeps PyTorch's default init (fan_in = 3·u·1).
        jointsEmbed = child("joints_embed", new EmbedWrapper(cfg.patchSize(), d)).proj;
        tempEmbed = param("temp_embed", new Shape(1, tp, 1, d), tn);
        posEmbed = param("pos_embed", new Shape(1, 1, v, d), tn);
        BlockList enc = child("blocks", new BlockList());
        double[] dpr = dropPathRates(cfg.dropPath(), cfg.depth());
        for (int i = 0; i < cfg.depth(); i++) {
            blocks.add(enc.add(new TransformerBlock(d, cfg.heads(), cfg.mlpRatio(), dpr[i])));
        }
        norm = child("norm", new Norm(d));
        decoderEmbed = child("decoder_embed", Dense.xavier(d, dd));
        maskToken = param("mask_token", new Shape(1, 1, dd), tn);
        decoderTempEmbed = param("decoder_temp_embed", new Shape(1, tp, 1, dd), tn);
        decoderPosEmbed = param("decoder_pos_embed", new Shape(1, 1, v, dd), tn);
        BlockList dec = child("decoder_blocks", new BlockList());
        for (int i = 0; i < cfg.decoderDepth(); i++) {
            // The official decoder reuses the encoder's rate list dpr[i] (0 in pretraining).
            double rate = i < dpr.length ? dpr[i] : 0.0;
            decoderBlocks.add(dec.add(new TransformerBlock(dd, cfg.decoderHeads(), cfg.mlpRatio(), rate)));
        }
        decoderNorm = child("decoder_norm", new Norm(dd));
        decoderPred = child("decoder_pred", Dense.xavier(dd, cfg.patchSize()));
    }

    /** Holds the embedding under the official name {@code joints_embed.proj}. */
    private static final class EmbedWrapper extends SeededBlock {
        final Dense proj;

        EmbedWrapper(int in, int out) {
            proj = child("proj", Dense.torchDefault(in, out, in));
        }
    }

    /** Numbered children {@code 0, 1, ...} like torch's ModuleList. */
    private static final class BlockList extends SeededBlock {
        private int n;

        <B extends SeededBlock> B add(B block) {
            return child(Integer.toString(n++), block);
        }
    }

    static double[] dropPathRates(double max, int depth) {
        double[] r = new double[depth];
        for (int i = 0; i < depth; i++) {
            r[i] = depth == 1 ? 0.0 : max * i / (depth - 1);
        }
        return r;
    }

    public MampConfig config() {
        return cfg;
    }

    // ---- input handling -------------------------------------------------------------------

    /** (N, C, T, V, M) → (N·M, T, V, C): persons become independent sequences. */
    public NDArray toSequences(NDArray batch) {
        Shape s = batch.getShape();
        if (s.dimension() != 5 || s.get(1) != 3 || s.get(2) != cfg.frames() || s.get(3) != cfg.joints()
                || s.get(4) != cfg.persons()) {
            throw new IllegalArgumentException("expected a batch (N, 3, " + cfg.frames() + ", " + cfg.joints() + ", "
                    + cfg.persons() + "), got " + s);
        }
        return batch.transpose(0, 4, 2, 3, 1).reshape(new Shape(s.get(0) * s.get(4), s.get(2), s.get(3), 3));
    }

    /** (B, T, V, 3) → (B, L, u·3) with values ordered t-major, xyz-minor (the target/prediction order). */
    public NDArray patchify(NDArray seqs) {
        long b = seqs.getShape().get(0);
        return seqs.reshape(new Shape(b, cfg.timeTokens(), cfg.segment(), cfg.joints(), 3))
                .transpose(0, 1, 3, 2, 4)
                .reshape(new Shape(b, cfg.tokens(), cfg.patchSize()));
    }

    /** Next-frame motion D[t] = X[t+1] − X[t], D[T−1] = 0, on (B, T, V, 3). */
    public static NDArray motion(NDArray seqs) {
        NDArray diff = seqs.get(":, 1:").sub(seqs.get(":, :-1"));
        NDArray zeros = seqs.getManager().zeros(new Shape(seqs.getShape().get(0), 1, seqs.getShape().get(2),
                seqs.getShape().get(3)), seqs.getDataType());
        return diff.concat(zeros, 1);
    }

    /** Per-token normalisation (x − μ)/sqrt(σ² + 1e−6) over the last axis with UNBIASED variance. */
    public static NDArray normalizePerToken(NDArray patches) {
        long n = patches.getShape().getLastDimension();
        NDArray mean = patches.mean(new int[] {-1}, true);
        NDArray centered = patches.sub(mean);
        NDArray var = centered.square().sum(new int[] {-1}, true).div(n - 1);
        return centered.div(var.add(1e-6).sqrt());
    }

    // ---- forward passes -------------------------------------------------------------------

    /** Embedding plus factorised temporal and spatial positional embeddings, all tokens: (B, L, dim). */
    NDArray embed(NDArray seqs) {
        NDArray in = cfg.input() == MampConfig.Input.MOTION ? motion(seqs) : seqs;
        long b = in.getShape().get(0);
        int tp = cfg.timeTokens();
        int v = cfg.joints();
        // (B, T, V, 3) → (B, T/u, V, 3, u): c-major, t-minor per token, the Conv2d weight's input order.
        NDArray patches = in.reshape(new Shape(b, tp, cfg.segment(), v, 3)).transpose(0, 1, 3, 4, 2)
                .reshape(new Shape(b, tp, v, cfg.patchSize()));
        NDArray x = jointsEmbed.forward(patches).add(tempEmbed.getArray()).add(posEmbed.getArray());
        return x.reshape(new Shape(b, cfg.tokens(), cfg.dim()));
    }

    private static NDArray gatherTokens(NDArray x, NDArray index) {
        Shape s = x.getShape();
        long k = index.getShape().get(1);
        NDArray full = index.reshape(new Shape(s.get(0), k, 1)).broadcast(new Shape(s.get(0), k, s.get(2)));
        return x.gather(full, 1);
    }

    /** Chooses the visible tokens of each sequence (B, T, V, 3) from its raw positions. */
    public MaskPlan planMask(NDArray seqs, Random rng) {
        Shape s = seqs.getShape();
        float[] pos = seqs.toType(DataType.FLOAT32, false).toFloatArray();
        return MotionAwareMasking.plan(pos, (int) s.get(0), cfg.frames(), cfg.joints(), cfg.segment(),
                cfg.visibleTokens(), cfg.tau(), cfg.uniformMasking(), rng);
    }

    /** Encoder on the visible tokens only: (B, K, dim) after the final LayerNorm, in sorted-score order. */
    public NDArray forwardEncoder(NDArray seqs, MaskPlan plan, boolean training, Random rng) {
        NDArray x = gatherTokens(embed(seqs), plan.keepIndices(seqs.getManager()));
        for (TransformerBlock blk : blocks) {
            x = blk.forward(x, training, rng);
        }
        return norm.forward(x);
    }

    /** Decoder: embed latents, append mask tokens, unshuffle, add decoder embeddings, blocks → (B, L, u·3). */
    public NDArray forwardDecoder(NDArray latent, MaskPlan plan, boolean training, Random rng) {
        NDManager mgr = latent.getManager();
        long b = latent.getShape().get(0);
        int l = cfg.tokens();
        int dd = cfg.decoderDim();
        NDArray x = decoderEmbed.forward(latent);
        NDArray masks = maskToken.getArray().broadcast(new Shape(b, l - plan.visible(), dd));
        masks.attach(mgr); // results of parameter ops land in the parameters' manager otherwise
        x = gatherTokens(x.concat(masks, 1), plan.restoreIndices(mgr));
        x = x.reshape(new Shape(b, cfg.timeTokens(), cfg.joints(), dd))
                .add(decoderTempEmbed.getArray()).add(decoderPosEmbed.getArray())
                .reshape(new Shape(b, l, dd));
        for (TransformerBlock blk : decoderBlocks) {
            x = blk.forward(x, training, rng);
        }
        return decoderPred.forward(decoderNorm.forward(x));
    }

    /** The normalised target (B, L, u·3): patchified next-frame motion, or positions for the JOINT variant. */
    public NDArray target(NDArray seqs) {
        NDArray raw = cfg.target() == MampConfig.Target.MOTION ? motion(seqs) : seqs;
        return normalizePerToken(patchify(raw));
    }

    /** Σ(per-token MSE · mask)/Σ mask: the mean over masked tokens of all sequences. */
    public NDArray forwardLoss(NDArray seqs, NDArray prediction, NDArray mask) {
        NDArray perToken = prediction.sub(target(seqs)).square().mean(new int[] {-1});
        return perToken.mul(mask).sum().div(mask.sum());
    }

    /** Full pretraining step forward on a batch (N, C, T, V, M). */
    public PretrainOutput forwardPretrain(NDArray batch, boolean training, Random rng) {
        NDArray seqs = toSequences(batch);
        MaskPlan plan = planMask(seqs, rng);
        NDArray latent = forwardEncoder(seqs, plan, training, rng);
        NDArray pred = forwardDecoder(latent, plan, training, rng);
        NDArray mask = plan.maskArray(batch.getManager());
        return new PretrainOutput(forwardLoss(seqs, pred, mask), pred, mask);
    }

    /** Encoder on all tokens, no masking, eval mode: (N, M, T/u, V, dim) after the final LayerNorm. */
    public NDArray forwardFeatures(NDArray batch) {
        return forwardTokens(batch, false, null);
    }

    /**
     * Encoder on all tokens, no masking: (N, M, T/u, V, dim) after the final LayerNorm. In
     * {@code training} mode the blocks apply their drop-path rates with {@code rng} (fine-tuning, §2.10).
     */
    public NDArray forwardTokens(NDArray batch, boolean training, Random rng) {
        long n = batch.getShape().get(0);
        NDArray x = embed(toSequences(batch));
        for (TransformerBlock blk : blocks) {
            x = blk.forward(x, training, rng);
        }
        return norm.forward(x).reshape(new Shape(n, cfg.persons(), cfg.timeTokens(), cfg.joints(), cfg.dim()));
    }

    /** The encoder blocks' drop-path rates, block 0 first (linear from 0 to {@code dropPath}). */
    public double[] dropPathRates() {
        return blocks.stream().mapToDouble(TransformerBlock::dropPath).toArray();
    }

    /** Sequence feature (N, dim): mean over persons, time tokens and joints (§2.9; zero persons included). */
    public NDArray pooledFeature(NDArray batch) {
        NDArray f = forwardFeatures(batch);
        long n = f.getShape().get(0);
        // one axis at a time: DJL's PyTorch mean takes a single axis
        return f.reshape(new Shape(n, -1, cfg.dim())).mean(new int[] {1});
    }

    /**
     * Time-ordered feature (N, T/u · dim): for each time token the mean over persons and joints, the
     * time tokens concatenated in order (zero persons included, as in {@link #pooledFeature}).
     */
    public NDArray timePooledFeature(NDArray batch) {
        NDArray f = forwardFeatures(batch); // (N, M, T/u, V, dim)
        long n = f.getShape().get(0);
        NDArray perTime = f.mean(new int[] {3}).mean(new int[] {1}); // (N, T/u, dim)
        return perTime.reshape(new Shape(n, (long) cfg.timeTokens() * cfg.dim()));
    }

    // ---- parameters -----------------------------------------------------------------------

    /** Whether an official-style parameter name belongs to the decoder (mask token included, §2.8). */
    public static boolean isDecoderParameter(String name) {
        return name.startsWith("decoder") || name.equals("mask_token");
    }

    /** Encoder parameters (everything a linear probe or finetune loads) under their official names. */
    public Map<String, Parameter> encoderParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        namedParameters().forEach((n, p) -> {
            if (!isDecoderParameter(n)) {
                out.put(n, p);
            }
        });
        return out;
    }

    /** Trainable parameter counts: {@code encoder}, {@code decoder}, {@code total}. */
    public Map<String, Long> parameterCounts() {
        long enc = 0;
        long dec = 0;
        for (Map.Entry<String, Parameter> e : namedParameters().entrySet()) {
            if (!e.getValue().requiresGradient()) {
                continue;
            }
            long size = e.getValue().getShape().size();
            if (isDecoderParameter(e.getKey())) {
                dec += size;
            } else {
                enc += size;
            }
        }
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("encoder", enc);
        out.put("decoder", dec);
        out.put("total", enc + dec);
        return out;
    }

    /**
     * The official Conv2d embedding weight (dim, 3, u, 1) as our Linear weight (dim, 3·u): a plain
     * reshape, because our embedding reads each token's values c-major, t-minor (index c·u + t).
     * The conv bias maps unchanged.
     */
    public static NDArray fromConvWeight(NDArray convWeight) {
        Shape s = convWeight.getShape();
        if (s.dimension() != 4 || s.get(1) != 3 || s.get(3) != 1) {
            throw new IllegalArgumentException("expected a Conv2d weight (dim, 3, u, 1), got " + s);
        }
        return convWeight.reshape(new Shape(s.get(0), s.get(1) * s.get(2)));
    }
}
