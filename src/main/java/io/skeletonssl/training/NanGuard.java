package io.skeletonssl.training;

import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Stops training at the first NaN/Inf loss with a message that says where it happened and which
 * checkpoint is the last good one (the run folder keeps it untouched).
 */
public final class NanGuard {

    private final Supplier<Path> lastGoodCheckpoint;

    /** {@code lastGoodCheckpoint} returns the newest complete checkpoint, or null if none yet. */
    public NanGuard(Supplier<Path> lastGoodCheckpoint) {
        this.lastGoodCheckpoint = lastGoodCheckpoint;
    }

    /** Returns {@code loss} if finite; otherwise throws {@link TrainingDivergedException}. */
    public double check(double loss, int epoch, long step) {
        if (Double.isFinite(loss)) {
            return loss;
        }
        Path last = lastGoodCheckpoint.get();
        String what = Double.isNaN(loss) ? "NaN" : "infinite (" + loss + ")";
        throw new TrainingDivergedException("loss became " + what + " at epoch " + epoch + " step " + step
                + "; the last good checkpoint is " + (last == null ? "none (no checkpoint was saved yet)" : last.toString()),
                epoch, step);
    }
}
