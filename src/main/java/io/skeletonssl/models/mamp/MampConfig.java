package io.skeletonssl.models.mamp;

/**
 * Sizes and switches of a MAMP model (official-code-facts §2.3–2.6). Immutable; use the
 * {@code with*} methods to derive variants.
 *
 * @param dim encoder width
 * @param depth encoder blocks
 * @param heads encoder attention heads
 * @param mlpRatio MLP hidden = dim·mlpRatio
 * @param decoderDim decoder width
 * @param decoderDepth decoder blocks (3 for NTU-60, 5 for NTU-120/PKU)
 * @param decoderHeads decoder attention heads
 * @param segment frames per token (u)
 * @param frames input frames T (multiple of segment)
 * @param joints joints V
 * @param persons persons M
 * @param maskRatio fraction of tokens masked; visible = (int)(L·(1−maskRatio))
 * @param tau motion-aware temperature; ≤ 0 means uniform random masking
 * @param dropPath stochastic-depth rate of the last block (linearly spaced from 0)
 * @param target what the decoder predicts
 * @param input what the encoder embeds
 * @param masking how tokens are chosen for masking
 */
public record MampConfig(int dim, int depth, int heads, double mlpRatio,
                         int decoderDim, int decoderDepth, int decoderHeads,
                         int segment, int frames, int joints, int persons,
                         double maskRatio, double tau, double dropPath,
                         Target target, Input input, Masking masking) {

    /** Prediction target: next-frame motion (MAMP) or normalised joint positions (SkeletonMAE-style). */
    public enum Target { MOTION, JOINT }

    /** Encoder input: raw positions (MAMP) or their motion. */
    public enum Input { POSITION, MOTION }

    /** Token selection: motion-aware Gumbel-top-k (MAMP) or uniform random (MAE). */
    public enum Masking { MOTION_AWARE, RANDOM }

    public MampConfig {
        positive("dim", dim);
        positive("depth", depth);
        positive("heads", heads);
        positive("decoderDim", decoderDim);
        positive("decoderDepth", decoderDepth);
        positive("decoderHeads", decoderHeads);
        positive("segment", segment);
        positive("frames", frames);
        positive("joints", joints);
        positive("persons", persons);
        if (dim % heads != 0 || decoderDim % decoderHeads != 0) {
            throw new IllegalArgumentException("width must be divisible by heads: dim " + dim + "/" + heads
                    + ", decoderDim " + decoderDim + "/" + decoderHeads);
        }
        if (frames % segment != 0) {
            throw new IllegalArgumentException("frames " + frames + " is not a multiple of segment " + segment);
        }
        if (!(maskRatio >= 0 && maskRatio < 1)) {
            throw new IllegalArgumentException("maskRatio must be in [0, 1), got " + maskRatio);
        }
        if (!(mlpRatio > 0) || !(dropPath >= 0 && dropPath < 1) || Double.isNaN(tau)) {
            throw new IllegalArgumentException("bad mlpRatio " + mlpRatio + ", dropPath " + dropPath + " or tau " + tau);
        }
        if (target == null || input == null || masking == null) {
            throw new IllegalArgumentException("target, input and masking must be set");
        }
    }

    private static void positive(String name, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + v);
        }
    }

    /** The official NTU configuration: 8 encoder blocks, decoder 3 (NTU-60) or 5 (NTU-120/PKU). */
    public static MampConfig official(int decoderDepth, double tau) {
        return new MampConfig(256, 8, 8, 4.0, 256, decoderDepth, 8, 4, 120, 25, 2,
                0.9, tau, 0.0, Target.MOTION, Input.POSITION, Masking.MOTION_AWARE);
    }

    /** NTU-60 xsub/xview: 8+3, τ 0.80. */
    public static MampConfig ntu60() {
        return official(3, 0.80);
    }

    /** NTU-120 xsub/xset: 8+5, τ 0.75. */
    public static MampConfig ntu120() {
        return official(5, 0.75);
    }

    /** Time tokens T/u. */
    public int timeTokens() {
        return frames / segment;
    }

    /** Tokens per person-sequence L = (T/u)·V. */
    public int tokens() {
        return timeTokens() * joints;
    }

    /** Values per token u·3. */
    public int patchSize() {
        return segment * 3;
    }

    /** Visible tokens per sequence: int(L·(1 − maskRatio)) in double precision (74 for L = 750, ratio 0.9). */
    public int visibleTokens() {
        return (int) (tokens() * (1 - maskRatio));
    }

    /** Whether masking is uniform random (RANDOM, or τ ≤ 0). */
    public boolean uniformMasking() {
        return masking == Masking.RANDOM || tau <= 0;
    }

    public MampConfig withLayout(int newFrames, int newJoints, int newPersons) {
        return new MampConfig(dim, depth, heads, mlpRatio, decoderDim, decoderDepth, decoderHeads, segment,
                newFrames, newJoints, newPersons, maskRatio, tau, dropPath, target, input, masking);
    }

    public MampConfig withSizes(int newDim, int newDepth, int newHeads, int newDecoderDim, int newDecoderDepth,
            int newDecoderHeads) {
        return new MampConfig(newDim, newDepth, newHeads, mlpRatio, newDecoderDim, newDecoderDepth, newDecoderHeads,
                segment, frames, joints, persons, maskRatio, tau, dropPath, target, input, masking);
    }

    public MampConfig withMasking(Masking newMasking, double newTau, double newMaskRatio) {
        return new MampConfig(dim, depth, heads, mlpRatio, decoderDim, decoderDepth, decoderHeads, segment,
                frames, joints, persons, newMaskRatio, newTau, dropPath, target, input, newMasking);
    }

    public MampConfig withVariant(Target newTarget, Input newInput) {
        return new MampConfig(dim, depth, heads, mlpRatio, decoderDim, decoderDepth, decoderHeads, segment,
                frames, joints, persons, maskRatio, tau, dropPath, newTarget, newInput, masking);
    }

    public MampConfig withDropPath(double newDropPath) {
        return new MampConfig(dim, depth, heads, mlpRatio, decoderDim, decoderDepth, decoderHeads, segment,
                frames, joints, persons, maskRatio, tau, newDropPath, target, input, masking);
    }
}
