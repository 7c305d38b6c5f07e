package io.skeletonssl.formats.ntu;

import io.skeletonssl.dataset.BadSampleException;
import io.skeletonssl.dataset.Sample;
import io.skeletonssl.formats.ntu.MampNtuPipeline.Actors;
import io.skeletonssl.formats.ntu.MampNtuPipeline.Track;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.skeletonssl.formats.ntu.NtuFixture.body;
import static io.skeletonssl.formats.ntu.NtuFixture.pose;
import static io.skeletonssl.formats.ntu.NtuFixture.wide;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MampNtuPipelineTest {

    private static final String NAME = "S001C002P003R001A050.skeleton";
    private static final MampNtuPipeline ZERO = new MampNtuPipeline(SecondActor.ZERO);
    private static final MampNtuPipeline DUP = new MampNtuPipeline(SecondActor.DUPLICATE);

    private static double[] flat(double[][] p) {
        double[] f = new double[75];
        for (int j = 0; j < 25; j++) {
            System.arraycopy(p[j], 0, f, j * 3, 3);
        }
        return f;
    }

    /** A body whose frame i is the standard pose shifted in x by offset + step·i. */
    private static Track track(String id, int start, int count, double offset, double step) {
        Track t = new Track(id, start);
        for (int i = 0; i < count; i++) {
            t.add(flat(pose(offset + step * i, 0, 0)));
        }
        t.motion = MampNtuPipeline.motion(t.joints, 0, t.count, null);
        return t;
    }

    /** Official value: float32(raw) − float32(origin), in float32. */
    private static float centred(double raw, double origin) {
        return (float) raw - (float) origin;
    }

    private static Sample run(MampNtuPipeline p, NtuFixture fx) throws Exception {
        return p.process(fx.parse(NAME));
    }

    private static boolean actorZero(Sample s, int t, int m) {
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 25; v++) {
                if (s.get(c, t, v, m) != 0f) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void singleBodyIsCentredOnSpineMidOfItsFirstFrameAndFramesWithoutBodiesAreDropped() throws Exception {
        NtuFixture fx = new NtuFixture()
                .frame(body("7", pose(0.1, 0.2, 0.3)))
                .emptyFrame()
                .frame(body("7", pose(0.15, 0.2, 0.3)))
                .frame(body("7", pose(0.2, 0.25, 0.3)));
        Sample s = run(ZERO, fx);
        assertThat(s.frames()).isEqualTo(3);
        assertThat(s.validFrames()).isEqualTo(3);
        assertThat(s.persons()).isEqualTo(2);
        assertThat(s.joints()).isEqualTo(25);
        assertThat(s.label()).isEqualTo(49);
        assertThat(s.meta().subject()).isEqualTo(3);
        assertThat(s.meta().view()).isEqualTo(2);
        double[][] first = pose(0.1, 0.2, 0.3);
        double[][] third = pose(0.15, 0.2, 0.3);
        for (int c = 0; c < 3; c++) {
            assertThat(s.get(c, 0, 1, 0)).isZero();
            for (int v = 0; v < 25; v++) {
                assertThat(s.get(c, 0, v, 0)).isEqualTo(centred(first[v][c], first[1][c]));
                // row 1 is file frame 3: frame 2 had no body
                assertThat(s.get(c, 1, v, 0)).isEqualTo(centred(third[v][c], first[1][c]));
            }
        }
        for (int t = 0; t < 3; t++) {
            assertThat(actorZero(s, t, 1)).isTrue();
        }
    }

    @Test
    void secondActorOfASingleActorSequenceIsZeroOrADuplicate() throws Exception {
        NtuFixture fx = new NtuFixture();
        for (int f = 0; f < 5; f++) {
            fx.frame(body("7", pose(0.01 * f, 0, 0)));
        }
        Sample zero = run(ZERO, fx);
        Sample dup = run(DUP, fx);
        for (int t = 0; t < 5; t++) {
            assertThat(actorZero(zero, t, 1)).isTrue();
            for (int c = 0; c < 3; c++) {
                for (int v = 0; v < 25; v++) {
                    assertThat(dup.get(c, t, v, 1)).isEqualTo(dup.get(c, t, v, 0)).isEqualTo(zero.get(c, t, v, 0));
                }
            }
        }
    }

    @Test
    void intervalOfABodyIsContiguousFromItsFirstAppearanceEvenWithGaps() throws Exception {
        NtuFixture fx = new NtuFixture();
        for (int f = 0; f < 30; f++) {
            List<NtuFixture.Body> bodies = new ArrayList<>();
            bodies.add(body("100", pose(0.02 * f, 0, 0)));
            if (f < 5 || (f >= 10 && f < 20)) {
                bodies.add(body("200", pose(1 + 0.001 * f, 0, 0)));
            }
            fx.frame(bodies.toArray(NtuFixture.Body[]::new));
        }
        MampNtuPipeline.Grouped g = MampNtuPipeline.group(fx.parse(NAME));
        assertThat(g.validFrames()).isEqualTo(30);
        Track gappy = g.tracks().get(1);
        assertThat(gappy.bodyId).isEqualTo("200");
        assertThat(gappy.start).isZero();
        assertThat(gappy.count).isEqualTo(15);
        assertThat(gappy.end()).isEqualTo(14);

        Sample s = run(ZERO, fx);
        double[][] origin = pose(0, 0, 0);
        // body 200 is actor 2 (less motion, overlapping); its appearance in file frame 10 lands in row 5
        double[][] frame10 = pose(1 + 0.001 * 10, 0, 0);
        for (int v = 0; v < 25; v++) {
            assertThat(s.get(0, 5, v, 1)).isEqualTo(centred(frame10[v][0], origin[1][0]));
        }
        for (int t = 15; t < 30; t++) {
            assertThat(actorZero(s, t, 1)).as("row %d", t).isTrue();
        }
        assertThat(actorZero(s, 14, 1)).isFalse();
    }

    private static NtuFixture withShortBody(int shortFrames) {
        NtuFixture fx = new NtuFixture();
        for (int f = 0; f < 40; f++) {
            if (f < shortFrames) {
                fx.frame(body("1", pose(0.01 * f, 0, 0)), body("2", pose(1 + 0.5 * (f % 2), 0, 0)));
            } else {
                fx.frame(body("1", pose(0.01 * f, 0, 0)));
            }
        }
        return fx;
    }

    @Test
    void lengthFilterDropsBodiesSeenInElevenFramesOrFewer() throws Exception {
        // body 2 jumps a lot, so it would be actor 1 if it were kept
        Sample eleven = run(ZERO, withShortBody(11));
        Sample twelve = run(ZERO, withShortBody(12));
        for (int t = 0; t < 40; t++) {
            assertThat(actorZero(eleven, t, 1)).isTrue();
        }
        assertThat(eleven.get(0, 0, 1, 0)).isZero();
        // kept: it has the larger motion, so it becomes actor 1 at rows 0..11 and body 1 actor 2
        assertThat(actorZero(twelve, 0, 1)).isFalse();
        assertThat(twelve.get(0, 1, 0, 0) - twelve.get(0, 0, 0, 0)).isCloseTo(0.5f, within(1e-5f));
    }

    @Test
    void rowsLeftEmptyByDenoisingAreRemoved() throws Exception {
        NtuFixture fx = new NtuFixture();
        for (int f = 0; f < 40; f++) {
            if (f < 6) {
                fx.frame(body("short", pose(2, 0, 0)));
            } else {
                fx.frame(body("long", pose(0.01 * f, 0, 0)));
            }
        }
        Sample s = run(ZERO, fx);
        assertThat(s.frames()).isEqualTo(34);
        assertThat(s.validFrames()).isEqualTo(34);
        double[][] first = pose(0.06, 0, 0);
        assertThat(s.get(0, 0, 0, 0)).isEqualTo(centred(first[0][0], first[1][0]));
    }

    @Test
    void spreadTestComparesXRangeWithPointEightTimesYRange() {
        float[] joints = new float[75];
        for (int j = 0; j < 25; j++) {
            joints[j * 3 + 2] = 3f;
        }
        joints[3] = 1.0f;     // x range 1.0
        joints[4 + 3] = 1.25f; // y range 1.25: 0.8 · 1.25 = 1.0 exactly
        assertThat(MampNtuPipeline.spreadValid(joints, 0)).isTrue();
        joints[3] = Math.nextUp(1.0f);
        assertThat(MampNtuPipeline.spreadValid(joints, 0)).isFalse();
        assertThat(MampNtuPipeline.spreadValid(flatFloat(pose(0, 0, 0)), 0)).isTrue();
        assertThat(MampNtuPipeline.spreadValid(flatFloat(wide(0, 0)), 0)).isFalse();
    }

    private static float[] flatFloat(double[][] p) {
        float[] f = new float[75];
        for (int j = 0; j < 25; j++) {
            for (int c = 0; c < 3; c++) {
                f[j * 3 + c] = (float) p[j][c];
            }
        }
        return f;
    }

    /** {@code count} frames, the first {@code wideFrames} of them lying sideways. */
    private static Track noisy(String id, int count, int wideFrames) {
        Track t = new Track(id, 0);
        for (int i = 0; i < count; i++) {
            t.add(flat(i < wideFrames ? wide(0.001 * i, 0) : pose(0.001 * i, 0, 0)));
        }
        t.motion = MampNtuPipeline.motion(t.joints, 0, t.count, null);
        return t;
    }

    @Test
    void spreadFilterDropsBodiesWithAtLeast69754PermilleNoisyFrames() {
        Track normal = track("n", 0, 162, 0, 0.001);
        Track justBelow = noisy("below", 162, 113); // 113/162 = 0.697531 < 0.69754
        Track justAbove = noisy("above", 43, 30);   // 30/43 = 0.697674 ≥ 0.69754
        assertThat(MampNtuPipeline.denoise(List.of(normal, justBelow))).extracting(t -> t.bodyId)
                .containsExactlyInAnyOrder("n", "below");
        assertThat(MampNtuPipeline.denoise(List.of(normal, justAbove))).extracting(t -> t.bodyId)
                .containsExactly("n");
    }

    @Test
    void spreadFilterStopsWhenOneBodyIsLeft() {
        Track a = noisy("a", 40, 40);
        Track b = noisy("b", 40, 40);
        assertThat(MampNtuPipeline.denoise(List.of(a, b))).extracting(t -> t.bodyId).containsExactly("b");
    }

    @Test
    void motionIsTheSumOfPopulationVariances() {
        double d = 0.4;
        Track t = new Track("m", 0);
        t.add(flat(pose(0, 0, 0)));
        t.add(flat(pose(d, 0, 0)));
        double expected = d * d / 4;
        for (int c = 0; c < 3; c++) {
            double mean = 0;
            for (double[] j : NtuFixture.POSE) {
                mean += (float) (j[c] + (c == 2 ? 3 : 0));
            }
            mean /= 25;
            double var = 0;
            for (double[] j : NtuFixture.POSE) {
                double x = (float) (j[c] + (c == 2 ? 3 : 0)) - mean;
                var += x * x;
            }
            expected += var / 25;
        }
        assertThat(MampNtuPipeline.motion(t.joints, 0, 2, null)).isCloseTo(expected, within(1e-6));
        assertThat(MampNtuPipeline.motion(t.joints, 0, 2, new boolean[]{true, false}))
                .isCloseTo(expected - d * d / 4, within(1e-6));
    }

    @Test
    void spreadFilterLowersMotionToThatOfTheValidFrames() {
        // "jumpy": 20 frames, the 10 wide ones jump by ±2 m (huge motion); its valid frames stand still
        Track jumpy = new Track("jumpy", 0);
        for (int i = 0; i < 20; i++) {
            jumpy.add(flat(i % 2 == 0 ? wide(i % 4 == 0 ? 2 : -2, 0) : pose(0, 0, 0)));
        }
        jumpy.motion = MampNtuPipeline.motion(jumpy.joints, 0, 20, null);
        Track walker = track("walker", 0, 20, 0, 0.03);
        assertThat(jumpy.motion).isGreaterThan(walker.motion);
        List<Track> kept = MampNtuPipeline.denoise(new ArrayList<>(List.of(jumpy, walker)));
        assertThat(kept).extracting(t -> t.bodyId).containsExactly("walker", "jumpy");
        boolean[] valid = new boolean[20];
        for (int i = 0; i < 20; i++) {
            valid[i] = i % 2 == 1;
        }
        assertThat(jumpy.motion).isEqualTo(MampNtuPipeline.motion(jumpy.joints, 0, 20, valid));
    }

    @Test
    void actorAssemblyFollowsTheOverlapRule() throws Exception {
        Track a1 = track("a1", 0, 20, 0, 0);     // [0, 19]
        Track touch = track("x", 19, 12, 10, 0); // [19, 30]: shares one frame → "no overlap" → actor 1
        Track over = track("y", 10, 31, 20, 0);  // [10, 40]: overlaps actor 1 → actor 2
        Track hidden = track("z", 5, 4, 30, 0);  // [5, 8]: overlaps actor 1, and actor 2's union [0, 40] → dropped
        Track after = track("w", 41, 5, 40, 0);  // [41, 45]: after actor 1's union → actor 1
        Actors a = MampNtuPipeline.twoActors(List.of(a1, touch, over, hidden, after), 46, NAME);
        float base = (float) NtuFixture.POSE[0][0];
        assertThat(a.get(18, 0, 0, 0)).isEqualTo(base);
        assertThat(a.get(19, 0, 0, 0)).isEqualTo((float) (base + 10.0));
        assertThat(a.get(30, 0, 0, 0)).isEqualTo((float) (base + 10.0));
        assertThat(a.get(42, 0, 0, 0)).isEqualTo((float) (base + 40.0));
        assertThat(a.actorMissing(31, 0)).isTrue();
        for (int r = 0; r < 10; r++) {
            assertThat(a.actorMissing(r, 1)).as("row %d", r).isTrue();
        }
        assertThat(a.get(10, 1, 0, 0)).isEqualTo((float) (base + 20.0));
        assertThat(a.get(40, 1, 0, 0)).isEqualTo((float) (base + 20.0));
        assertThat(a.actorMissing(41, 1)).isTrue();
    }

    @Test
    void removeMissingFramesDeletesAllZeroRowsKeepingOrder() {
        Actors a = new Actors(4, 2);
        a.data[0] = 1f;
        a.data[2 * 150 + 149] = 3f;
        a.data[3 * 150 + 75] = 4f;
        MampNtuPipeline.removeMissingFrames(a);
        assertThat(a.rows).isEqualTo(3);
        assertThat(a.data).hasSize(450);
        assertThat(a.data[0]).isEqualTo(1f);
        assertThat(a.data[150 + 149]).isEqualTo(3f);
        assertThat(a.data[2 * 150 + 75]).isEqualTo(4f);
    }

    @Test
    void translationUsesActorOnesFirstNonZeroRowAndKeepsMissingActorsZero() throws Exception {
        Actors a = new Actors(3, 2);
        double[] p1 = flat(pose(0.5, 0.1, 0.2));
        double[] p2 = flat(pose(-0.5, 0, 0));
        for (int i = 0; i < 75; i++) {
            a.data[150 + i] = (float) p1[i];       // actor 1 rows 1, 2
            a.data[2 * 150 + i] = (float) p1[i] + 0.1f;
            a.data[75 + i] = (float) p2[i];        // actor 2 rows 0, 1
            a.data[150 + 75 + i] = (float) p2[i];
        }
        MampNtuPipeline.translate(a, NAME);
        float ox = (float) p1[3];
        float oy = (float) p1[4];
        float oz = (float) p1[5];
        assertThat(a.actorMissing(0, 0)).isTrue();
        assertThat(a.actorMissing(2, 1)).isTrue();
        assertThat(a.get(1, 0, 1, 0)).isZero();
        assertThat(a.get(1, 0, 1, 1)).isZero();
        assertThat(a.get(1, 0, 1, 2)).isZero();
        assertThat(a.get(2, 0, 4, 1)).isEqualTo(((float) p1[13] + 0.1f) - oy);
        assertThat(a.get(0, 1, 7, 0)).isEqualTo((float) p2[21] - ox);
        assertThat(a.get(0, 1, 7, 2)).isEqualTo((float) p2[23] - oz);
    }

    @Test
    void twoActorArrayWithAnEmptySecondActorIsNotDuplicated() throws Exception {
        // two bodies one after the other: both join actor 1, actor 2 stays empty even under DUPLICATE
        NtuFixture fx = new NtuFixture();
        for (int f = 0; f < 40; f++) {
            fx.frame(body(f < 20 ? "1" : "2", pose(0.01 * f, 0, 0)));
        }
        Sample s = run(DUP, fx);
        assertThat(s.frames()).isEqualTo(40);
        for (int t = 0; t < 40; t++) {
            assertThat(actorZero(s, t, 0)).isFalse();
            assertThat(actorZero(s, t, 1)).isTrue();
        }
    }

    @Test
    void fileWithoutBodiesIsABadSample() {
        NtuFixture fx = new NtuFixture().emptyFrame().emptyFrame();
        assertThatThrownBy(() -> run(ZERO, fx)).isInstanceOf(BadSampleException.class)
                .hasMessage("no skeleton in any frame (2 frames)")
                .satisfies(e -> assertThat(((BadSampleException) e).sampleName()).isEqualTo("S001C002P003R001A050"));
    }

    @Test
    void onlyShortBodiesIsABadSample() {
        NtuFixture fx = new NtuFixture();
        for (int f = 0; f < 20; f++) {
            fx.frame(body(f < 10 ? "1" : "2", pose(0, 0, 0)));
        }
        assertThatThrownBy(() -> run(ZERO, fx)).isInstanceOf(BadSampleException.class)
                .hasMessageContaining("denoising left no body");
    }

    @Test
    void bodyIdRepeatedWithinAFrameIsABadSample() {
        NtuFixture fx = new NtuFixture()
                .frame(body("1", pose(0, 0, 0)), body("1", pose(1, 0, 0)))
                .frame(body("1", pose(0, 0, 0)));
        assertThatThrownBy(() -> run(ZERO, fx)).isInstanceOf(BadSampleException.class)
                .hasMessageContaining("bodyID 1 has 3 frame entries").hasMessageContaining("only 2 valid frames");
    }

    @Test
    void optionsNameThePipelineAndSecondActor() {
        assertThat(DUP.options()).containsEntry("pipeline", "mamp").containsEntry("secondActor", "duplicate");
        assertThat(SecondActor.officialFor(60)).isEqualTo(SecondActor.ZERO);
        assertThat(SecondActor.officialFor(120)).isEqualTo(SecondActor.DUPLICATE);
        assertThat(SecondActor.parse("Zero")).isEqualTo(SecondActor.ZERO);
    }
}
