package io.skeletonssl.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.PairList;
import io.skeletonssl.engine.Engines;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.skeletonssl.training.OptimizerTest.param;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GradientClippingTest {

    /** Parameters of the given shapes whose gradients are {@code grads} (row-major per parameter). */
    private static PairList<String, Parameter> withGradients(NDManager m, List<float[]> grads, List<Shape> shapes) {
        PairList<String, Parameter> params = new PairList<>();
        for (int i = 0; i < grads.size(); i++) {
            params.add("p" + i, param(m, "p" + i, m.zeros(shapes.get(i))));
        }
        // loss = Σ_i <g_i, p_i>: its gradient with respect to p_i is g_i
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.zeroGradients();
            NDArray loss = null;
            for (int i = 0; i < grads.size(); i++) {
                NDArray term = params.get(i).getValue().getArray().mul(m.create(grads.get(i), shapes.get(i))).sum();
                loss = loss == null ? term : loss.add(term);
            }
            gc.backward(loss);
        }
        return params;
    }

    private static double norm(List<float[]> grads) {
        double sq = 0;
        for (float[] g : grads) {
            for (float v : g) {
                sq += (double) v * v;
            }
        }
        return Math.sqrt(sq);
    }

    private static List<float[]> gradientsOf(PairList<String, Parameter> params) {
        List<float[]> out = new ArrayList<>();
        params.values().forEach(p -> out.add(p.getArray().getGradient().toFloatArray()));
        return out;
    }

    @Test
    void aNormAboveTheLimitIsScaledToItAndOneBelowIsLeftAlone() {
        try (NDManager m = Engines.cpu().newManager()) {
            // global norm sqrt(3² + 4² + 12²) = 13 over two parameters
            List<float[]> g = List.of(new float[] {3f, 4f}, new float[] {12f});
            PairList<String, Parameter> p = withGradients(m, g, List.of(new Shape(2), new Shape(1)));
            GradientClipping.Clip c = GradientClipping.clip(p.values(), 6.5);
            assertThat(c.norm()).isCloseTo(13.0, within(1e-6));
            assertThat(c.clipped()).isTrue();
            assertThat(norm(gradientsOf(p))).isCloseTo(6.5, within(1e-5));
            assertThat(gradientsOf(p).get(0)).containsExactly(new float[] {1.5f, 2f}, org.assertj.core.data.Offset.offset(1e-5f));
            assertThat(gradientsOf(p).get(1)[0]).isCloseTo(6f, within(1e-5f));

            PairList<String, Parameter> q = withGradients(m, g, List.of(new Shape(2), new Shape(1)));
            GradientClipping.Clip below = GradientClipping.clip(q.values(), 13.5);
            assertThat(below.clipped()).isFalse();
            assertThat(below.norm()).isCloseTo(13.0, within(1e-6));
            assertThat(gradientsOf(q).get(0)).containsExactly(3f, 4f);
            assertThat(gradientsOf(q).get(1)).containsExactly(12f);

            GradientClipping.Clip off = GradientClipping.clip(q.values(), 0);
            assertThat(off.clipped()).as("max norm 0 only measures").isFalse();
            assertThat(gradientsOf(q).get(1)).containsExactly(12f);
        }
    }

    @Test
    void aNonFiniteGradientGivesANonFiniteNormAndIsNotScaled() {
        try (NDManager m = Engines.cpu().newManager()) {
            PairList<String, Parameter> p = withGradients(m, List.of(new float[] {1f, Float.NaN}, new float[] {100f}),
                    List.of(new Shape(2), new Shape(1)));
            GradientClipping.Clip c = GradientClipping.clip(p.values(), 1);
            assertThat(c.finite()).isFalse();
            assertThat(c.clipped()).isFalse();
            assertThat(gradientsOf(p).get(1)).containsExactly(100f);
            PairList<String, Parameter> inf = withGradients(m, List.of(new float[] {Float.POSITIVE_INFINITY}),
                    List.of(new Shape(1)));
            assertThat(GradientClipping.clip(inf.values(), 1).norm()).isInfinite();
        }
    }

    @Property(tries = 60)
    void afterClippingTheNormIsTheSmallerOfNormAndLimitAndTheDirectionIsKept(
            @ForAll @IntRange(min = 1, max = 5) int count, @ForAll long seed,
            @ForAll @DoubleRange(min = 0.01, max = 50) double maxNorm) {
        Random r = new Random(seed);
        List<float[]> g = new ArrayList<>();
        List<Shape> shapes = new ArrayList<>();
        double scale = Math.exp(r.nextGaussian() * 2); // norms from well below to well above the limit
        for (int i = 0; i < count; i++) {
            int rows = 1 + r.nextInt(4);
            int cols = 1 + r.nextInt(7);
            float[] v = new float[rows * cols];
            for (int k = 0; k < v.length; k++) {
                v[k] = (float) (r.nextGaussian() * scale);
            }
            g.add(v);
            shapes.add(new Shape(rows, cols));
        }
        double before = norm(g);
        try (NDManager m = Engines.cpu().newManager()) {
            PairList<String, Parameter> p = withGradients(m, g, shapes);
            GradientClipping.Clip c = GradientClipping.clip(p.values(), maxNorm);
            assertThat(c.norm()).isCloseTo(before, within(1e-5 * before + 1e-12));
            assertThat(c.clipped()).isEqualTo(before > maxNorm);
            List<float[]> after = gradientsOf(p);
            // torch's factor maxNorm / (norm + 1e-6): the clipped norm is maxNorm to within that 1e-6
            double factor = c.clipped() ? maxNorm / (c.norm() + GradientClipping.EPS) : 1;
            double expected = Math.min(before, maxNorm);
            assertThat(norm(after)).isCloseTo(expected, within(1e-5 * expected + 1.01e-6 * factor));
            assertThat(norm(after)).isLessThanOrEqualTo(Math.max(maxNorm, before) * (1 + 1e-6));
            for (int i = 0; i < count; i++) {
                for (int k = 0; k < g.get(i).length; k++) {
                    assertThat((double) after.get(i)[k]).isCloseTo(g.get(i)[k] * factor,
                            within(1e-6 * Math.abs(g.get(i)[k] * factor) + 1e-30));
                }
            }
        }
    }
}
