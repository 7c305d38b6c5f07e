package io.skeletonssl.eval.motion;

import io.skeletonssl.dataset.SkeletonDataset;
import io.skeletonssl.transforms.Clip;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MotionWindowsTest {

    /** Clips: 0 long, 1 short (59), 2 exactly 60, 3 two-person long, 4 two-person short, 5 long. */
    static final int[] VALID = {100, 59, 60, 110, 30, 120};

    @TempDir
    static Path tmp;
    static SkeletonDataset ds;

    @BeforeAll
    static void setUp() throws Exception {
        ds = SkeletonDataset.open(MotionTestData.write(tmp.resolve("d"), VALID, List.of(3, 4), Map.of("units", "metres")));
    }

    @AfterAll
    static void tearDown() throws Exception {
        ds.close();
    }

    @Test
    void keepsSinglePersonClipsOfAtLeastTheWindowAndCountsTheSkips() throws Exception {
        MotionWindows.Selection s = MotionWindows.select(ds.clips("test"), 60);
        assertThat(s.clips()).containsExactly(0, 2, 5);
        assertThat(s.validFrames()).containsExactly(100, 60, 120);
        assertThat(s.twoPerson()).isEqualTo(2); // checked first: clip 4 is short too but counts here
        assertThat(s.tooShort()).isEqualTo(1);
        assertThat(s.emptyFrames()).isZero();
        assertThat(s.total()).isEqualTo(6);
    }

    @Test
    void aClipWithAnEmptyFrameIsSkipped() throws Exception {
        float[] data = ds.clips("test").read(0);
        assertThat(MotionWindows.hasEmptyFrame(data, 120, 25, 2, 100)).isFalse();
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 25; v++) {
                data[((c * 120 + 40) * 25 + v) * 2] = 0f; // person 1 lost in frame 40
            }
        }
        assertThat(MotionWindows.hasEmptyFrame(data, 120, 25, 2, 100)).isTrue();
        assertThat(MotionWindows.hasEmptyFrame(data, 120, 25, 2, 40)).isFalse();
    }

    @Test
    void testWindowsAreFixedAndTrainWindowsChangeWithTheEpoch() throws Exception {
        MotionWindows.Selection s = MotionWindows.select(ds.clips("test"), 60);
        List<MotionWindows.Window> a = MotionWindows.test(s, 60, 7);
        assertThat(MotionWindows.test(s, 60, 7)).isEqualTo(a);
        assertThat(a).extracting(MotionWindows.Window::clip).containsExactly(0, 2, 5);
        for (int k = 0; k < a.size(); k++) {
            assertThat(a.get(k).start()).isBetween(0, s.validFrames()[k] - 60);
        }
        assertThat(a.get(1).start()).isZero(); // a 60-frame clip has one window
        // the draw of a clip depends on its index only, not on which other clips were kept
        MotionWindows.Selection only5 = new MotionWindows.Selection(new int[] {5}, new int[] {120}, 0, 0, 0, 1);
        assertThat(MotionWindows.test(only5, 60, 7).get(0)).isEqualTo(a.get(2));
        // 120 − 60 + 1 = 61 possible starts for clip 5: over 20 epochs the training windows move
        long distinct = java.util.stream.IntStream.range(0, 20)
                .map(e -> MotionWindows.train(s, 60, 7, e).get(2).start()).distinct().count();
        assertThat(distinct).isGreaterThan(5);
        assertThat(MotionWindows.train(s, 60, 7, 3)).isEqualTo(MotionWindows.train(s, 60, 7, 3));
    }

    @Test
    void posesAreFrameMajorInMetresAndTheObservedClipHasOnlyPersonOne() throws Exception {
        SkeletonDataset.ClipSplit test = ds.clips("test");
        float[] data = test.read(3); // the two-person clip
        float[] p = MotionWindows.poses(data, 120, 25, 2, 5, 3, 0.001);
        assertThat(p).hasSize(3 * 25 * 3);
        // frame 2 of the window = clip frame 7, joint 4, z
        assertThat(p[(2 * 25 + 4) * 3 + 2]).isCloseTo(MotionTestData.value(4, 2, 7) * 0.001f, within(1e-7f));
        Clip c = MotionWindows.observed(data, 120, 25, 2, 5, 50);
        assertThat(c.frames()).isEqualTo(50);
        assertThat(c.validFrames()).isEqualTo(50);
        assertThat(c.get(1, 0, 3, 0)).isEqualTo(MotionTestData.value(3, 1, 5)); // dataset units, person 1
        for (int i = 1; i < c.data().length; i += 2) {
            assertThat(c.data()[i]).isZero(); // person 2 zeroed
        }
    }

    @Test
    void zeroVelocityBaselineRepeatsTheLastObservedPose() {
        float[] last = {1, 2, 3, 4, 5, 6};
        assertThat(WindowBatches.repeatLast(last, 2, 3)).containsExactly(1, 2, 3, 1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6,
                4, 5, 6);
    }
}
