package io.skeletonssl.models.pcm3;

import ai.djl.nn.Parameter;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Plain-Java GRU for tests: the PyTorch cell (rows [r; z; n]) in double precision, stepped frame by
 * frame, with named weights read from a {@link GruStack}'s parameters.
 */
final class GruReference {

    private GruReference() {
    }

    /** One direction over x[n][t][in]; {@code backward} runs from the last frame to the first. */
    static double[][][] direction(double[][][] x, Map<String, Parameter> p, String sfx, int hidden, boolean backward) {
        float[] wih = p.get("weight_ih" + sfx).getArray().toFloatArray();
        float[] whh = p.get("weight_hh" + sfx).getArray().toFloatArray();
        float[] bih = p.get("bias_ih" + sfx).getArray().toFloatArray();
        float[] bhh = p.get("bias_hh" + sfx).getArray().toFloatArray();
        int n = x.length;
        int t = x[0].length;
        int in = x[0][0].length;
        double[][][] y = new double[n][t][hidden];
        for (int b = 0; b < n; b++) {
            double[] h = new double[hidden];
            for (int k = 0; k < t; k++) {
                int step = backward ? t - 1 - k : k;
                double[] gi = affine(wih, bih, x[b][step], 3 * hidden, in);
                double[] gh = affine(whh, bhh, h, 3 * hidden, hidden);
                double[] next = new double[hidden];
                for (int j = 0; j < hidden; j++) {
                    double r = sigmoid(gi[j] + gh[j]);
                    double z = sigmoid(gi[hidden + j] + gh[hidden + j]);
                    double nn = Math.tanh(gi[2 * hidden + j] + r * gh[2 * hidden + j]);
                    next[j] = (1 - z) * nn + z * h[j];
                }
                h = next;
                y[b][step] = next;
            }
        }
        return y;
    }

    /**
     * A stack whose direction d of layer l is read under {@code _l<l>[_reverse]}; with {@code reverseBackward}
     * the second direction runs backward (true bidirectional), otherwise forward (the released step-wise code).
     */
    static double[][][] stack(double[][][] x, Map<String, Parameter> p, int layers, int directions, int hidden,
            boolean reverseBackward) {
        double[][][] h = x;
        for (int l = 0; l < layers; l++) {
            double[][][][] outs = new double[directions][][][];
            for (int d = 0; d < directions; d++) {
                String sfx = "_l" + l + (d == 1 ? "_reverse" : "");
                outs[d] = direction(h, p, sfx, hidden, d == 1 && reverseBackward);
            }
            h = concat(outs);
        }
        return h;
    }

    static double[][][] concat(double[][][][] parts) {
        int n = parts[0].length;
        int t = parts[0][0].length;
        int w = parts[0][0][0].length;
        double[][][] out = new double[n][t][w * parts.length];
        for (int b = 0; b < n; b++) {
            for (int k = 0; k < t; k++) {
                for (int d = 0; d < parts.length; d++) {
                    System.arraycopy(parts[d][b][k], 0, out[b][k], d * w, w);
                }
            }
        }
        return out;
    }

    /** W·v + b for W of shape (rows, cols) row-major. */
    static double[] affine(float[] w, float[] b, double[] v, int rows, int cols) {
        double[] out = new double[rows];
        for (int i = 0; i < rows; i++) {
            double s = b[i];
            for (int j = 0; j < cols; j++) {
                s += w[i * cols + j] * v[j];
            }
            out[i] = s;
        }
        return out;
    }

    /** The parameters under {@code prefix} ("gru."), with the prefix removed. */
    static Map<String, Parameter> under(Map<String, Parameter> all, String prefix) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    /** (N, T, D) row-major floats → x[n][t][d]. */
    static double[][][] nested(float[] flat, int n, int t, int d) {
        double[][][] out = new double[n][t][d];
        for (int b = 0; b < n; b++) {
            for (int k = 0; k < t; k++) {
                for (int j = 0; j < d; j++) {
                    out[b][k][j] = flat[(b * t + k) * d + j];
                }
            }
        }
        return out;
    }

    static double maxAbsDiff(double[][][] ref, float[] actual) {
        double m = 0;
        int i = 0;
        for (double[][] a : ref) {
            for (double[] row : a) {
                for (double v : row) {
                    m = Math.max(m, Math.abs(v - actual[i++]));
                }
            }
        }
        if (i != actual.length) {
            throw new AssertionError("size mismatch: reference " + i + " vs " + actual.length);
        }
        return m;
    }
}
