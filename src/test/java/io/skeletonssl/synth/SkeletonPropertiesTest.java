package io.skeletonssl.synth;

import io.skeletonssl.dataset.Sample;
import io.skeletonssl.layout.Layouts;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Laws of the kinematic skeleton that hold for every seed and clip. */
class SkeletonPropertiesTest {

    private static final List<int[]> EDGES = Layouts.ntu25().edges();

    static double dist(Sample s, int t, int a, int b, int m) {
        double sum = 0;
        for (int c = 0; c < 3; c++) {
            double d = SyntheticGeneratorTest.at(s, c, t, a, m) - SyntheticGeneratorTest.at(s, c, t, b, m);
            sum += d * d;
        }
        return Math.sqrt(sum);
    }

    @Property(tries = 60)
    void boneLengthsAreTheSubjectsInEveryFrame(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
                                               @ForAll @IntRange(min = 0, max = 100_000) int anyIndex) {
        SynthConfig config = SynthConfig.small().withSeed(seed).withNoise(0, 0);
        SyntheticGenerator g = new SyntheticGenerator(config);
        int index = anyIndex % config.size();
        Sample s = g.generate(index);
        SyntheticGenerator.Key k = g.key(index);
        boolean two = g.classes().get(k.label()).twoPerson();
        int actorSlot = two ? g.performance(index).actorSlot() : 0;
        for (int m = 0; m < (two ? 2 : 1); m++) {
            BodyShape body = m == actorSlot ? g.body(k.subject()) : g.partnerBody(k.subject());
            for (int[] e : EDGES) {
                double first = dist(s, 0, e[0], e[1], m);
                for (int t = 1; t < s.validFrames(); t++) {
                    assertThat(dist(s, t, e[0], e[1], m)).as("bone %d-%d of %s frame %d", e[0], e[1], s.name(), t)
                            .isCloseTo(first, within(2e-5));
                }
            }
            int t = s.validFrames() / 2;
            assertThat(dist(s, t, Kinematics.ELBOW_R, Kinematics.SHOULDER_R, m))
                    .isCloseTo(body.upperArm(), within(1e-5));
            assertThat(dist(s, t, Kinematics.WRIST_L, Kinematics.ELBOW_L, m)).isCloseTo(body.forearm(), within(1e-5));
            assertThat(dist(s, t, Kinematics.KNEE_L, Kinematics.HIP_L, m)).isCloseTo(body.thigh(), within(1e-5));
            assertThat(dist(s, t, Kinematics.ANKLE_R, Kinematics.KNEE_R, m)).isCloseTo(body.shank(), within(1e-5));
            assertThat(dist(s, t, Kinematics.SPINE_MID, Kinematics.SPINE_BASE, m))
                    .isCloseTo(body.spineLower(), within(1e-5));
            assertThat(dist(s, t, Kinematics.SHOULDER_R, Kinematics.SHOULDER_L, m))
                    .isCloseTo(2 * body.shoulderHalf(), within(1e-5));
        }
    }

    @Property(tries = 40)
    void noisyBonesStayCloseToTheBody(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
                                      @ForAll @IntRange(min = 0, max = 100_000) int anyIndex) {
        SyntheticGenerator g = new SyntheticGenerator(SynthConfig.small().withSeed(seed).withNoise(1, 0));
        int index = anyIndex % g.size();
        Sample s = g.generate(index);
        BodyShape body = g.body(g.key(index).subject());
        int actor = g.classes().get(s.label()).twoPerson() ? g.performance(index).actorSlot() : 0;
        double sum = 0;
        for (int t = 0; t < s.validFrames(); t++) {
            sum += dist(s, t, Kinematics.SPINE_MID, Kinematics.SPINE_BASE, actor);
        }
        assertThat(sum / s.validFrames()).isCloseTo(body.spineLower(), within(0.005));
    }

    @Property(tries = 30)
    void generationIsAPureFunctionOfSeedAndIndex(@ForAll @LongRange(min = 0, max = 1_000) long seed,
                                                 @ForAll @IntRange(min = 0, max = 100_000) int anyIndex) {
        SynthConfig config = SynthConfig.small().withSeed(seed);
        int index = anyIndex % config.size();
        Sample a = new SyntheticGenerator(config).generate(index);
        SyntheticGenerator warm = new SyntheticGenerator(config);
        warm.generate((index + 17) % config.size());
        assertThat(warm.generate(index).data()).isEqualTo(a.data());
    }
}
