package io.skeletonssl.synth;

import io.skeletonssl.dataset.StreamSample;
import io.skeletonssl.formats.Protocol;
import io.skeletonssl.formats.SplitAssigner;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Synthetic untrimmed streams: labels, background, determinism and the subject-based split. */
class SyntheticStreamsTest {

    private static final SynthConfig CONFIG = SynthConfig.small().withClasses(12).withFrames(40, 90);

    @Test
    void streamJoinsDistinctSinglePersonActionsWithBackgroundBetween() {
        SyntheticGenerator g = new SyntheticGenerator(CONFIG);
        SyntheticStreams streams = new SyntheticStreams(g, 5, 3, 10);
        for (int s = 0; s < 5; s++) {
            StreamSample st = streams.generate(s);
            assertThat(st.segments()).hasSize(3);
            Set<Integer> classes = new HashSet<>();
            int previousEnd = 0;
            for (StreamSample.Segment seg : st.segments()) {
                assertThat(classes.add(seg.label())).isTrue();
                assertThat(g.classes().get(seg.label()).twoPerson()).isFalse();
                assertThat(seg.start()).isGreaterThan(previousEnd); // idle / transition frames before each action
                previousEnd = seg.end();
            }
            assertThat(previousEnd).isLessThan(st.frames()); // idle after the last action
            int[] expected = StreamSample.frameLabels(st.frames(), st.segments());
            assertThat(st.frameLabels()).containsExactly(expected);
            long action = Arrays.stream(st.frameLabels()).filter(l -> l > 0).count();
            assertThat(action).isEqualTo(st.segments().stream().mapToInt(x -> x.end() - x.start()).sum());
            // person 2 is empty: single-person classes only
            for (int c = 0; c < 3; c++) {
                for (int t = 0; t < st.frames(); t++) {
                    for (int v = 0; v < st.joints(); v++) {
                        assertThat(st.data()[((c * st.frames() + t) * st.joints() + v) * 2 + 1]).isZero();
                    }
                }
            }
        }
    }

    @Test
    void actionFramesAreTheClipsOwnAndTransitionsAreContinuous() {
        SyntheticGenerator g = new SyntheticGenerator(CONFIG);
        SyntheticStreams streams = new SyntheticStreams(g, 1, 2, 8);
        StreamSample st = streams.generate(0);
        int[] classes = streams.classesOf(0);
        var clip = g.generate(g.index(1, 1, 1, classes[0]));
        int plane = st.joints() * 2;
        // frames of the first clip are copied unchanged
        for (int t = 0; t < clip.frames(); t++) {
            assertThat(st.data()[(0 * st.frames() + t) * plane + 3 * 2]).isEqualTo(clip.data()[t * plane + 3 * 2]);
        }
        // the first transition frame lies between the clip's last frame and the next clip's first
        var next = g.generate(g.index(1, 1, 1, classes[1]));
        float a = clip.data()[(clip.frames() - 1) * plane];
        float b = next.data()[0];
        float mid = st.data()[clip.frames() * plane];
        assertThat(mid).isBetween(Math.min(a, b), Math.max(a, b));
        assertThat(st.frames()).isEqualTo(clip.frames() + 8 + next.frames());
    }

    @Test
    void deterministicAndSplitBySubjectLikeTheClips() {
        SyntheticStreams a = new SyntheticStreams(new SyntheticGenerator(CONFIG), 6, 3, 10);
        SyntheticStreams b = new SyntheticStreams(new SyntheticGenerator(CONFIG), 6, 3, 10);
        SplitAssigner split = SplitAssigner.withStreamSplits(Protocol.NTU60_XSUB);
        for (int s = 0; s < 6; s++) {
            StreamSample x = a.generate(s);
            assertThat(x.data()).containsExactly(b.generate(s).data());
            assertThat(x.meta().subject()).isEqualTo(s % CONFIG.subjects() + 1);
            String expected = Protocol.NTU60_XSUB.assign(g(x)) + "_streams";
            assertThat(split.assign(x)).isEqualTo(expected);
        }
        assertThat(new SyntheticStreams(new SyntheticGenerator(CONFIG), 6, 3, 10).generate(0).data())
                .isNotEqualTo(new SyntheticStreams(new SyntheticGenerator(CONFIG.withSeed(9)), 6, 3, 10).generate(0).data());
        assertThatThrownBy(() -> new SyntheticStreams(new SyntheticGenerator(CONFIG.withClasses(2)), 1, 3, 10))
                .hasMessageContaining("actions per stream must be 1..2");
    }

    /** A clip of the same subject, to compare the protocol's decision. */
    private static io.skeletonssl.dataset.Sample g(StreamSample s) {
        SyntheticGenerator gen = new SyntheticGenerator(CONFIG);
        return gen.generate(gen.index(s.meta().subject(), 1, 1, 0));
    }
}
