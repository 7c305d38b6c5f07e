package io.skeletonssl.training;

/** The loss became NaN or infinite: training cannot continue from the current weights. */
public final class TrainingDivergedException extends RuntimeException {

    private final int epoch;
    private final long step;

    public TrainingDivergedException(String message, int epoch, long step) {
        super(message);
        this.epoch = epoch;
        this.step = step;
    }

    public int epoch() {
        return epoch;
    }

    public long step() {
        return step;
    }
}
