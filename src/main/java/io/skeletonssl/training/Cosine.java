package io.skeletonssl.training;

/**
 * The linear-probe schedule (MAMP §2.9): per-iteration half-cycle cosine from {@code lr} to 0 over
 * {@code epochs}, no warm-up. Same formula as {@link WarmupCosine} with warm-up 0 and min_lr 0.
 */
public record Cosine(double lr, double epochs) implements LrSchedule {

    public Cosine {
        if (!(lr >= 0) || !(epochs > 0)) {
            throw new IllegalArgumentException("cosine schedule needs lr >= 0 and epochs > 0; got lr " + lr + ", epochs " + epochs);
        }
    }

    @Override
    public double at(double e) {
        return 0.5 * lr * (1.0 + Math.cos(Math.PI * e / epochs));
    }
}
