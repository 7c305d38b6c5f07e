package io.skeletonssl.training;

/**
 * A linear warm-up in front of another schedule: over the first {@code warmupEpochs} (fractional
 * allowed) the rate of {@code after} is scaled by the fraction of the warm-up done, per step. Step
 * {@code t} of the run (0-based, {@code t = epoch·iters + it}) uses
 * {@code after · min(1, (t + 1) / (warmupEpochs·iters))}: the first step a small fraction of the
 * rate, the last warm-up step all of it. {@code warmupEpochs = 0} is {@code after} unchanged.
 * {@code after} is read at the step's start, so an epoch-level schedule changes where it would
 * without the warm-up.
 */
public record LinearWarmup(LrSchedule after, double warmupEpochs) implements LrSchedule {

    public LinearWarmup {
        if (!(warmupEpochs >= 0) || Double.isInfinite(warmupEpochs)) {
            throw new IllegalArgumentException("warm-up epochs must be finite and >= 0, got " + warmupEpochs);
        }
    }

    /** On a fractional epoch without a step size: the fraction {@code e / warmupEpochs} (0 at the start). */
    @Override
    public double at(double e) {
        return after.at(e) * (warmupEpochs == 0 ? 1 : Math.min(1, e / warmupEpochs));
    }

    @Override
    public double at(int epoch, long it, long itersPerEpoch) {
        double rate = after.at(epoch, it, itersPerEpoch);
        if (warmupEpochs == 0) {
            return rate;
        }
        double done = ((double) epoch * itersPerEpoch + it + 1) / (warmupEpochs * itersPerEpoch);
        return rate * Math.min(1, done);
    }
}
