package io.skeletonssl.eval.motion;

import io.skeletonssl.dataset.DatasetWriter;
import io.skeletonssl.dataset.Sample;
import io.skeletonssl.dataset.SampleMeta;
import io.skeletonssl.layout.Layouts;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Small hand-made datasets (NTU-25 layout, T = 120, M = 2): clip i of a split has {@code valid[i]}
 * frames; clips listed in {@code twoPerson} have a second person. Joint (v, c) of person 1 at
 * frame t is {@code (v + 10c + 0.01·t)·unit}, so a pose is known exactly from (v, c, t).
 */
final class MotionTestData {

    static final int T = 120;
    static final int V = 25;
    static final int M = 2;

    private MotionTestData() {
    }

    static float value(int v, int c, int t) {
        return v + 10f * c + 0.01f * t;
    }

    static Path write(Path dir, int[] valid, List<Integer> twoPerson, Map<String, Object> source) throws IOException {
        DatasetWriter.Spec spec = new DatasetWriter.Spec("motion-test", Layouts.ntu25(), T, M, 2, List.of("a", "b"),
                source, Map.of());
        try (DatasetWriter w = new DatasetWriter(dir, spec, false)) {
            for (String split : List.of("train", "test")) {
                for (int i = 0; i < valid.length; i++) {
                    float[] d = new float[3 * T * V * M];
                    for (int c = 0; c < 3; c++) {
                        for (int t = 0; t < valid[i]; t++) {
                            for (int v = 0; v < V; v++) {
                                int base = ((c * T + t) * V + v) * M;
                                d[base] = value(v, c, t);
                                if (twoPerson.contains(i)) {
                                    d[base + 1] = 1f;
                                }
                            }
                        }
                    }
                    w.add(split, new Sample(d, T, V, M, valid[i], i % 2, SampleMeta.named(split + i, split)));
                }
            }
            w.commit();
        }
        return dir;
    }
}
