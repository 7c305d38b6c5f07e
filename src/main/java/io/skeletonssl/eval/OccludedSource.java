package io.skeletonssl.eval;

import io.skeletonssl.layout.SkeletonLayout;
import io.skeletonssl.loader.ClipSource;
import io.skeletonssl.loader.ClipView;

import java.util.SplittableRandom;

/**
 * A {@link ClipSource} whose raw clips come out occluded ({@link Occlusion}), before any method
 * transform: spatial masks hide body parts in every frame, temporal masks hide a block of the
 * clip's valid frames. Test clips get fixed masks ({@link #fixed}: from a seed and the clip index,
 * the same in every run and for every encoder); training clips get new masks for every feature
 * view / epoch ({@link #view}: from the seed, the view and the clip index).
 */
public final class OccludedSource extends ClipView {

    private final Occlusion.Kind kind;
    private final SkeletonLayout layout;
    private final long maskSeed;

    private OccludedSource(ClipSource source, Occlusion.Kind kind, SkeletonLayout layout, long maskSeed) {
        super(checked(source, kind, layout));
        this.kind = kind;
        this.layout = layout;
        this.maskSeed = maskSeed;
    }

    private static ClipSource checked(ClipSource source, Occlusion.Kind kind, SkeletonLayout layout) {
        if (kind == Occlusion.Kind.SPATIAL && layout.bodyParts().isEmpty()) {
            throw new IllegalArgumentException("layout '" + layout.name() + "' has no body parts: spatial occlusion "
                    + "hides body parts (use --kind temporal)");
        }
        if (layout.numJoints() != source.joints()) {
            throw new IllegalArgumentException("layout '" + layout.name() + "' has " + layout.numJoints()
                    + " joints but the clips have " + source.joints());
        }
        return source;
    }

    /** Test-time occlusion: clip i always gets {@code Occlusion.forSample(kind, layout, T_i, seed, i)}. */
    public static OccludedSource fixed(ClipSource source, Occlusion.Kind kind, SkeletonLayout layout, long seed) {
        return new OccludedSource(source, kind, layout, seed);
    }

    /** Training occlusion of feature view (epoch) {@code view}: masks drawn anew per view from (seed, view, index). */
    public static OccludedSource view(ClipSource source, Occlusion.Kind kind, SkeletonLayout layout, long seed,
                                      int view) {
        // a seed of its own per view, mixed so that no view repeats the test masks of seed
        long viewSeed = new SplittableRandom(seed * 0xBF58476D1CE4E5B9L + view + 1).nextLong();
        return new OccludedSource(source, kind, layout, viewSeed);
    }

    /** The mask clip {@code i} gets (temporal: within its valid frames). */
    public Occlusion.Mask mask(int i) {
        int frames = Math.max(1, Math.min(source.validFrames(i), source.frames()));
        return Occlusion.forSample(kind, layout, frames, maskSeed, i);
    }

    @Override
    public void read(int i, float[] dst, int off) {
        float[] raw = new float[sampleSize()];
        source.read(i, raw, 0);
        float[] hidden = Occlusion.apply(raw, frames(), joints(), persons(), mask(i), layout);
        System.arraycopy(hidden, 0, dst, off, hidden.length);
    }

    @Override
    public int size() {
        return source.size();
    }

    @Override
    protected int sourceIndex(int i) {
        return i;
    }
}
