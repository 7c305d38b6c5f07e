package io.skeletonssl.formats.ntu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Builds small synthetic {@code .skeleton} texts for tests. */
final class NtuFixture {

    /** A standing Kinect v2 body around SpineBase = origin: x range 0.74, y range 1.65, z range 0.1. */
    static final double[][] POSE = {
            {0, 0, 0}, {0, 0.3, 0}, {0, 0.55, 0}, {0, 0.7, 0},
            {-0.2, 0.5, 0}, {-0.3, 0.25, 0}, {-0.35, 0.05, 0}, {-0.36, -0.02, 0},
            {0.2, 0.5, 0}, {0.3, 0.25, 0}, {0.35, 0.05, 0}, {0.36, -0.02, 0},
            {-0.1, -0.05, 0}, {-0.12, -0.5, 0}, {-0.12, -0.9, 0}, {-0.12, -0.95, 0.1},
            {0.1, -0.05, 0}, {0.12, -0.5, 0}, {0.12, -0.9, 0}, {0.12, -0.95, 0.1},
            {0, 0.48, 0}, {-0.37, -0.1, 0}, {-0.33, -0.03, 0.02}, {0.37, -0.1, 0}, {0.33, -0.03, 0.02}};

    record Body(String id, double[][] joints) {
    }

    private final List<List<Body>> frames = new ArrayList<>();

    NtuFixture frame(Body... bodies) {
        frames.add(List.of(bodies));
        return this;
    }

    NtuFixture emptyFrame() {
        frames.add(List.of());
        return this;
    }

    int frames() {
        return frames.size();
    }

    /** The standard pose translated by (dx, dy, 3 + dz): depth 3 m like a Kinect recording. */
    static double[][] pose(double dx, double dy, double dz) {
        double[][] p = new double[25][3];
        for (int j = 0; j < 25; j++) {
            p[j][0] = POSE[j][0] + dx;
            p[j][1] = POSE[j][1] + dy;
            p[j][2] = POSE[j][2] + 3 + dz;
        }
        return p;
    }

    /** The standard pose lying sideways (x and y swapped): x range &gt; 0.8 · y range. */
    static double[][] wide(double dx, double dy) {
        double[][] p = pose(dx, dy, 0);
        for (double[] j : p) {
            double t = j[0];
            j[0] = j[1];
            j[1] = t;
        }
        return p;
    }

    static Body body(String id, double[][] joints) {
        return new Body(id, joints);
    }

    String text(String eol) {
        StringBuilder sb = new StringBuilder();
        sb.append(frames.size()).append(eol);
        for (List<Body> f : frames) {
            sb.append(f.size()).append(eol);
            for (Body b : f) {
                sb.append(b.id()).append(" 0 1 1 1 1 0 0.01119184 -0.256052 2").append(eol);
                sb.append(b.joints().length).append(eol);
                for (double[] j : b.joints()) {
                    sb.append(j[0]).append(' ').append(j[1]).append(' ').append(j[2])
                            .append(" 336.5812 192.8021 1184.537 489.4118 -0.2218947 0.03421978 0.968875 -0.1042736 2")
                            .append(eol);
                }
            }
        }
        return sb.toString();
    }

    byte[] bytes(String eol) {
        return text(eol).getBytes(StandardCharsets.US_ASCII);
    }

    NtuSkeletonFile parse(String source) throws NtuFormatException {
        return NtuSkeletonFile.parse(bytes("\n"), source);
    }

    Path write(Path dir, String fileName, String eol) throws IOException {
        return Files.write(dir.resolve(fileName), bytes(eol));
    }

    /** Every line of the text, for tests that corrupt one. */
    List<String> lines() {
        return new ArrayList<>(Arrays.asList(text("\n").split("\n")));
    }

    static double[][] copy(double[][] p) {
        double[][] c = new double[p.length][];
        for (int i = 0; i < p.length; i++) {
            c[i] = p[i].clone();
        }
        return c;
    }
}
