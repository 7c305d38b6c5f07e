package io.skeletonssl.training;

/**
 * A learning rate as a function of training progress. Progress is a fractional epoch
 * {@code e = epoch + iteration / itersPerEpoch}, as in MAMP's per-iteration schedule; schedules
 * that only change between epochs (PCM3's step decay) look at {@code floor(e)}.
 */
public interface LrSchedule {

    /** The learning rate at fractional epoch {@code e >= 0}. */
    double at(double e);

    /** The learning rate for iteration {@code it} (0-based) of epoch {@code epoch} (0-based). */
    default double at(int epoch, long it, long itersPerEpoch) {
        if (itersPerEpoch <= 0) {
            throw new IllegalArgumentException("itersPerEpoch must be positive, got " + itersPerEpoch);
        }
        return at(epoch + (double) it / itersPerEpoch);
    }
}
