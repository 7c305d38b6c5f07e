package io.skeletonssl.training;

import io.skeletonssl.util.Progress;

import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Console progress of a training run: one bar over all steps of the run (count, rate, ETA from
 * {@link Progress}) with an extra message {@code "epoch E/N loss L lr R S samples/s"}. The loss is
 * an exponential moving average with bias correction (as TensorBoard-style smoothing), so the first
 * value is the first loss itself.
 */
public final class TrainingProgress implements AutoCloseable {

    private final Progress bar;
    private final int epochs;
    private final double smoothing;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private double ema;
    private double emaWeight;
    private long samples;
    private int epoch;

    TrainingProgress(Progress bar, int epochs, double smoothing, LongSupplier nanoClock) {
        if (!(smoothing >= 0 && smoothing < 1)) {
            throw new IllegalArgumentException("smoothing must be in [0, 1), got " + smoothing);
        }
        this.bar = bar;
        this.epochs = epochs;
        this.smoothing = smoothing;
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
    }

    /**
     * Starts the bar for a run of {@code epochs} epochs of {@code stepsPerEpoch} steps, resuming at
     * {@code startEpoch} (the bar starts at {@code startEpoch·stepsPerEpoch} so the ETA covers what is left).
     */
    public static TrainingProgress start(String task, int startEpoch, int epochs, long stepsPerEpoch) {
        Progress p = Progress.start(task, (long) epochs * stepsPerEpoch, "step");
        p.stepBy((long) startEpoch * stepsPerEpoch);
        TrainingProgress t = new TrainingProgress(p, epochs, 0.98, System::nanoTime);
        t.epoch = startEpoch;
        return t;
    }

    /** Records one finished step of {@code batchSize} samples with its loss and learning rate. */
    public void step(int epoch, double loss, double lr, int batchSize) {
        this.epoch = epoch;
        if (Double.isFinite(loss)) {
            ema = smoothing * ema + (1 - smoothing) * loss;
            emaWeight = smoothing * emaWeight + (1 - smoothing);
        }
        samples += batchSize;
        bar.step();
        bar.message(message(lr));
    }

    /** Takes back {@code steps} counted steps (an epoch rolled back and run again). */
    public void rewind(long steps) {
        bar.stepBy(-steps);
    }

    /** The bias-corrected moving average of the loss (NaN before the first finite loss). */
    public double smoothedLoss() {
        return emaWeight == 0 ? Double.NaN : ema / emaWeight;
    }

    /** Samples per second since the start (or resume) of this bar. */
    public double samplesPerSecond() {
        double seconds = (nanoClock.getAsLong() - startNanos) / 1e9;
        return seconds <= 0 ? 0 : samples / seconds;
    }

    String message(double lr) {
        return String.format(Locale.ROOT, "epoch %d/%d loss %.4f lr %.3e %.1f samples/s",
                epoch + 1, epochs, smoothedLoss(), lr, samplesPerSecond());
    }

    @Override
    public void close() {
        bar.close();
    }
}
