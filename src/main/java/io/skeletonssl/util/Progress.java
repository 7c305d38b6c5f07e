package io.skeletonssl.util;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * A progress bar on stderr (count, rate, ETA) that stays quiet when asked to, e.g. in tests.
 */
public final class Progress implements AutoCloseable {

    private static volatile boolean enabled = !Boolean.getBoolean("skeletonssl.quiet");

    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    public static void setEnabled(boolean on) {
        enabled = on;
    }

    public static Progress start(String task, long total, String unit) {
        if (!enabled) {
            return new Progress(null);
        }
        // On a terminal: one bar redrawn in place. Into a log file or pipe: a full line every 10 s,
        // so that logs stay readable and the extra message (loss, lr, ...) is never cut off.
        boolean terminal = System.console() != null;
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setUnit(" " + unit, 1)
                .showSpeed()
                .setSpeedUnit(ChronoUnit.SECONDS)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(terminal ? 250 : 10_000)
                .setMaxRenderedLength(terminal ? 150 : 220)
                .setConsumer(terminal ? new ConsoleProgressBarConsumer(System.err, 150)
                        : new DelegatingProgressBarConsumer(System.err::println, 220))
                .setEtaFunction(state -> state.getCurrent() == 0 || state.getMax() <= 0
                        ? java.util.Optional.empty()
                        : java.util.Optional.of(Duration.ofMillis((long) (
                            Duration.between(state.getStartInstant(), java.time.Instant.now()).toMillis()
                                    * (double) (state.getMax() - state.getCurrent()) / state.getCurrent()))))
                .build();
        return new Progress(bar);
    }

    public void step() {
        if (bar != null) {
            bar.step();
        }
    }

    public void stepBy(long n) {
        if (bar != null) {
            bar.stepBy(n);
        }
    }

    public void message(String extra) {
        if (bar != null) {
            bar.setExtraMessage(extra);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
