package io.skeletonssl.eval;

import java.util.List;
import java.util.Locale;

/**
 * Score-level fusion of classifiers run on the same test clips (e.g. joint, bone and motion
 * streams): the fused score of clip i and class c is Σ_s w_s · f(score_s[i][c]), where f is the
 * identity ({@link Mode#LOGITS}, the convention of the field's ensemble scripts, which add the saved
 * raw scores) or the softmax over the clip's classes ({@link Mode#SOFTMAX}, which puts every stream
 * on the same probability scale). Weights need not sum to one: only the ranking of the fused scores counts.
 */
public final class ScoreFusion {

    public enum Mode { LOGITS, SOFTMAX }

    private ScoreFusion() {
    }

    /**
     * Fuses {@code members} (named by {@code sources} in errors); they must hold the same clips (names)
     * with the same labels in the same order and the same class count.
     */
    public static TestScores fuse(List<TestScores> members, List<String> sources, double[] weights, Mode mode) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("nothing to fuse");
        }
        if (weights.length != members.size()) {
            throw new IllegalArgumentException(weights.length + " weights for " + members.size()
                    + " score sets: give one weight per stream");
        }
        for (double w : weights) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("weights must be finite and >= 0, got " + w);
            }
        }
        if (java.util.Arrays.stream(weights).sum() <= 0) {
            throw new IllegalArgumentException("at least one weight must be > 0, got " + java.util.Arrays.toString(weights));
        }
        TestScores first = members.get(0);
        for (int s = 1; s < members.size(); s++) {
            requireSameClips(first, sources.get(0), members.get(s), sources.get(s));
        }
        int n = first.size();
        int classes = first.classes();
        float[][] fused = new float[n][classes];
        for (int s = 0; s < members.size(); s++) {
            float[][] scores = members.get(s).scores();
            for (int i = 0; i < n; i++) {
                double[] row = mode == Mode.SOFTMAX ? softmax(scores[i]) : toDouble(scores[i]);
                for (int c = 0; c < classes; c++) {
                    fused[i][c] += (float) (weights[s] * row[c]);
                }
            }
        }
        return new TestScores(fused, first.labels(), first.names());
    }

    static void requireSameClips(TestScores a, String aSource, TestScores b, String bSource) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException(bSource + ": " + b.size() + " test clips, but " + aSource + " has "
                    + a.size() + ": the score sets must cover the same test clips");
        }
        if (a.classes() != b.classes()) {
            throw new IllegalArgumentException(bSource + ": " + b.classes() + " classes, but " + aSource + " has "
                    + a.classes());
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.names().get(i).equals(b.names().get(i))) {
                throw new IllegalArgumentException(bSource + ": test clip " + i + " is '" + b.names().get(i)
                        + "', but in " + aSource + " it is '" + a.names().get(i) + "' (the score sets must list the "
                        + "same clips in the same order: same dataset and test split)");
            }
            if (a.labels()[i] != b.labels()[i]) {
                throw new IllegalArgumentException(bSource + ": test clip " + i + " ('" + b.names().get(i)
                        + "') has label " + b.labels()[i] + ", but " + a.labels()[i] + " in " + aSource);
            }
        }
    }

    /** Numerically stable softmax of one row. */
    static double[] softmax(float[] row) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : row) {
            max = Math.max(max, v);
        }
        double[] out = new double[row.length];
        double sum = 0;
        for (int c = 0; c < row.length; c++) {
            out[c] = Math.exp(row[c] - max);
            sum += out[c];
        }
        for (int c = 0; c < row.length; c++) {
            out[c] /= sum;
        }
        return out;
    }

    private static double[] toDouble(float[] row) {
        double[] out = new double[row.length];
        for (int c = 0; c < row.length; c++) {
            out[c] = row[c];
        }
        return out;
    }

    /** Top-k accuracy (percent) of a score set, ties ranked as {@link Accuracy} ranks them. */
    public static double topK(TestScores s, int k) {
        if (s.size() == 0) {
            return 0;
        }
        int classes = s.classes();
        float[] flat = new float[s.size() * classes];
        for (int i = 0; i < s.size(); i++) {
            System.arraycopy(s.scores()[i], 0, flat, i * classes, classes);
        }
        return 100.0 * Accuracy.correct(flat, classes, s.labels(), Math.min(k, classes)) / s.size();
    }

    /** Parses "1,0.5,1" into weights. */
    public static double[] parseWeights(String text) {
        String[] parts = text.split(",");
        double[] w = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                w[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--weights: '" + parts[i].trim() + "' is not a number (expected e.g. 1,1,1)");
            }
        }
        return w;
    }

    public static Mode mode(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "logits" -> Mode.LOGITS;
            case "softmax" -> Mode.SOFTMAX;
            default -> throw new IllegalArgumentException("--fuse must be logits or softmax, got '" + text + "'");
        };
    }
}
