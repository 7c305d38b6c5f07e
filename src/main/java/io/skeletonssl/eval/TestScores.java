package io.skeletonssl.eval;

import io.skeletonssl.io.MappedNpy;
import io.skeletonssl.io.NpyWriter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A classifier's final-epoch outputs on the test clips, saved next to its metrics so that runs on
 * different input streams can be fused afterwards ({@code eval ensemble}), as the field's ensemble
 * scripts do with their score pickles: {@code test_scores.npy} (N, C) float32 raw class scores
 * (logits, before softmax), {@code test_labels.npy} (N) int32, {@code test_names.txt} one clip
 * name per line, in the same order.
 */
public record TestScores(float[][] scores, int[] labels, List<String> names) {

    public static final String SCORES = "test_scores.npy";
    public static final String LABELS = "test_labels.npy";
    public static final String NAMES = "test_names.txt";

    public TestScores {
        Objects.requireNonNull(scores, "scores");
        names = List.copyOf(names);
        if (scores.length != labels.length || names.size() != labels.length) {
            throw new IllegalArgumentException(scores.length + " score rows, " + labels.length + " labels and "
                    + names.size() + " names: they must match");
        }
        for (int i = 1; i < scores.length; i++) {
            if (scores[i].length != scores[0].length) {
                throw new IllegalArgumentException("score row " + i + " has " + scores[i].length
                        + " classes, row 0 has " + scores[0].length);
            }
        }
    }

    public int size() {
        return labels.length;
    }

    public int classes() {
        return scores.length == 0 ? 0 : scores[0].length;
    }

    /** Writes the three files into {@code dir} (a folder being built; callers commit it atomically). */
    public void write(Path dir) throws IOException {
        try (NpyWriter w = new NpyWriter(dir.resolve(SCORES), "<f4", classes())) {
            for (float[] row : scores) {
                w.writeRow(row);
            }
        }
        try (NpyWriter w = new NpyWriter(dir.resolve(LABELS), "<i4")) {
            for (int l : labels) {
                w.writeInt(l);
            }
        }
        Files.write(dir.resolve(NAMES), names, StandardCharsets.UTF_8);
    }

    /** Reads what {@link #write} wrote; names the file that is missing or inconsistent. */
    public static TestScores read(Path dir) throws IOException {
        for (String f : List.of(SCORES, LABELS, NAMES)) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new IllegalArgumentException(dir + ": no " + f + " (an eval output folder written by "
                        + "a classification protocol holds test_scores.npy, test_labels.npy and test_names.txt)");
            }
        }
        float[][] scores;
        try (MappedNpy s = new MappedNpy(dir.resolve(SCORES))) {
            scores = new float[Math.toIntExact(s.rows())][];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = s.readFloats(i);
            }
        }
        int[] labels;
        try (MappedNpy l = new MappedNpy(dir.resolve(LABELS))) {
            labels = l.readAllInts();
        }
        List<String> names = Files.readAllLines(dir.resolve(NAMES), StandardCharsets.UTF_8);
        try {
            return new TestScores(scores, labels, names);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(dir + ": " + e.getMessage(), e);
        }
    }

    /** Top-1 accuracy in percent. */
    public double top1() {
        long correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (argmax(scores[i]) == labels[i]) {
                correct++;
            }
        }
        return labels.length == 0 ? 0 : 100.0 * correct / labels.length;
    }

    static int argmax(float[] row) {
        int best = 0;
        for (int k = 1; k < row.length; k++) {
            if (row[k] > row[best]) {
                best = k;
            }
        }
        return best;
    }
}
