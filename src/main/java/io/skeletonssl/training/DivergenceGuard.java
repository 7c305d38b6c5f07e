package io.skeletonssl.training;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pretraining loop's answer to a diverging step: it says which steps count as divergent (a
 * non-finite loss; non-finite gradients, for methods whose recipe does not skip such steps; a loss
 * that jumps far above the previous epoch's mean, when asked), keeps the learning-rate factor that
 * each rollback lowers, and the list of events that checkpoints and metrics.json record. The
 * rollback itself (restoring the {@link StateSnapshot} taken at the epoch's start and rerunning the
 * epoch) is done by {@link Pretrainer}; after {@link Settings#rollbacks} rollbacks in one process the
 * next divergence stops the run.
 */
public final class DivergenceGuard {

    /**
     * {@code rollbacks}: how many rollbacks one process may make (0: none, the run stops at the first
     * non-finite loss and non-finite gradients skip their step, as without a guard); {@code lrFactor}:
     * the learning rate is multiplied by it at each rollback, for the rest of the run; {@code lossFactor}:
     * a step whose loss exceeds this multiple of the previous epoch's mean loss also diverges (0: off).
     */
    public record Settings(int rollbacks, double lrFactor, double lossFactor) {
        /** No rollbacks and no loss check (the loop's behaviour before the guard existed). */
        public static final Settings OFF = new Settings(0, 0.5, 0);

        public Settings {
            if (rollbacks < 0) {
                throw new IllegalArgumentException("pretrain.divergence_rollbacks must be >= 0 (0 = no rollback), got "
                        + rollbacks);
            }
            if (!(lrFactor > 0 && lrFactor < 1)) {
                throw new IllegalArgumentException("pretrain.divergence_lr_factor must lie in (0, 1) (the learning "
                        + "rate is multiplied by it at each rollback), got " + lrFactor);
            }
            if (!(lossFactor == 0 || (lossFactor > 1 && Double.isFinite(lossFactor)))) {
                throw new IllegalArgumentException("pretrain.divergence_loss_factor must be 0 (off) or a finite number "
                        + "above 1 (a loss above that multiple of the previous epoch's mean counts as divergence), got "
                        + lossFactor);
            }
        }

        public boolean enabled() {
            return rollbacks > 0;
        }
    }

    /**
     * One divergent step: where ({@code step} within the epoch, {@code globalStep} = epoch·steps + step),
     * why, the step's loss and gradient norm (NaN if not measured) and learning rate, what was done
     * ({@code rollback} or {@code stop}) and the learning-rate factor from then on.
     */
    public record Event(int epoch, int step, long globalStep, String reason, double loss, double gradNorm,
                        double lr, String action, double lrFactor) {

        public boolean stops() {
            return STOP.equals(action);
        }

        /** The metrics.json / checkpoint form (non-finite numbers as text, which JSON cannot hold). */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", epoch);
            m.put("step", step);
            m.put("global_step", globalStep);
            m.put("reason", reason);
            m.put("loss", json(loss));
            m.put("grad_norm", json(gradNorm));
            m.put("lr", lr);
            m.put("action", action);
            m.put("lr_factor", lrFactor);
            return m;
        }

        static Event fromJson(JsonNode n) {
            return new Event(n.path("epoch").asInt(), n.path("step").asInt(), n.path("global_step").asLong(),
                    n.path("reason").asText(), number(n.path("loss")), number(n.path("grad_norm")),
                    n.path("lr").asDouble(), n.path("action").asText(), n.path("lr_factor").asDouble());
        }

        private static Object json(double v) {
            return Double.isFinite(v) ? (Object) v : String.valueOf(v);
        }

        private static double number(JsonNode n) {
            return n.isNumber() ? n.asDouble() : n.isTextual() ? Double.parseDouble(n.asText()) : Double.NaN;
        }
    }

    static final String ROLLBACK = "rollback";
    static final String STOP = "stop";
    /** Checkpoint extra keys. */
    static final String LR_FACTOR_KEY = "lr_factor";
    static final String EVENTS_KEY = "divergence_events";

    private final Settings settings;
    private final List<Event> events = new ArrayList<>();
    private double lrFactor;
    private int rollbacks;

    /** A guard for a new run: factor 1, no events. */
    public DivergenceGuard(Settings settings) {
        this(settings, 1.0, List.of());
    }

    /** A guard continuing a run: the factor and events saved with its checkpoint. */
    public DivergenceGuard(Settings settings, double lrFactor, List<Event> earlier) {
        if (!(lrFactor > 0 && lrFactor <= 1)) {
            throw new IllegalArgumentException("learning-rate factor must lie in (0, 1], got " + lrFactor);
        }
        this.settings = settings;
        this.lrFactor = lrFactor;
        this.events.addAll(earlier);
    }

    /** The guard of a run resumed from {@code c}: its saved factor and events (none in checkpoints before the guard). */
    public static DivergenceGuard resumed(Settings settings, Checkpoint c) {
        JsonNode extra = c.extra();
        List<Event> earlier = new ArrayList<>();
        for (JsonNode e : extra.path(EVENTS_KEY)) {
            earlier.add(Event.fromJson(e));
        }
        return new DivergenceGuard(settings, extra.path(LR_FACTOR_KEY).asDouble(1.0), earlier);
    }

    public Settings settings() {
        return settings;
    }

    /** The factor on the schedule's learning rate: 1 until the first rollback, then × lrFactor per rollback. */
    public double lrFactor() {
        return lrFactor;
    }

    /** Every event of the run, the ones before a resume included. */
    public List<Event> events() {
        return Collections.unmodifiableList(events);
    }

    /** The events as metrics.json and checkpoints store them. */
    public List<Map<String, Object>> eventMaps() {
        List<Map<String, Object>> out = new ArrayList<>();
        events.forEach(e -> out.add(e.toMap()));
        return out;
    }

    /** What a checkpoint keeps so that a resume continues with the same factor and history. */
    public Map<String, Object> checkpointExtra() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(LR_FACTOR_KEY, lrFactor);
        m.put(EVENTS_KEY, eventMaps());
        return m;
    }

    /**
     * Why a step diverged, or null if it did not. {@code gradientsCount}: whether non-finite gradients
     * are a divergence (else the loop skips the step); {@code previousEpochLoss}: the last completed
     * epoch's mean loss (NaN if none), for the loss-jump check.
     */
    public String problem(double loss, boolean gradientsFinite, double gradNorm, boolean gradientsCount,
                          double previousEpochLoss) {
        if (Double.isNaN(loss)) {
            return "loss NaN";
        }
        if (Double.isInfinite(loss)) {
            return "loss " + loss;
        }
        if (gradientsCount && !gradientsFinite) {
            return Double.isNaN(gradNorm) || Double.isInfinite(gradNorm)
                    ? "gradient norm " + gradNorm : "non-finite gradients";
        }
        if (settings.lossFactor() > 0 && previousEpochLoss > 0 && loss > settings.lossFactor() * previousEpochLoss) {
            return "loss " + brief(loss) + " above " + brief(settings.lossFactor()) + " x the previous epoch's mean "
                    + brief(previousEpochLoss);
        }
        return null;
    }

    /**
     * Records a divergence; a rollback lowers the factor, and the one after the last allowed rollback
     * stops (its event carries the factor a resume will start with: lowered once more).
     */
    public Event onDivergence(int epoch, int step, long globalStep, String reason, double loss, double gradNorm,
                              double lr) {
        boolean stop = rollbacks >= settings.rollbacks();
        lrFactor *= settings.lrFactor();
        if (!stop) {
            rollbacks++;
        }
        Event e = new Event(epoch, step, globalStep, reason, loss, gradNorm, lr, stop ? STOP : ROLLBACK, lrFactor);
        events.add(e);
        return e;
    }

    /** Four significant digits without trailing zeros: 81, 31.25, 0.0125. */
    static String brief(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /** Rollbacks made by this process. */
    public int rollbacks() {
        return rollbacks;
    }

    /** The console line for a rollback. */
    public String report(Event e) {
        return String.format(Locale.ROOT, "divergence at epoch %d step %d (global step %d): %s at lr %s; rolled "
                        + "back to the start of epoch %d and lowered the learning rate x %s for the rest of the run "
                        + "(now x %s of the schedule), rollback %d of %d", e.epoch(), e.step(), e.globalStep(),
                e.reason(), brief(e.lr()), e.epoch(), brief(settings.lrFactor()), brief(e.lrFactor()), rollbacks,
                settings.rollbacks());
    }
}
