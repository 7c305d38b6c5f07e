package io.skeletonssl.training;

/**
 * MAMP's schedule (official util/lr_sched.py): linear warm-up from 0 to {@code lr} over
 * {@code warmupEpochs}, then a half-cycle cosine from {@code lr} down to {@code minLr} at
 * {@code epochs}. Evaluated per iteration on the fractional epoch. A run shorter than its warm-up
 * (a smoke test with {@code --epochs 1}) simply stays in the warm-up ramp.
 */
public record WarmupCosine(double lr, double minLr, double warmupEpochs, double epochs) implements LrSchedule {

    public WarmupCosine {
        if (!(lr >= 0) || !(minLr >= 0) || !(warmupEpochs >= 0) || !(epochs > 0)) {
            throw new IllegalArgumentException("warm-up cosine needs lr >= 0, min_lr >= 0, warmup >= 0, epochs > 0; got lr "
                    + lr + ", min_lr " + minLr + ", warmup " + warmupEpochs + ", epochs " + epochs);
        }
    }

    @Override
    public double at(double e) {
        if (e < warmupEpochs) {
            return lr * e / warmupEpochs;
        }
        double progress = (e - warmupEpochs) / (epochs - warmupEpochs);
        return minLr + (lr - minLr) * 0.5 * (1.0 + Math.cos(Math.PI * progress));
    }
}
