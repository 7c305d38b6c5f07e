package io.skeletonssl.training;

import java.util.Locale;

/**
 * The range checks and choice lookups of the settings records (called from their constructors, so
 * that {@link ConfigTree#bind} reports them with the record's source): each error names the key as
 * the user writes it, the value, and what was expected.
 */
public final class SettingChecks {

    private SettingChecks() {
    }

    /** The enum constant spelled {@code text} in lower case with dashes ({@code motion-aware}); an error naming {@code key} and the choices. */
    public static <E extends Enum<E>> E choice(String text, String key, Class<E> type) {
        if (text == null) {
            throw new IllegalArgumentException("missing value for " + key + " (expected one of: " + spelled(type) + ")");
        }
        String constant = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(constant)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown value '" + text + "' for " + key + " (expected one of: "
                + spelled(type) + ")");
    }

    private static String spelled(Class<? extends Enum<?>> type) {
        StringBuilder allowed = new StringBuilder();
        for (Enum<?> e : type.getEnumConstants()) {
            allowed.append(allowed.length() == 0 ? "" : ", ").append(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        return allowed.toString();
    }

    public static void positive(String key, double v) {
        if (!(v > 0)) {
            throw new IllegalArgumentException(key + " must be positive, got " + v);
        }
    }

    public static void nonNegative(String key, double v) {
        if (!(v >= 0)) {
            throw new IllegalArgumentException(key + " must be >= 0, got " + v);
        }
    }

    /** {@code v} in [0, 1]. */
    public static void unit(String key, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(key + " must lie in [0, 1], got " + v);
        }
    }

    /** {@code 0 < lo <= hi <= 1}: a crop ratio range, or one ratio given as both. */
    public static void ratioRange(String key, double lo, double hi) {
        if (!(lo > 0 && lo <= hi && hi <= 1)) {
            throw new IllegalArgumentException(key + " must satisfy 0 < min <= max <= 1, got " + lo + ", " + hi);
        }
    }
}
