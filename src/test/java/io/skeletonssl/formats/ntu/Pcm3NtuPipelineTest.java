package io.skeletonssl.formats.ntu;

import io.skeletonssl.dataset.BadSampleException;
import io.skeletonssl.dataset.Sample;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static io.skeletonssl.formats.ntu.NtuFixture.body;
import static io.skeletonssl.formats.ntu.NtuFixture.pose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class Pcm3NtuPipelineTest {

    static final int ALIGNMENT_TRIES = 300;

    private static final String NAME = "S001C001P001R001A001.skeleton";

    // ---------------------------------------------------------------- reading and body selection

    @Test
    void slotsFollowTheOrderWithinEachFrameNotTheBodyId() throws Exception {
        NtuFixture fx = new NtuFixture()
                .frame(body("A", pose(0, 0, 0)), body("B", pose(1, 0, 0)))
                .frame(body("B", pose(1, 0, 0)), body("A", pose(0, 0, 0)))
                .emptyFrame()
                .frame(body("1", pose(2, 0, 0)), body("2", pose(3, 0, 0)), body("3", pose(4, 0, 0)),
                        body("4", pose(5, 0, 0)), body("5", pose(6, 0, 0)));
        double[][] slots = Pcm3NtuPipeline.slots(fx.parse(NAME));
        assertThat(slots).hasNumberOfRows(4);
        assertThat(slots[0][0]).isEqualTo(pose(0, 0, 0)[0][0]);
        assertThat(slots[0][75]).isEqualTo(pose(1, 0, 0)[0][0]);
        assertThat(slots[1][75]).isEqualTo(pose(0, 0, 0)[0][0]);
        assertThat(slots[0][150 + 2]).isZero();
        assertThat(slots[3][3 * 75]).isEqualTo(pose(5, 0, 0)[0][0]); // the 5th body is not read
    }

    /** Population standard deviation, written out independently of the pipeline. */
    private static double std(double[] values) {
        double mean = java.util.Arrays.stream(values).average().orElseThrow();
        return Math.sqrt(java.util.Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / values.length);
    }

    @Test
    void energyIsTheSumOfPopulationStdsOverNonZeroFrames() {
        Random rnd = new Random(3);
        int frames = 6;
        double[] slot = new double[frames * 75];
        for (int t = 0; t < frames; t++) {
            if (t == 2 || t == 5) {
                continue; // empty frames do not count
            }
            for (int i = 0; i < 75; i++) {
                slot[t * 75 + i] = rnd.nextGaussian();
            }
        }
        double expected = 0;
        for (int c = 0; c < 3; c++) {
            double[] values = new double[4 * 25];
            int n = 0;
            for (int t : new int[]{0, 1, 3, 4}) {
                for (int v = 0; v < 25; v++) {
                    values[n++] = slot[t * 75 + v * 3 + c];
                }
            }
            expected += std(values);
        }
        assertThat(Pcm3NtuPipeline.energy(slot, frames)).isCloseTo(expected, within(1e-12));
        assertThat(Pcm3NtuPipeline.energy(new double[frames * 75], frames)).isZero();
    }

    @Test
    void keepsTheTwoMostEnergeticSlotsInDescendingOrder() {
        int frames = 3;
        double[][] slots = new double[4][frames * 75];
        double[] scale = {0.1, 0.0, 3.0, 1.0};
        Random rnd = new Random(5);
        for (int k = 0; k < 4; k++) {
            for (int i = 0; i < frames * 75; i++) {
                slots[k][i] = scale[k] * rnd.nextGaussian();
            }
        }
        assertThat(Pcm3NtuPipeline.selectByEnergy(slots, frames)).containsExactly(2, 3);
        // ties (here: all empty but slot 0) come out highest slot first, as numpy's reversed stable argsort
        double[][] single = new double[4][frames * 75];
        single[0] = slots[0];
        assertThat(Pcm3NtuPipeline.selectByEnergy(single, frames)).containsExactly(0, 3);
    }

    @Test
    void secondBodyWithMoreEnergyBecomesPersonZero() throws Exception {
        NtuFixture fx = new NtuFixture();
        for (int f = 0; f < 10; f++) {
            fx.frame(body("still", pose(0, 0, 0)), body("mover", pose(0.1 * f, 0, 0.05 * f)));
        }
        Sample s = new Pcm3NtuPipeline(20).process(fx.parse(NAME));
        // person 0 is centred on itself: its SpineMid is 0 in every frame; person 1 is the still body
        for (int t = 0; t < 20; t++) {
            for (int c = 0; c < 3; c++) {
                assertThat(Math.abs(s.get(c, t, 1, 0))).isZero();
            }
        }
        // the still body's SpineBase relative to the mover's SpineMid changes from frame to frame
        assertThat(s.get(0, 9, 0, 1)).isNotCloseTo(s.get(0, 0, 0, 1), within(0.1f));
    }

    // ---------------------------------------------------------------- step 1: compaction + loop padding

    /** (M=1, T, V=1) sample whose frame t holds (v, v, v), v = values[t]. */
    private static float[] oneJoint(float... values) {
        float[] s = new float[values.length * 3];
        for (int t = 0; t < values.length; t++) {
            s[t * 3] = values[t];
            s[t * 3 + 1] = values[t];
            s[t * 3 + 2] = values[t];
        }
        return s;
    }

    private static float[] firstCoord(float[] s) {
        float[] out = new float[s.length / 3];
        for (int i = 0; i < out.length; i++) {
            out[i] = s[i * 3];
        }
        return out;
    }

    @Test
    void padsByLoopingTheFramesBeforeTheTrailingEmptyOnes() {
        float[] s = oneJoint(1, 2, 3, 0, 0, 0, 0, 0);
        Pcm3PreNormalization.padByLooping(s, 1, 8, 1);
        assertThat(firstCoord(s)).containsExactly(1, 2, 3, 1, 2, 3, 1, 2);
    }

    @Test
    void compactsOnlyWhenFrameZeroIsEmptyAndKeepsInteriorGapsOtherwise() {
        float[] leading = oneJoint(0, 0, 1, 2, 0, 3, 0, 0);
        Pcm3PreNormalization.padByLooping(leading, 1, 8, 1);
        assertThat(firstCoord(leading)).containsExactly(1, 2, 3, 1, 2, 3, 1, 2);
        float[] interior = oneJoint(1, 2, 0, 3, 0, 0, 0, 0);
        Pcm3PreNormalization.padByLooping(interior, 1, 8, 1);
        assertThat(firstCoord(interior)).containsExactly(1, 2, 0, 3, 1, 2, 0, 3);
        float[] full = oneJoint(1, 2, 3);
        Pcm3PreNormalization.padByLooping(full, 1, 3, 1);
        assertThat(firstCoord(full)).containsExactly(1, 2, 3);
    }

    @Test
    void eachPersonIsPaddedWithItsOwnPeriodAndEmptyPersonsStayEmpty() {
        float[] s = new float[3 * 6 * 3];
        float[] p0 = oneJoint(1, 2, 0, 0, 0, 0);
        float[] p1 = oneJoint(0, 5, 6, 7, 0, 0);
        System.arraycopy(p0, 0, s, 0, 18);
        System.arraycopy(p1, 0, s, 18, 18);
        Pcm3PreNormalization.padByLooping(s, 3, 6, 1);
        assertThat(firstCoord(java.util.Arrays.copyOfRange(s, 0, 18))).containsExactly(1, 2, 1, 2, 1, 2);
        assertThat(firstCoord(java.util.Arrays.copyOfRange(s, 18, 36))).containsExactly(5, 6, 7, 5, 6, 7);
        assertThat(firstCoord(java.util.Arrays.copyOfRange(s, 36, 54))).containsOnly(0f);
    }

    // ---------------------------------------------------------------- step 2: centring with mask

    @Test
    void centresOnPersonZerosSpineMidPerFrameAndKeepsZeroJointsZero() {
        int t = 2;
        int v = 3;
        float[] s = new float[2 * t * v * 3];
        // person 0, frame 0: joints (1,1,1) (2,3,4) (0,0,0); frame 1: (5,5,5) (6,7,8) (9,9,9)
        float[][] p0 = {{1, 1, 1}, {2, 3, 4}, {0, 0, 0}, {5, 5, 5}, {6, 7, 8}, {9, 9, 9}};
        // person 1, frame 0: (10,10,10) (0.5,-0.5,0) (0,0,0); frame 1: empty
        float[][] p1 = {{10, 10, 10}, {0.5f, -0.5f, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}};
        for (int i = 0; i < 6; i++) {
            System.arraycopy(p0[i], 0, s, i * 3, 3);
            System.arraycopy(p1[i], 0, s, 18 + i * 3, 3);
        }
        Pcm3PreNormalization.centre(s, 2, t, v, 1);
        // masked joints come out as -0.0 where x − centre is negative, exactly like numpy's (x − c) · False
        assertThat(Float.floatToRawIntBits(s[2 * 3])).isEqualTo(Float.floatToRawIntBits(-0.0f));
        for (int i = 0; i < s.length; i++) {
            s[i] += 0.0f; // -0.0 + 0.0 = +0.0, for the comparisons below
        }
        assertThat(java.util.Arrays.copyOfRange(s, 0, 18)).containsExactly(
                -1, -2, -3, 0, 0, 0, 0, 0, 0,
                -1, -2, -3, 0, 0, 0, 3, 2, 1);
        // person 1 moves by person 0's centre (2,3,4); a joint whose x+y+z is 0 is masked like a missing one
        assertThat(java.util.Arrays.copyOfRange(s, 18, 36)).containsExactly(
                8, 7, 6, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    // ---------------------------------------------------------------- steps 3 and 4: rotations

    @Test
    void rotationMatrixIsTheIdentityForTinyAxesOrAngles() {
        double[] id = {1, 0, 0, 0, 1, 0, 0, 0, 1};
        assertThat(Pcm3PreNormalization.rotationMatrix(new double[]{3e-7, 3e-7, 3e-7}, 1.0)).containsExactly(id);
        assertThat(Pcm3PreNormalization.rotationMatrix(new double[]{0, 1, 0}, 9e-7)).containsExactly(id);
        assertThat(Pcm3PreNormalization.rotationMatrix(new double[]{0, 1, 0}, 2e-6)).isNotEqualTo(id);
        assertThat(Pcm3PreNormalization.angleBetween(new float[]{3e-7f, 3e-7f, 3e-7f}, 2)).isZero();
        // anti-parallel to the target: the cross product is 0, so no rotation at all (the reference does not flip)
        assertThat(Pcm3PreNormalization.alignmentMatrix(new float[]{0, 0, -0.5f}, 2)).containsExactly(id);
        assertThat(Pcm3PreNormalization.alignmentMatrix(new float[]{0, 0, 0.5f}, 2)).containsExactly(id);
        assertThat(Pcm3PreNormalization.angleBetween(new float[]{0, 0, -0.5f}, 2)).isEqualTo(Math.PI);
    }

    @Property(tries = 200)
    void rotationMatrixEqualsRodriguesFormula(@ForAll long seed) {
        Random r = new Random(seed);
        double[] axis = {r.nextGaussian(), r.nextGaussian(), r.nextGaussian()};
        double theta = r.nextDouble() * Math.PI;
        double n = Math.sqrt(axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2]);
        Assume.that(Math.abs(axis[0]) + Math.abs(axis[1]) + Math.abs(axis[2]) > 1e-3 && theta > 1e-5);
        double[] k = {axis[0] / n, axis[1] / n, axis[2] / n};
        double[][] kx = {{0, -k[2], k[1]}, {k[2], 0, -k[0]}, {-k[1], k[0], 0}};
        double[] m = Pcm3PreNormalization.rotationMatrix(axis, theta);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double k2 = 0;
                for (int l = 0; l < 3; l++) {
                    k2 += kx[i][l] * kx[l][j];
                }
                double expected = (i == j ? 1 : 0) + Math.sin(theta) * kx[i][j] + (1 - Math.cos(theta)) * k2;
                assertThat(m[i * 3 + j]).isCloseTo(expected, within(1e-12));
            }
        }
    }

    /** The standard pose, rotated by a random rotation and moved; (M=2, T, V=25, C) with person 1 empty. */
    private static float[] rotatedSample(long seed, int frames, double[][] pose) {
        Random r = new Random(seed);
        double[] q = {r.nextGaussian(), r.nextGaussian(), r.nextGaussian(), r.nextGaussian()};
        double qn = Math.sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
        double w = q[0] / qn;
        double x = q[1] / qn;
        double y = q[2] / qn;
        double z = q[3] / qn;
        double[][] rot = {
                {1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)},
                {2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)},
                {2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)}};
        double[] shift = {r.nextGaussian(), r.nextGaussian(), 3 + r.nextDouble()};
        float[] s = new float[2 * frames * 75];
        for (int t = 0; t < frames; t++) {
            for (int v = 0; v < 25; v++) {
                for (int c = 0; c < 3; c++) {
                    double val = shift[c] + 0.01 * t;
                    for (int l = 0; l < 3; l++) {
                        val += rot[c][l] * pose[v][l];
                    }
                    s[t * 75 + v * 3 + c] = (float) val;
                }
            }
        }
        return s;
    }

    private static double[] vec(float[] s, int from, int to) {
        return new double[]{s[to * 3] - s[from * 3], s[to * 3 + 1] - s[from * 3 + 1], s[to * 3 + 2] - s[from * 3 + 2]};
    }

    /**
     * Unit direction within 1e-3. The reference computes the angle as arccos of a float32 dot
     * product, faithfully reproduced here; near 0 or 180° arccos loses precision to about
     * sqrt(2·eps32) ≈ 5e-4 rad, so tighter bounds fail on rare random poses. A wrong rotation
     * misses by orders of magnitude more.
     */
    private static void assertAlong(double[] v, int axis) {
        double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        for (int c = 0; c < 3; c++) {
            assertThat(v[c] / n).as("component %d of %s", c, java.util.Arrays.toString(v))
                    .isCloseTo(c == axis ? 1 : 0, within(1e-3));
        }
    }

    @Property(tries = Pcm3NtuPipelineTest.ALIGNMENT_TRIES)
    void spineIsAlignedWithZAfterStepThreeAndShouldersWithXAfterStepFour(@ForAll long seed) {
        float[] s = rotatedSample(seed, 4, NtuFixture.POSE);
        double[] spine = vec(s, 0, 1);
        // far from anti-parallel: near 180° the reference's float32 unit vector limits the precision
        Assume.that(Math.abs(spine[0]) + Math.abs(spine[1]) > 0.05 || spine[2] > 0);
        Pcm3PreNormalization.padByLooping(s, 2, 4, 25);
        Pcm3PreNormalization.centre(s, 2, 4, 25, 1);
        Pcm3PreNormalization.alignToAxis(s, 2, 4, 25, 0, 1, 2);
        assertAlong(vec(s, 0, 1), 2);
        double[] shoulders = vec(s, 4, 8);
        Assume.that(Math.abs(shoulders[1]) + Math.abs(shoulders[2]) > 0.05 || shoulders[0] > 0);
        Pcm3PreNormalization.alignToAxis(s, 2, 4, 25, 4, 8, 0);
        assertAlong(vec(s, 4, 8), 0);
        // the standard pose has its shoulders perpendicular to its spine, so step 4 keeps the spine on z
        assertAlong(vec(s, 0, 1), 2);
        // centring: SpineMid of person 0 is at the origin in every frame
        for (int t = 0; t < 4; t++) {
            for (int c = 0; c < 3; c++) {
                assertThat(Math.abs(s[t * 75 + 3 + c])).isZero();
            }
        }
    }

    @Test
    void stepFourTurnsTheSpineAwayFromZWhenShouldersAreNotPerpendicularToIt() {
        double[][] slanted = NtuFixture.copy(NtuFixture.POSE);
        slanted[8][1] += 0.2; // right shoulder 20 cm higher
        float[] s = rotatedSample(11, 2, slanted);
        Pcm3PreNormalization.apply(s, 2, 2, 25);
        assertAlong(vec(s, 4, 8), 0);
        double[] spine = vec(s, 0, 1);
        assertThat(Math.abs(spine[0]) / Math.sqrt(spine[0] * spine[0] + spine[1] * spine[1] + spine[2] * spine[2]))
                .isGreaterThan(0.1);
    }

    @Test
    void rotationsLeaveEmptyFramesAndPersonsUntouched() {
        float[] s = rotatedSample(2, 3, NtuFixture.POSE);
        java.util.Arrays.fill(s, 75, 150, 0f); // person 0 frame 1 empty (interior gap, kept by step 1)
        Pcm3PreNormalization.apply(s, 2, 3, 25);
        assertThat(java.util.Arrays.copyOfRange(s, 75, 150)).containsOnly(0f);
        assertThat(java.util.Arrays.copyOfRange(s, 225, 450)).containsOnly(0f);
    }

    // ---------------------------------------------------------------- the whole pipeline

    @Test
    void outputIsLoopPaddedToMaxFramesWithTheHeaderFrameCountAsValidFrames() throws Exception {
        NtuFixture fx = new NtuFixture().emptyFrame();
        for (int f = 0; f < 4; f++) {
            double[][] p = pose(0.05 * f, 0.01 * f, 0);
            p[7][0] += 0.05 * f; // the left hand moves relative to the body
            fx.frame(body("7", p));
        }
        Pcm3NtuPipeline p = new Pcm3NtuPipeline(11);
        Sample s = p.process(fx.parse(NAME));
        assertThat(s.frames()).isEqualTo(11);
        assertThat(s.validFrames()).isEqualTo(5); // the header's count, including the empty frame
        assertThat(s.persons()).isEqualTo(2);
        assertThat(s.label()).isZero();
        // compaction moved the 4 frames to 0..3; then 4..10 repeat them
        for (int t = 4; t < 11; t++) {
            for (int v = 0; v < 25; v++) {
                for (int c = 0; c < 3; c++) {
                    assertThat(s.get(c, t, v, 0)).isEqualTo(s.get(c, t % 4, v, 0));
                    assertThat(s.get(c, t, v, 1)).isZero();
                }
            }
        }
        assertThat(s.get(0, 1, 7, 0) - s.get(0, 0, 7, 0)).isCloseTo(0.05f, within(1e-5f));
        assertThat(p.options()).containsEntry("pipeline", "pcm3").containsEntry("maxFrames", 11);
    }

    @Test
    void longerFilesAreCutToMaxFrames() throws Exception {
        NtuFixture fx = new NtuFixture();
        for (int f = 0; f < 15; f++) {
            fx.frame(body("7", pose(0.05 * f, 0, 0)));
        }
        Sample s = new Pcm3NtuPipeline(10).process(fx.parse(NAME));
        assertThat(s.frames()).isEqualTo(10);
        assertThat(s.validFrames()).isEqualTo(10);
    }

    @Test
    void fileWithoutBodiesIsABadSample() {
        NtuFixture fx = new NtuFixture().emptyFrame();
        assertThatThrownBy(() -> new Pcm3NtuPipeline().process(fx.parse(NAME)))
                .isInstanceOf(BadSampleException.class).hasMessage("no skeleton in any frame (1 frames)");
    }
}
