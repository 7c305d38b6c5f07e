package io.skeletonssl.transforms;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * Named steps applied in order, sharing one random generator (so a pipeline's draws are those of
 * its steps, in order). Immutable.
 *
 * <p>Named pipelines (spec §2.1, §3.1, §3.13):
 * <ul>
 *   <li>{@link #mampTrain()}: finite check, recount valid frames (MAMP computes them from the
 *       data), crop U[0.5,1) min 64 → 120, rotation ±0.3 rad;</li>
 *   <li>{@link #mampTest()}: finite check, recount, centre crop 0.95 → 120;</li>
 *   <li>{@link #pcm3View(double)}: finite check, crop U[0.1,1) min 64 → 64 of the stored frame
 *       count, then joint corruption when u &lt; p else shear (p = 0.5 for the query and key views,
 *       −1 for the masked-prediction view);</li>
 *   <li>{@link #pcm3Train}, {@link #pcm3Test}: the downstream crops (official → 64) of the stored
 *       valid frame count, no spatial step.</li>
 * </ul>
 */
public final class Pipeline implements Transform {

    public record Step(String name, Transform transform) {
        public Step {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(transform, "transform");
        }
    }

    private final String name;
    private final List<Step> steps;

    public Pipeline(String name, List<Step> steps) {
        this.name = Objects.requireNonNull(name, "name");
        this.steps = List.copyOf(steps);
    }

    public static Pipeline of(String name) {
        return new Pipeline(name, List.of());
    }

    /** A new pipeline with one more step at the end. */
    public Pipeline then(String stepName, Transform transform) {
        List<Step> more = new ArrayList<>(steps);
        more.add(new Step(stepName, transform));
        return new Pipeline(name, more);
    }

    public String name() {
        return name;
    }

    public List<Step> steps() {
        return steps;
    }

    @Override
    public Clip apply(Clip clip, RandomGenerator rng) {
        Clip c = clip;
        for (Step s : steps) {
            c = s.transform().apply(c, rng);
        }
        return c;
    }

    public static Pipeline mampTrain() {
        return of("mamp-train")
                .then("finite", FiniteCheck.INSTANCE)
                .then("valid-frames", ValidFrames.recount())
                .then("crop-resize", CropResize.mampTrain())
                .then("rotate", RandomRotation.mamp());
    }

    public static Pipeline mampTest() {
        return of("mamp-test")
                .then("finite", FiniteCheck.INSTANCE)
                .then("valid-frames", ValidFrames.recount())
                .then("crop-resize", CropResize.mampTest());
    }

    /** One PCM3 pretraining view: crop-resize to 64, then corruption with probability p, else shear. */
    public static Pipeline pcm3View(double p) {
        return of("pcm3-view(p=" + p + ")")
                .then("finite", FiniteCheck.INSTANCE)
                .then("crop-resize", CropResize.pcm3Pretrain())
                .then("corrupt-or-shear", Transform.either(p, JointCorruption.pcm3(), Shear.pcm3()));
    }

    /**
     * PCM3/CMD downstream training: crop ratio U[low, high) of the stored valid frames, at least
     * {@code minFrames}, resized to {@code frames} (official: U[0.5, 1), 64, 64).
     */
    public static Pipeline pcm3Train(double low, double high, int minFrames, int frames) {
        return of("pcm3-train")
                .then("finite", FiniteCheck.INSTANCE)
                .then("crop-resize", CropResize.random(low, high, minFrames, frames));
    }

    /** PCM3/CMD downstream test (and KNN): centre crop {@code ratio} of the valid frames → {@code frames} (0.95, 64). */
    public static Pipeline pcm3Test(double ratio, int frames) {
        return of("pcm3-test")
                .then("finite", FiniteCheck.INSTANCE)
                .then("crop-resize", CropResize.center(ratio, frames));
    }

    @Override
    public String toString() {
        return name + steps.stream().map(Step::name).collect(Collectors.joining(" → ", "[", "]"));
    }
}
