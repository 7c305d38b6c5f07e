package io.skeletonssl.synth;

import io.skeletonssl.dataset.Sample;
import io.skeletonssl.formats.Protocol;
import io.skeletonssl.layout.Layouts;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SyntheticGeneratorTest {

    static final SynthConfig SMALL = SynthConfig.small();
    static final SyntheticGenerator GEN = new SyntheticGenerator(SMALL);
    static final SyntheticGenerator CLEAN = new SyntheticGenerator(SMALL.withNoise(0, 0));

    static float at(Sample s, int c, int t, int v, int m) {
        return s.data()[Sample.index(c, t, v, m, s.frames(), s.joints(), s.persons())];
    }

    static int label(String name) {
        return SyntheticGenerator.allClasses().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow().label();
    }

    /** Index of (subject, replication, view, label) in clip order. */
    static int index(SynthConfig c, int subject, int rep, int view, int label) {
        return (((subject - 1) * c.repetitions() + (rep - 1)) * SynthConfig.VIEWS + (view - 1)) * c.classes() + label;
    }

    @Test
    void sameSeedAndIndexGiveIdenticalClips() {
        SyntheticGenerator other = new SyntheticGenerator(SMALL);
        for (int i : new int[]{0, 5, 77, SMALL.size() - 1}) {
            Sample a = GEN.generate(i);
            Sample b = other.generate(i);
            assertThat(b.data()).isEqualTo(a.data());
            assertThat(b.validFrames()).isEqualTo(a.validFrames());
            assertThat(b.meta()).isEqualTo(a.meta());
        }
        // order of generation does not matter
        float[] late = GEN.generate(33).data();
        assertThat(new SyntheticGenerator(SMALL).generate(33).data()).isEqualTo(late);
    }

    @Test
    void otherSeedGivesOtherClips() {
        SyntheticGenerator other = new SyntheticGenerator(SMALL.withSeed(2));
        assertThat(other.generate(5).data()).isNotEqualTo(GEN.generate(5).data());
        assertThat(other.body(1)).isNotEqualTo(GEN.body(1));
    }

    @Test
    void clipOrderAndNames() {
        SynthConfig c = SMALL;
        assertThat(GEN.size()).isEqualTo(6 * 1 * 3 * SynthConfig.MAX_CLASSES);
        int i = index(c, 4, 1, 3, 7);
        SyntheticGenerator.Key k = GEN.key(i);
        assertThat(k.subject()).isEqualTo(4);
        assertThat(k.view()).isEqualTo(3);
        assertThat(k.replication()).isEqualTo(1);
        assertThat(k.label()).isEqualTo(7);
        assertThat(GEN.name(i)).isEqualTo(String.format("S%03dC003P004R001A008", k.setup()));
        assertThat(GEN.meta(i).subject()).isEqualTo(4);
        assertThat(GEN.meta(i).view()).isEqualTo(3);
        assertThat(GEN.meta(i).setup()).isBetween(1, 3);
        Set<String> names = new HashSet<>();
        for (int j = 0; j < GEN.size(); j++) {
            names.add(GEN.name(j));
        }
        assertThat(names).hasSize(GEN.size());
        assertThatThrownBy(() -> GEN.key(GEN.size())).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("outside 0.." + (GEN.size() - 1));
    }

    @Test
    void shapesRangesAndPersons() {
        for (int i = 0; i < GEN.size(); i += 7) {
            Sample s = GEN.generate(i);
            ActionClass cls = GEN.classes().get(s.label());
            assertThat(s.label()).isEqualTo(GEN.key(i).label());
            assertThat(s.joints()).isEqualTo(25);
            assertThat(s.persons()).isEqualTo(2);
            assertThat(s.validFrames()).isEqualTo(s.frames()).isBetween(40, 300);
            boolean[] personPresent = new boolean[2];
            for (int t = 0; t < s.validFrames(); t++) {
                for (int m = 0; m < 2; m++) {
                    int nonZero = 0;
                    for (int v = 0; v < 25; v++) {
                        float x = at(s, 0, t, v, m);
                        float y = at(s, 1, t, v, m);
                        float z = at(s, 2, t, v, m);
                        assertThat(Float.isFinite(x) && Float.isFinite(y) && Float.isFinite(z)).isTrue();
                        if (x != 0 || y != 0 || z != 0) {
                            nonZero++;
                            // Kinect camera space: in front of the camera, a person's height around it
                            assertThat(z).as("depth of %s", s.name()).isBetween(1.5f, 5.5f);
                            assertThat(y).isBetween(-2.5f, 2.0f);
                            assertThat(x).isBetween(-2.5f, 2.5f);
                        }
                    }
                    if (nonZero > 0) {
                        personPresent[m] = true;
                        // dropouts zero single joints only, never a whole tracked body
                        assertThat(nonZero).isGreaterThan(20);
                    } else if (cls.twoPerson()) {
                        throw new AssertionError(s.name() + ": person " + m + " missing in frame " + t);
                    }
                }
            }
            assertThat(personPresent[0] && personPresent[1]).as(s.name()).isEqualTo(cls.twoPerson());
            if (!cls.twoPerson()) {
                assertThat(personPresent[0]).isTrue();
            }
        }
    }

    @Test
    void withoutNoiseEveryJointOfPresentPersonsIsTracked() {
        for (int i = 0; i < CLEAN.size(); i += 11) {
            Sample s = CLEAN.generate(i);
            int persons = CLEAN.classes().get(s.label()).twoPerson() ? 2 : 1;
            for (int t = 0; t < s.validFrames(); t++) {
                for (int m = 0; m < persons; m++) {
                    for (int v = 0; v < 25; v++) {
                        assertThat(at(s, 2, t, v, m)).isGreaterThan(1f);
                    }
                }
            }
        }
    }

    @Test
    void dropoutsZeroOrFreezeJoints() {
        SyntheticGenerator flaky = new SyntheticGenerator(SMALL.withNoise(1, 0.2));
        int zeros = 0;
        int frozen = 0;
        for (int i = 0; i < 40; i++) {
            Sample s = flaky.generate(i);
            for (int t = 1; t < s.validFrames(); t++) {
                for (int v = 0; v < 25; v++) {
                    if (at(s, 2, t, v, 0) == 0f) {
                        zeros++;
                    } else if (at(s, 0, t, v, 0) == at(s, 0, t - 1, v, 0)
                            && at(s, 2, t, v, 0) == at(s, 2, t - 1, v, 0)) {
                        frozen++;
                    }
                }
            }
        }
        assertThat(zeros).isGreaterThan(50);
        assertThat(frozen).isGreaterThan(200);
    }

    @Test
    void noiseIsSmallJitter() {
        Sample noisy = GEN.generate(10);
        Sample clean = CLEAN.generate(10);
        double sum = 0;
        int n = 0;
        double max = 0;
        for (int t = 0; t < clean.validFrames(); t++) {
            // the spine: low noise, rarely a dropout
            for (int c = 0; c < 3; c++) {
                double d = at(noisy, c, t, 1, 0) - at(clean, c, t, 1, 0);
                sum += d * d;
                n++;
                max = Math.max(max, Math.abs(d));
            }
        }
        double rms = Math.sqrt(sum / n);
        assertThat(rms).isBetween(0.001, 0.01);
    }

    @Test
    void bodiesDifferBetweenSubjectsAndAreFixed() {
        BodyShape a = GEN.body(1);
        assertThat(new SyntheticGenerator(SMALL).body(1)).isEqualTo(a);
        assertThat(GEN.body(2)).isNotEqualTo(a);
        assertThat(a.stature()).isBetween(1.45, 1.95);
        assertThat(GEN.partnerBody(1)).isNotEqualTo(a);
        assertThatThrownBy(() -> GEN.body(7)).hasMessageContaining("subject 7 outside 1..6");
    }

    @Test
    void xsubAndXviewSplitsBothPresent() {
        SynthConfig c = SynthConfig.defaults().withClasses(2);
        SyntheticGenerator g = new SyntheticGenerator(c);
        Set<Integer> trainSubjects = new HashSet<>();
        Set<Integer> testSubjects = new HashSet<>();
        Set<Integer> trainViews = new HashSet<>();
        Set<Integer> testViews = new HashSet<>();
        for (int i = 0; i < g.size(); i++) {
            Sample s = new Sample(new float[3 * 25 * 2], 1, 25, 2, 1, g.key(i).label(), g.meta(i));
            (Protocol.NTU60_XSUB.assign(s).equals("train") ? trainSubjects : testSubjects).add(s.meta().subject());
            (Protocol.NTU60_XVIEW.assign(s).equals("train") ? trainViews : testViews).add(s.meta().view());
        }
        assertThat(trainSubjects).hasSize(20).isEqualTo(Protocol.Ids.NTU60_XSUB_TRAIN);
        assertThat(testSubjects).hasSize(20).doesNotContainAnyElementsOf(trainSubjects);
        assertThat(trainViews).containsExactlyInAnyOrder(2, 3);
        assertThat(testViews).containsExactly(1);
    }

    @Test
    void classListHasTheRequiredKinds() {
        List<ActionClass> all = SyntheticGenerator.allClasses();
        assertThat(all.size()).isGreaterThanOrEqualTo(20);
        assertThat(all.stream().filter(ActionClass::twoPerson).count()).isGreaterThanOrEqualTo(4);
        for (String n : List.of("wave_right_hand", "wave_left_hand", "reach_high", "reach_middle", "circle_clockwise",
                "circle_anticlockwise", "squat", "sit_down", "stand_up", "jump", "pick_up", "kick", "walk_in_place",
                "handshake", "push", "hug", "point_at_person")) {
            assertThat(all).extracting(ActionClass::name).contains(n);
        }
        for (int i = 0; i < all.size(); i++) {
            assertThat(all.get(i).label()).isEqualTo(i);
        }
        assertThat(GEN.classNames()).hasSize(SMALL.classes());
    }

    @Test
    void configRejectsBadValues() {
        assertThatThrownBy(() -> new SynthConfig(1, 0, 1, 5, 1, 0.01, 40, 300))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subjects must be 1..999, got 0");
        assertThatThrownBy(() -> new SynthConfig(1, 5, 1, 99, 1, 0.01, 40, 300))
                .hasMessageContaining("classes must be 1.." + SynthConfig.MAX_CLASSES);
        assertThatThrownBy(() -> new SynthConfig(1, 5, 1, 5, Double.NaN, 0.01, 40, 300))
                .hasMessageContaining("noise");
        assertThatThrownBy(() -> new SynthConfig(1, 5, 1, 5, 1, 0.5, 40, 300)).hasMessageContaining("dropoutRate");
        assertThatThrownBy(() -> new SynthConfig(1, 5, 1, 5, 1, 0.01, 80, 60)).hasMessageContaining("minFrames");
    }

    @Test
    void shortMaximumCompressesClips() {
        SyntheticGenerator g = new SyntheticGenerator(SMALL.withFrames(20, 50));
        for (int i = 0; i < g.size(); i += 5) {
            assertThat(g.generate(i).validFrames()).isBetween(20, 50);
        }
    }

    @Test
    void layoutJointOrderMatchesTheKinematicModel() {
        List<String> names = Layouts.ntu25().jointNames();
        assertThat(names.get(Kinematics.HAND_TIP_R)).isEqualTo("HandTipRight");
        assertThat(names.get(Kinematics.THUMB_L)).isEqualTo("ThumbLeft");
        assertThat(names.get(Kinematics.SPINE_SHOULDER)).isEqualTo("SpineShoulder");
        assertThat(names.get(Kinematics.FOOT_R)).isEqualTo("FootRight");
        assertThat(names.get(Kinematics.HIP_L)).isEqualTo("HipLeft");
    }
}
