package io.skeletonssl.eval;

import io.skeletonssl.transforms.JointCorruption;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The labelled subset of a semi-supervised evaluation (issue 5, "eval semi"): a fraction of the
 * training split drawn from a seed. Unlike the official scripts (CMD's unseeded shuffle, MAMP's
 * subset fixed across its "repeats"), every repeat draws its own subset from its own seed.
 *
 * <p>Plain: {@code max(1, int(N·ratio))} indices uniformly without replacement (CMD's count).
 * Stratified: per class with n_c samples, {@code max(1, round(n_c·ratio))} of them, so that every
 * class present in the split is labelled at least once. Indices come back sorted.
 */
public final class LabelledSubset {

    /** Mixed into a protocol's seed for its {@code --val-fraction} hold-out, so it differs from its other draws. */
    public static final long HOLD_OUT_SALT = 0x5EEDFACEL;

    /** Checks a protocol's {@code --val-fraction}: 0 (no hold-out) or a fraction below 1. */
    public static void requireValFraction(double valFraction) {
        if (!(valFraction >= 0 && valFraction < 1)) {
            throw new IllegalArgumentException("--val-fraction must lie in [0, 1), got " + valFraction);
        }
    }

    private LabelledSubset() {
    }

    /** The seed of repeat {@code r} (0-based) of a run with seed {@code seed}. */
    public static long repeatSeed(long seed, int repeat) {
        return seed * 1_000_003L + repeat;
    }

    public static int[] draw(int[] labels, double ratio, long seed, boolean stratified) {
        if (!(ratio > 0 && ratio <= 1)) {
            throw new IllegalArgumentException("the labelled ratio must lie in (0, 1], got " + ratio);
        }
        if (labels.length == 0) {
            throw new IllegalArgumentException("the training split is empty: nothing to draw a labelled subset from");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int[] out;
        if (!stratified) {
            int n = Math.max(1, (int) (labels.length * ratio));
            out = chooseFrom(indicesOf(labels.length), n, rng);
        } else {
            List<int[]> perClass = byClass(labels);
            List<Integer> chosen = new ArrayList<>();
            for (int[] members : perClass) {
                if (members.length == 0) {
                    continue;
                }
                int n = Math.max(1, (int) Math.round(members.length * ratio));
                for (int i : chooseFrom(members, n, rng)) {
                    chosen.add(i);
                }
            }
            out = chosen.stream().mapToInt(Integer::intValue).toArray();
        }
        Arrays.sort(out);
        return out;
    }

    /** A training part and the held-out validation part of it, as sorted indices that together cover 0..n−1. */
    public record Holdout(int[] train, int[] val) {
    }

    /**
     * Holds out a seeded {@code fraction} in (0, 1) of {@code labels.length} items for model selection
     * (issue 5's {@code --val-fraction}): the validation part is {@link #draw} of the fraction (at least
     * one item, one per class when stratified), the training part the rest, which must not be empty.
     * {@code what} names the items in the error ("training clips", "training streams").
     */
    public static Holdout holdOut(int[] labels, double fraction, long seed, boolean stratified, String what) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("--val-fraction must lie in (0, 1), got " + fraction);
        }
        int[] val = draw(labels, fraction, seed, stratified);
        boolean[] held = new boolean[labels.length];
        for (int i : val) {
            held[i] = true;
        }
        int[] rest = java.util.stream.IntStream.range(0, labels.length).filter(i -> !held[i]).toArray();
        if (rest.length == 0) {
            throw new IllegalArgumentException("--val-fraction " + fraction + " holds out all " + labels.length + " "
                    + what + " (at least one" + (stratified ? " per class" : "")
                    + " must be held out and one kept for training)");
        }
        return new Holdout(rest, val);
    }

    /**
     * The classes (0..numClasses−1) with no sample in {@code subset}: a plain draw at a small ratio can
     * leave some out, which the caller reports (or refuses).
     */
    public static int[] missingClasses(int[] labels, int[] subset, int numClasses) {
        boolean[] seen = new boolean[numClasses];
        for (int i : subset) {
            int c = labels[i];
            if (c < 0 || c >= numClasses) {
                throw new IllegalArgumentException("sample " + i + " has label " + c + ", outside 0.." + (numClasses - 1));
            }
            seen[c] = true;
        }
        return java.util.stream.IntStream.range(0, numClasses).filter(c -> !seen[c]).toArray();
    }

    private static int[] indicesOf(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    private static List<int[]> byClass(int[] labels) {
        int classes = Arrays.stream(labels).max().orElse(-1) + 1;
        int[] counts = new int[classes];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException("sample " + i + " has no label (" + labels[i]
                        + "): a labelled subset needs labelled samples");
            }
            counts[labels[i]]++;
        }
        List<int[]> out = new ArrayList<>();
        int[] fill = new int[classes];
        for (int c = 0; c < classes; c++) {
            out.add(new int[counts[c]]);
        }
        for (int i = 0; i < labels.length; i++) {
            out.get(labels[i])[fill[labels[i]]++] = i;
        }
        return out;
    }

    /** n distinct members of {@code items}, uniformly (the shared distinct-choice helper). */
    private static int[] chooseFrom(int[] items, int n, SplittableRandom rng) {
        int[] picked = JointCorruption.chooseJoints(items.length, n, rng);
        for (int k = 0; k < n; k++) {
            picked[k] = items[picked[k]];
        }
        return picked;
    }
}
