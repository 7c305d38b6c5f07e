package io.skeletonssl.training;

import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Stops training at the first NaN/Inf loss with a message that says where it happened. Pretraining
 * names the last good checkpoint (the run folder keeps it untouched); an evaluation protocol
 * ({@link #forProtocol}) names itself, since it records no result once its loss has gone bad.
 */
public final class NanGuard {

    private final Supplier<Path> lastGoodCheckpoint;
    private final String protocol;
    private final String hint;

    /** {@code lastGoodCheckpoint} returns the newest complete checkpoint, or null if none yet. */
    public NanGuard(Supplier<Path> lastGoodCheckpoint) {
        this(lastGoodCheckpoint, null, null);
    }

    private NanGuard(Supplier<Path> lastGoodCheckpoint, String protocol, String hint) {
        this.lastGoodCheckpoint = lastGoodCheckpoint;
        this.protocol = protocol;
        this.hint = hint;
    }

    /**
     * A guard for the training loop of an evaluation protocol (e.g. {@code "linear probe"});
     * {@code hint} (may be null) says what to change, e.g. {@code "lower linear_probe.lr"}.
     */
    public static NanGuard forProtocol(String protocol, String hint) {
        return new NanGuard(() -> null, protocol, hint);
    }

    /** Returns {@code loss} if finite; otherwise throws {@link TrainingDivergedException}. */
    public double check(double loss, int epoch, long step) {
        if (Double.isFinite(loss)) {
            return loss;
        }
        String what = Double.isNaN(loss) ? "NaN" : "infinite (" + loss + ")";
        String where = "loss became " + what + " at epoch " + epoch + " step " + step;
        if (protocol != null) {
            throw new TrainingDivergedException(protocol + ": " + where + "; stopped without recording a result"
                    + (hint == null ? "" : " (" + hint + ")"), epoch, step);
        }
        Path last = lastGoodCheckpoint.get();
        throw new TrainingDivergedException(where + "; the last good checkpoint is "
                + (last == null ? "none (no checkpoint was saved yet)" : last.toString()), epoch, step);
    }
}
