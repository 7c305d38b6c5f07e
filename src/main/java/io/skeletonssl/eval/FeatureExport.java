package io.skeletonssl.eval;

import io.skeletonssl.io.AtomicFiles;
import io.skeletonssl.io.NpyWriter;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes features as NumPy files: {@code NAME.npy} (N, dim) float32 and, beside it,
 * {@code NAME.labels.npy} (N,) int32 with the clips' labels, each written atomically.
 */
public final class FeatureExport {

    private FeatureExport() {
    }

    /** The labels file that goes with a features file: {@code x.npy} → {@code x.labels.npy}. */
    public static Path labelsPath(Path features) {
        String name = features.getFileName().toString();
        String stem = name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
        return features.resolveSibling(stem + ".labels.npy");
    }

    /** Writes both files; returns the labels file. */
    public static Path write(Path features, Features f, int dim) throws IOException {
        Path labels = labelsPath(features);
        AtomicFiles.writeFile(labels, tmp -> {
            try (NpyWriter w = new NpyWriter(tmp, "<i4")) {
                for (int l : f.labels()) {
                    w.writeInt(l);
                }
            }
        });
        AtomicFiles.writeFile(features, tmp -> {
            try (NpyWriter w = new NpyWriter(tmp, "<f4", dim)) {
                for (float[] row : f.rows()) {
                    w.writeRow(row);
                }
            }
        });
        return labels;
    }
}
