package io.skeletonssl.synth;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the synthetic dataset holds. The dataset has {@code subjects · repetitions · 3 · classes}
 * clips: every subject performs every class {@code repetitions} times, each performance seen by
 * three cameras (views 1..3 at subject yaw −45°, 0°, +45°), like NTU RGB+D.
 *
 * @param seed        everything follows from it; sample i depends only on (seed, i)
 * @param subjects    performers, ids 1..subjects (40 gives NTU-60's cross-subject split)
 * @param repetitions performances per (subject, class), replication ids 1..repetitions
 * @param classes     how many of the built-in classes to use (the first ones), 1..{@link #MAX_CLASSES}
 * @param noise       sensor jitter scale (1 = Kinect-like: ~3 mm on the body, ~1 cm on hands and feet)
 * @param dropoutRate expected tracking dropouts (a joint zero or frozen, or a whole frame frozen,
 *                    for 2–8 frames) per frame
 * @param minFrames   shortest clip, frames
 * @param maxFrames   longest clip, frames (also the dataset's T)
 */
public record SynthConfig(long seed, int subjects, int repetitions, int classes, double noise, double dropoutRate,
                          int minFrames, int maxFrames) {

    public static final int VIEWS = 3;
    public static final int MAX_CLASSES = Actions.ALL.size();

    public SynthConfig {
        check(subjects >= 1 && subjects <= 999, "subjects must be 1..999, got " + subjects);
        check(repetitions >= 1 && repetitions <= 999, "repetitions must be 1..999, got " + repetitions);
        check(classes >= 1 && classes <= MAX_CLASSES, "classes must be 1.." + MAX_CLASSES + ", got " + classes);
        check(Double.isFinite(noise) && noise >= 0 && noise <= 10, "noise must be in 0..10, got " + noise);
        check(Double.isFinite(dropoutRate) && dropoutRate >= 0 && dropoutRate <= 0.2,
                "dropoutRate must be in 0..0.2 per frame, got " + dropoutRate);
        check(minFrames >= 10 && minFrames <= maxFrames, "need 10 <= minFrames <= maxFrames, got minFrames="
                + minFrames + ", maxFrames=" + maxFrames);
        check(maxFrames <= 1000, "maxFrames must be at most 1000, got " + maxFrames);
        check((long) subjects * repetitions * VIEWS * classes <= Integer.MAX_VALUE, "too many samples");
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("synthetic dataset: " + message);
        }
    }

    /** The demo dataset: 40 subjects × 2 repetitions × 3 views × 28 classes = 6,720 clips of 40–300 frames. */
    public static SynthConfig defaults() {
        return new SynthConfig(1, 40, 2, MAX_CLASSES, 1.0, 0.01, 40, 300);
    }

    /** A small set for tests and quick looks: 6 subjects (4 train, 2 test under xsub), 1 repetition, 504 clips. */
    public static SynthConfig small() {
        return new SynthConfig(1, 6, 1, MAX_CLASSES, 1.0, 0.01, 40, 300);
    }

    public SynthConfig withSeed(long s) {
        return new SynthConfig(s, subjects, repetitions, classes, noise, dropoutRate, minFrames, maxFrames);
    }

    public SynthConfig withSize(int subj, int reps) {
        return new SynthConfig(seed, subj, reps, classes, noise, dropoutRate, minFrames, maxFrames);
    }

    public SynthConfig withClasses(int k) {
        return new SynthConfig(seed, subjects, repetitions, k, noise, dropoutRate, minFrames, maxFrames);
    }

    public SynthConfig withNoise(double n, double dropouts) {
        return new SynthConfig(seed, subjects, repetitions, classes, n, dropouts, minFrames, maxFrames);
    }

    public SynthConfig withFrames(int min, int max) {
        return new SynthConfig(seed, subjects, repetitions, classes, noise, dropoutRate, min, max);
    }

    /** Number of clips. */
    public int size() {
        return subjects * repetitions * VIEWS * classes;
    }

    /** The options recorded in the dataset manifest. */
    public Map<String, Object> toOptions() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("generator", SyntheticGenerator.VERSION);
        m.put("seed", seed);
        m.put("subjects", subjects);
        m.put("repetitions", repetitions);
        m.put("views", VIEWS);
        m.put("classes", classes);
        m.put("samples", size());
        m.put("noise", noise);
        m.put("dropoutRate", dropoutRate);
        m.put("minFrames", minFrames);
        m.put("maxFrames", maxFrames);
        return m;
    }
}
