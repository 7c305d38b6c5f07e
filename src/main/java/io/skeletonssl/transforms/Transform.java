package io.skeletonssl.transforms;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * One augmentation or conversion step on a {@link Clip}. Implementations are immutable and
 * thread-safe; all randomness comes from the generator passed in, so the same generator state
 * gives the same result. The input clip is never modified.
 */
@FunctionalInterface
public interface Transform {

    Clip apply(Clip clip, RandomGenerator rng);

    /** This step, then {@code next}. */
    default Transform then(Transform next) {
        Objects.requireNonNull(next, "next");
        return (clip, rng) -> next.apply(apply(clip, rng), rng);
    }

    static Transform identity() {
        return (clip, rng) -> clip;
    }

    /**
     * PCM3's choice between two spatial augmentations ({@code basic_aug}): draw u ~ U[0,1) and
     * apply {@code ifBelow} when u &lt; p, else {@code otherwise}. p ≤ 0 always takes
     * {@code otherwise} (PCM3's third view uses p = −1: always shear), but u is still drawn.
     */
    static Transform either(double p, Transform ifBelow, Transform otherwise) {
        Objects.requireNonNull(ifBelow, "ifBelow");
        Objects.requireNonNull(otherwise, "otherwise");
        return (clip, rng) -> rng.nextDouble() < p ? ifBelow.apply(clip, rng) : otherwise.apply(clip, rng);
    }
}
