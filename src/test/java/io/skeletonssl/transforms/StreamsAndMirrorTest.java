package io.skeletonssl.transforms;

import io.skeletonssl.layout.Layouts;
import io.skeletonssl.layout.SkeletonLayout;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamsAndMirrorTest {

    private static final SkeletonLayout NTU = Layouts.ntu25();

    @Test
    void ntuBonesFollowTheOfficialPairs() {
        Clip clip = Clips.random(5, 5, 25, 2, 13);
        Clip bone = Streams.bone(clip, NTU);
        for (int c = 0; c < 3; c++) {
            for (int t = 0; t < 5; t++) {
                for (int m = 0; m < 2; m++) {
                    // 1-based joint 21 is paired with itself: zero bone
                    assertThat(bone.get(c, t, 20, m)).isEqualTo(0f);
                    // 22 → 23 (hand tip → thumb), 23 → 8, 1 → 2, 4 → 3, 25 → 12
                    assertThat(bone.get(c, t, 21, m)).isEqualTo(clip.get(c, t, 21, m) - clip.get(c, t, 22, m));
                    assertThat(bone.get(c, t, 22, m)).isEqualTo(clip.get(c, t, 22, m) - clip.get(c, t, 7, m));
                    assertThat(bone.get(c, t, 0, m)).isEqualTo(clip.get(c, t, 0, m) - clip.get(c, t, 1, m));
                    assertThat(bone.get(c, t, 3, m)).isEqualTo(clip.get(c, t, 3, m) - clip.get(c, t, 2, m));
                    assertThat(bone.get(c, t, 24, m)).isEqualTo(clip.get(c, t, 24, m) - clip.get(c, t, 11, m));
                }
            }
        }
        assertThatThrownBy(() -> Streams.bone(Clips.random(2, 2, 20, 1, 1), NTU))
                .hasMessageContaining("ntu25 has 25 joints but the clip has 20");
    }

    @Test
    void motionIsTheForwardDifferenceWithAZeroLastFrame() {
        Clip clip = Clips.of(4, 2, 2, (c, t, v, m) -> (float) (t * t) + c + v * 10 + m * 100);
        Clip d = Streams.motion(clip);
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 2; v++) {
                for (int m = 0; m < 2; m++) {
                    assertThat(d.get(c, 0, v, m)).isEqualTo(1f);
                    assertThat(d.get(c, 1, v, m)).isEqualTo(3f);
                    assertThat(d.get(c, 2, v, m)).isEqualTo(5f);
                    assertThat(d.get(c, 3, v, m)).isEqualTo(0f);
                }
            }
        }
        assertThat(Streams.motionStream().apply(clip, null).data()).containsExactly(d.data());
    }

    @Test
    void mirrorSwapsSidesAndNegatesX() {
        Clip clip = Clips.random(3, 3, 25, 2, 17);
        Clip out = new Mirror(NTU).apply(clip, null);
        // ShoulderLeft (0-based 4) takes ShoulderRight (8); HandTipLeft (21) takes HandTipRight (23); spine stays
        int[][] pairs = {{4, 8}, {8, 4}, {21, 23}, {22, 24}, {12, 16}, {0, 0}, {20, 20}};
        for (int[] p : pairs) {
            for (int t = 0; t < 3; t++) {
                for (int m = 0; m < 2; m++) {
                    assertThat(out.get(0, t, p[0], m)).isEqualTo(-clip.get(0, t, p[1], m));
                    assertThat(out.get(1, t, p[0], m)).isEqualTo(clip.get(1, t, p[1], m));
                    assertThat(out.get(2, t, p[0], m)).isEqualTo(clip.get(2, t, p[1], m));
                }
            }
        }
        assertThatThrownBy(() -> new Mirror(new int[]{1, 2, 0})).hasMessageContaining("not an involution");
    }

    @Property(tries = 100)
    void mirroringTwiceIsTheIdentity(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int frames) {
        for (SkeletonLayout layout : new SkeletonLayout[]{NTU, Layouts.kinectV1(), Layouts.msr20()}) {
            Clip clip = Clips.random(frames, frames, layout.numJoints(), 2, seed);
            Mirror mirror = new Mirror(layout);
            Clip twice = mirror.apply(mirror.apply(clip, null), null);
            for (int i = 0; i < clip.data().length; i++) {
                assertThat(Float.floatToIntBits(twice.data()[i])).isEqualTo(Float.floatToIntBits(clip.data()[i]));
            }
        }
    }
}
