package io.skeletonssl.formats;

import io.skeletonssl.dataset.Sample;
import io.skeletonssl.formats.ntu.Pcm3PreNormalization;
import io.skeletonssl.layout.Layouts;
import io.skeletonssl.layout.SkeletonLayout;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class BodyFrameTest {

    static final SkeletonLayout NTU = Layouts.ntu25();
    static final int T = 5;
    static final int V = 25;
    static final int M = 2;
    static final int BASE = 0;
    static final int SPINE = 1;
    static final int LEFT = 4;
    static final int RIGHT = 8;

    static float at(float[] d, int c, int t, int v, int m) {
        return d[Sample.index(c, t, v, m, T, V, M)];
    }

    static void set(float[] d, int t, int v, int m, double[] p) {
        for (int c = 0; c < 3; c++) {
            d[Sample.index(c, t, v, m, T, V, M)] = (float) p[c];
        }
    }

    static double[] joint(float[] d, int t, int v, int m) {
        return new double[]{at(d, 0, t, v, m), at(d, 1, t, v, m), at(d, 2, t, v, m)};
    }

    static double[] minus(double[] a, double[] b) {
        return new double[]{a[0] - b[0], a[1] - b[1], a[2] - b[2]};
    }

    static double norm(double[] a) {
        return Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
    }

    static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    /** The cosine between a and the unit axis. */
    static double cosTo(double[] a, int axis) {
        return a[axis] / norm(a);
    }

    /** Random skeletons: every joint of both persons random, some absent; frame 0 of person 1 complete. */
    static float[] randomSkeleton(long seed) {
        Random r = new Random(seed);
        float[] d = new float[3 * T * V * M];
        for (int t = 0; t < T; t++) {
            for (int v = 0; v < V; v++) {
                for (int m = 0; m < M; m++) {
                    boolean absent = (t > 0 || m > 0) && r.nextInt(6) == 0;
                    if (!absent) {
                        set(d, t, v, m, new double[]{r.nextGaussian() - 0.5, r.nextGaussian() + 0.3,
                                r.nextGaussian() + 3});
                    }
                }
            }
        }
        return d;
    }

    /**
     * An upright body (spine along y, shoulders along x, perpendicular) turned by a random rotation and
     * moved to camera distance.
     */
    static float[] uprightBodySeenByACamera(long seed) {
        Random r = new Random(seed);
        double[] rot = BodyFrame.rotationOnto(new double[]{r.nextGaussian(), r.nextGaussian(), r.nextGaussian()}, 2);
        double[] shift = {r.nextGaussian(), r.nextGaussian(), 3 + r.nextDouble()};
        float[] d = new float[3 * T * V * M];
        for (int t = 0; t < T; t++) {
            for (int v = 0; v < V; v++) {
                for (int m = 0; m < M; m++) {
                    double[] p = {0.05 * r.nextGaussian(), 0.2 * r.nextGaussian(), 0.05 * r.nextGaussian()};
                    if (t == 0 && m == 0) {
                        p = switch (v) {
                            case BASE -> new double[]{0, 0, 0};
                            case SPINE -> new double[]{0, 0.3, 0};
                            case LEFT -> new double[]{-0.2, 0.5, 0};
                            case RIGHT -> new double[]{0.2, 0.5, 0};
                            default -> p;
                        };
                    }
                    double[] q = BodyFrame.times(rot, p);
                    set(d, t, v, m, new double[]{q[0] + shift[0], q[1] + shift[1], q[2] + shift[2]});
                }
            }
        }
        return d;
    }

    @Test
    void aBodyWithPerpendicularShouldersEndsWithTheSpineOnZAndTheShouldersOnX() {
        for (long seed = 0; seed < 20; seed++) {
            float[] out = BodyFrame.aligned(uprightBodySeenByACamera(seed), T, V, M, NTU);
            double[] spine = minus(joint(out, 0, SPINE, 0), joint(out, 0, BASE, 0));
            double[] shoulders = minus(joint(out, 0, RIGHT, 0), joint(out, 0, LEFT, 0));
            assertThat(cosTo(spine, 2)).as("spine ∥ +z, seed " + seed).isCloseTo(1.0, within(1e-5));
            assertThat(cosTo(shoulders, 0)).as("shoulders ∥ +x, seed " + seed).isCloseTo(1.0, within(1e-5));
            assertThat(joint(out, 0, SPINE, 0)).as("centred on SpineMid").containsExactly(0, 0, 0);
        }
    }

    @Property(tries = 100)
    void alignmentIsARotationOfTheCentredBodyThatPutsTheShouldersOnX(@ForAll @IntRange(min = 0, max = 100_000) int seed) {
        float[] d = randomSkeleton(seed);
        float[] out = BodyFrame.aligned(d, T, V, M, NTU);
        double[] shoulders = minus(joint(out, 0, RIGHT, 0), joint(out, 0, LEFT, 0));
        assertThat(cosTo(shoulders, 0)).isCloseTo(1.0, within(1e-5));
        // the angle between the spine and the shoulder bone is kept, so the spine lies on +z exactly when
        // the shoulders are perpendicular to it (the reference's two rotations)
        double[] spine0 = minus(joint(d, 0, SPINE, 0), joint(d, 0, BASE, 0));
        double[] shoulders0 = minus(joint(d, 0, RIGHT, 0), joint(d, 0, LEFT, 0));
        double[] spine = minus(joint(out, 0, SPINE, 0), joint(out, 0, BASE, 0));
        assertThat(dot(spine, shoulders) / norm(spine) / norm(shoulders))
                .isCloseTo(dot(spine0, shoulders0) / norm(spine0) / norm(shoulders0), within(1e-5));
        for (int t = 0; t < T; t++) {
            for (int m = 0; m < M; m++) {
                for (int v = 0; v < V; v++) {
                    boolean absent = norm(joint(d, t, v, m)) == 0;
                    assertThat(norm(joint(out, t, v, m)) == 0).as("absent stays absent, present stays present")
                            .isEqualTo(absent || (t == 0 && m == 0 && v == NTU.center()));
                    // every distance between present joints (of any frames and persons) is kept
                    int w = (v * 7 + t) % V;
                    if (!absent && norm(joint(d, T - 1 - t, w, 1 - m)) > 0) {
                        double before = norm(minus(joint(d, t, v, m), joint(d, T - 1 - t, w, 1 - m)));
                        double after = norm(minus(joint(out, t, v, m), joint(out, T - 1 - t, w, 1 - m)));
                        assertThat(after).isCloseTo(before, within(1e-5 * Math.max(1, before)));
                    }
                }
            }
        }
    }

    @Property(tries = 50)
    void eachRotationIsPcm3sRodriguesMatrix(@ForAll @IntRange(min = 0, max = 100_000) int seed) {
        Random r = new Random(seed);
        float[] v = {(float) r.nextGaussian(), (float) r.nextGaussian(), (float) r.nextGaussian()};
        for (int axis : new int[]{0, 2}) {
            double[] mine = BodyFrame.rotationOnto(new double[]{v[0], v[1], v[2]}, axis);
            double[] reference = Pcm3PreNormalization.alignmentMatrix(v, axis);
            for (int i = 0; i < 9; i++) {
                assertThat(mine[i]).isCloseTo(reference[i], within(1e-6));
            }
            double[] moved = BodyFrame.times(mine, new double[]{v[0], v[1], v[2]});
            assertThat(cosTo(moved, axis)).isCloseTo(1.0, within(1e-12));
        }
    }

    @Test
    void degenerateBonesTurnByHalfATurnOrNotAtAll() {
        double[] away = BodyFrame.times(BodyFrame.rotationOnto(new double[]{0, 0, -2}, 2), new double[]{0, 0, -2});
        assertThat(away).containsExactly(new double[]{0, 0, 2}, within(1e-12));
        double[] awayX = BodyFrame.times(BodyFrame.rotationOnto(new double[]{-1, 0, 0}, 0), new double[]{-1, 0, 0});
        assertThat(awayX).containsExactly(new double[]{1, 0, 0}, within(1e-12));
        assertThat(BodyFrame.rotationOnto(new double[]{0, 0, 3}, 2)).containsExactly(1, 0, 0, 0, 1, 0, 0, 0, 1);
        assertThat(BodyFrame.rotationOnto(new double[]{0, 0, 0}, 0)).containsExactly(1, 0, 0, 0, 1, 0, 0, 0, 1);
    }

    @Test
    void theAlignmentFrameIsTheFirstWithTheFourJoints() {
        float[] d = uprightBodySeenByACamera(3);
        float[] late = new float[d.length];
        // frame 0 loses its left shoulder: the alignment comes from frame 1, which holds frame 0's body
        for (int t = 1; t < T; t++) {
            for (int v = 0; v < V; v++) {
                for (int m = 0; m < M; m++) {
                    set(late, t, v, m, joint(d, t - 1, v, m));
                }
            }
        }
        for (int v = 0; v < V; v++) {
            set(late, 0, v, 0, joint(d, 4, v, 0));
        }
        set(late, 0, LEFT, 0, new double[]{0, 0, 0});
        double[] expected = BodyFrame.alignment(d, T, V, M, NTU.alignment());
        double[] found = BodyFrame.alignment(late, T, V, M, NTU.alignment());
        assertThat(found).containsExactly(expected, within(1e-12));
        float[] none = new float[d.length];
        assertThat(BodyFrame.alignment(none, T, V, M, NTU.alignment())).isNull();
        assertThat(BodyFrame.aligned(none, T, V, M, NTU)).containsOnly(0f);
    }

    @Test
    void scalingDividesByTheMeanTorsoLengthAndKeepsZeros() {
        float[] d = randomSkeleton(11);
        int[] torso = NTU.alignment().torso();
        assertThat(torso).containsExactly(0, 20); // SpineBase - SpineShoulder
        double length = BodyFrame.meanBoneLength(d, T, V, M, torso);
        double sum = 0;
        int n = 0;
        for (int t = 0; t < T; t++) {
            double[] a = joint(d, t, torso[0], 0);
            double[] b = joint(d, t, torso[1], 0);
            if (norm(a) > 0 && norm(b) > 0) {
                sum += norm(minus(a, b));
                n++;
            }
        }
        assertThat(length).isCloseTo(sum / n, within(1e-9));
        float[] out = BodyFrame.scaled(d, T, V, M, torso);
        assertThat(BodyFrame.meanBoneLength(out, T, V, M, torso)).isCloseTo(1.0, within(1e-5));
        for (int i = 0; i < d.length; i++) {
            assertThat(out[i]).isCloseTo((float) (d[i] / length), within(1e-6f));
            if (d[i] == 0f) {
                assertThat(out[i]).isZero();
            }
        }
        float[] noTorso = new float[d.length];
        assertThat(BodyFrame.scaled(noTorso, T, V, M, torso)).containsOnly(0f);
    }

    @Test
    void alignmentNeedsTheLayoutsJoints() {
        SkeletonLayout bare = new SkeletonLayout("bare", java.util.Collections.nCopies(V, "j"), null, null, 0, null);
        assertThatThrownBy(() -> BodyFrame.aligned(randomSkeleton(1), T, V, M, bare))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--normalize align needs the layout's alignment joints")
                .hasMessageContaining("layout 'bare' has none").hasMessageContaining("alignment:");
    }
}
