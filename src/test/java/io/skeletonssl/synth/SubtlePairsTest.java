package io.skeletonssl.synth;

import io.skeletonssl.dataset.Sample;
import org.junit.jupiter.api.Test;

import static io.skeletonssl.synth.SyntheticGeneratorTest.at;
import static io.skeletonssl.synth.SyntheticGeneratorTest.label;
import static org.assertj.core.api.Assertions.assertThat;

/** Classes that differ in one detail really differ in that detail, in every clip. */
class SubtlePairsTest {

    private static final SynthConfig CONFIG = SynthConfig.small().withNoise(0, 0);
    private static final SyntheticGenerator GEN = new SyntheticGenerator(CONFIG);

    private static double[] joint(Sample s, int t, int v) {
        return new double[]{at(s, 0, t, v, 0), at(s, 1, t, v, 0), at(s, 2, t, v, 0)};
    }

    private static double[] minus(double[] a, double[] b) {
        return new double[]{a[0] - b[0], a[1] - b[1], a[2] - b[2]};
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    private static double[] unit(double[] a) {
        double n = Math.sqrt(dot(a, a));
        return new double[]{a[0] / n, a[1] / n, a[2] / n};
    }

    /** The body's up axis in frame t: SpineBase → SpineShoulder. */
    private static double[] up(Sample s, int t) {
        return unit(minus(joint(s, t, Kinematics.SPINE_SHOULDER), joint(s, t, Kinematics.SPINE_BASE)));
    }

    /** Height of joint a above joint b along the body's up axis. */
    private static double above(Sample s, int t, int a, int b) {
        return dot(minus(joint(s, t, a), joint(s, t, b)), up(s, t));
    }

    /** Frames whose action phase is within [lo, hi]. */
    private static int[] framesInPhase(int index, double lo, double hi) {
        SyntheticGenerator.Performance p = GEN.performance(index);
        return java.util.stream.IntStream.range(0, p.frames()).filter(t -> p.phase(t) >= lo && p.phase(t) <= hi)
                .toArray();
    }

    private static double path(Sample s, int[] frames, int joint, int relativeTo) {
        double len = 0;
        for (int i = 1; i < frames.length; i++) {
            double[] a = minus(joint(s, frames[i - 1], joint), joint(s, frames[i - 1], relativeTo));
            double[] b = minus(joint(s, frames[i], joint), joint(s, frames[i], relativeTo));
            double[] d = minus(b, a);
            len += Math.sqrt(dot(d, d));
        }
        return len;
    }

    @Test
    void wavingLeftAndRightMoveDifferentWrists() {
        for (String cls : new String[]{"wave_right_hand", "wave_left_hand"}) {
            boolean right = cls.endsWith("right_hand");
            int waving = right ? Kinematics.WRIST_R : Kinematics.WRIST_L;
            int other = right ? Kinematics.WRIST_L : Kinematics.WRIST_R;
            int wavingShoulder = right ? Kinematics.SHOULDER_R : Kinematics.SHOULDER_L;
            int otherShoulder = right ? Kinematics.SHOULDER_L : Kinematics.SHOULDER_R;
            for (int subject = 1; subject <= CONFIG.subjects(); subject++) {
                for (int view = 1; view <= 3; view++) {
                    int i = SyntheticGeneratorTest.index(CONFIG, subject, 1, view, label(cls));
                    Sample s = GEN.generate(i);
                    int[] hold = framesInPhase(i, 0.3, 0.7);
                    assertThat(hold.length).isGreaterThan(10);
                    for (int t : hold) {
                        assertThat(above(s, t, waving, wavingShoulder)).as("%s frame %d", s.name(), t)
                                .isGreaterThan(0.03);
                        assertThat(above(s, t, other, otherShoulder)).isLessThan(0);
                    }
                    assertThat(path(s, hold, waving, Kinematics.SPINE_SHOULDER)).as(s.name())
                            .isGreaterThan(4 * path(s, hold, other, Kinematics.SPINE_SHOULDER) + 0.1);
                }
            }
        }
    }

    /** Signed area of the hand's path in the body's frontal plane (x to the performer's right, y up). */
    private static double frontalArea(Sample s, int[] frames, int hand) {
        double area = 0;
        double[] prev = null;
        for (int t : frames) {
            double[] upAxis = up(s, t);
            double[] lateral = minus(joint(s, t, Kinematics.SHOULDER_R), joint(s, t, Kinematics.SHOULDER_L));
            double lu = dot(lateral, upAxis);
            lateral = unit(new double[]{lateral[0] - lu * upAxis[0], lateral[1] - lu * upAxis[1],
                    lateral[2] - lu * upAxis[2]});
            double[] h = minus(joint(s, t, hand), joint(s, t, Kinematics.SPINE_SHOULDER));
            double[] p = {dot(h, lateral), dot(h, upAxis)};
            if (prev != null) {
                area += (prev[0] * p[1] - p[0] * prev[1]) / 2;
            }
            prev = p;
        }
        return area;
    }

    @Test
    void circlesTurnTheNamedWayWithEitherHand() {
        int mirrored = 0;
        for (String cls : new String[]{"circle_clockwise", "circle_anticlockwise"}) {
            for (int subject = 1; subject <= CONFIG.subjects(); subject++) {
                for (int view = 1; view <= 3; view++) {
                    int i = SyntheticGeneratorTest.index(CONFIG, subject, 1, view, label(cls));
                    Sample s = GEN.generate(i);
                    int[] active = framesInPhase(i, 0.12, 0.88);
                    // the circling hand is the one that travels further
                    boolean left = path(s, active, Kinematics.HAND_L, Kinematics.SPINE_SHOULDER)
                            > path(s, active, Kinematics.HAND_R, Kinematics.SPINE_SHOULDER);
                    assertThat(left).isEqualTo(GEN.performance(i).style().mirrored());
                    mirrored += left ? 1 : 0;
                    double area = frontalArea(s, active, left ? Kinematics.HAND_L : Kinematics.HAND_R);
                    if (cls.equals("circle_clockwise")) {
                        assertThat(area).as(s.name()).isLessThan(-0.05);
                    } else {
                        assertThat(area).as(s.name()).isGreaterThan(0.05);
                    }
                }
            }
        }
        assertThat(mirrored).as("some performers use the left hand").isBetween(1, 35);
    }

    @Test
    void reachHighGoesHigherThanReachMiddle() {
        for (int subject = 1; subject <= CONFIG.subjects(); subject++) {
            for (int view = 1; view <= 3; view++) {
                int hi = SyntheticGeneratorTest.index(CONFIG, subject, 1, view, label("reach_high"));
                int mid = SyntheticGeneratorTest.index(CONFIG, subject, 1, view, label("reach_middle"));
                assertThat(maxHandHeight(hi)).isGreaterThan(0.35);
                assertThat(maxHandHeight(mid)).isBetween(-0.2, 0.25);
            }
        }
    }

    private static double maxHandHeight(int index) {
        Sample s = GEN.generate(index);
        double best = -9;
        for (int t : framesInPhase(index, 0.4, 0.6)) {
            best = Math.max(best, Math.max(above(s, t, Kinematics.HAND_R, Kinematics.SHOULDER_R),
                    above(s, t, Kinematics.HAND_L, Kinematics.SHOULDER_L)));
        }
        return best;
    }

    private static double pelvisAboveAnkles(Sample s, int t) {
        double[] ankles = joint(s, t, Kinematics.ANKLE_L);
        double[] r = joint(s, t, Kinematics.ANKLE_R);
        double[] mid = {(ankles[0] + r[0]) / 2, (ankles[1] + r[1]) / 2, (ankles[2] + r[2]) / 2};
        double[] d = minus(joint(s, t, Kinematics.SPINE_BASE), mid);
        return Math.sqrt(dot(d, d));
    }

    @Test
    void sitDownAndStandUpAreTimeReversed() {
        for (int subject = 1; subject <= CONFIG.subjects(); subject++) {
            Sample sit = GEN.generate(SyntheticGeneratorTest.index(CONFIG, subject, 1, 2, label("sit_down")));
            Sample stand = GEN.generate(SyntheticGeneratorTest.index(CONFIG, subject, 1, 2, label("stand_up")));
            double sitStart = pelvisAboveAnkles(sit, 0);
            double sitEnd = pelvisAboveAnkles(sit, sit.validFrames() - 1);
            double standStart = pelvisAboveAnkles(stand, 0);
            double standEnd = pelvisAboveAnkles(stand, stand.validFrames() - 1);
            assertThat(sitStart - sitEnd).isGreaterThan(0.2);
            assertThat(standEnd - standStart).isGreaterThan(0.2);
        }
    }

    @Test
    void jumpLeavesTheFloor() {
        int subject = 2;
        int jump = SyntheticGeneratorTest.index(CONFIG, subject, 1, 2, label("jump"));
        Sample s = GEN.generate(jump);
        double lowest0 = Math.min(at(s, 1, 0, Kinematics.FOOT_L, 0), at(s, 1, 0, Kinematics.FOOT_R, 0));
        double highestFeet = -9;
        for (int t = 0; t < s.validFrames(); t++) {
            highestFeet = Math.max(highestFeet, Math.min(at(s, 1, t, Kinematics.FOOT_L, 0),
                    at(s, 1, t, Kinematics.FOOT_R, 0)));
        }
        assertThat(highestFeet - lowest0).isGreaterThan(0.08);
    }
}
