package io.skeletonssl.eval;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ScoreFusionTest {

    static final List<String> NAMES = List.of("a", "b");
    static final int[] LABELS = {0, 2};

    static TestScores scores(float[][] s) {
        return new TestScores(s, LABELS, NAMES);
    }

    final TestScores joint = scores(new float[][] {{2, 1, 0}, {0, 3, 1}});
    final TestScores bone = scores(new float[][] {{0, 4, 0}, {1, 0, 5}});

    @Test
    void logitFusionIsTheWeightedSumOfRawScores() {
        TestScores f = ScoreFusion.fuse(List.of(joint, bone), List.of("j", "b"), new double[] {1, 0.5},
                ScoreFusion.Mode.LOGITS);
        // by hand: [2,1,0] + 0.5·[0,4,0] = [2,3,0]; [0,3,1] + 0.5·[1,0,5] = [0.5,3,3.5]
        assertThat(f.scores()[0]).containsExactly(2f, 3f, 0f);
        assertThat(f.scores()[1]).containsExactly(0.5f, 3f, 3.5f);
        assertThat(f.labels()).containsExactly(LABELS);
        assertThat(f.names()).isEqualTo(NAMES);
        // clip a: argmax 1 (label 0) wrong; clip b: argmax 2 (label 2) right
        assertThat(ScoreFusion.topK(f, 1)).isEqualTo(50.0);
        assertThat(ScoreFusion.topK(f, 2)).isEqualTo(100.0);
        // members alone: joint gets a right and b wrong; bone gets a wrong and b right
        assertThat(ScoreFusion.topK(joint, 1)).isEqualTo(50.0);
        assertThat(ScoreFusion.topK(bone, 1)).isEqualTo(50.0);
        // weight 0 leaves only the other member
        TestScores onlyJoint = ScoreFusion.fuse(List.of(joint, bone), List.of("j", "b"), new double[] {1, 0},
                ScoreFusion.Mode.LOGITS);
        assertThat(onlyJoint.scores()[1]).containsExactly(0f, 3f, 1f);
    }

    @Test
    void softmaxFusionAddsWeightedProbabilities() {
        TestScores f = ScoreFusion.fuse(List.of(joint, bone), List.of("j", "b"), new double[] {2, 1},
                ScoreFusion.Mode.SOFTMAX);
        double z0 = Math.exp(2) + Math.exp(1) + 1;
        double zb0 = 1 + Math.exp(4) + 1;
        assertThat(f.scores()[0][0]).isCloseTo((float) (2 * Math.exp(2) / z0 + 1 / zb0), within(1e-6f));
        assertThat(f.scores()[0][1]).isCloseTo((float) (2 * Math.exp(1) / z0 + Math.exp(4) / zb0), within(1e-6f));
        // every fused row sums to the weight total
        for (float[] row : f.scores()) {
            assertThat(row[0] + row[1] + row[2]).isCloseTo(3f, within(1e-5f));
        }
        // softmax is shift invariant, raw sums are not: a member's huge offset does not dominate
        TestScores shifted = scores(new float[][] {{1002, 1001, 1000}, {1000, 1003, 1001}});
        TestScores a = ScoreFusion.fuse(List.of(joint, bone), List.of("j", "b"), new double[] {1, 1}, ScoreFusion.Mode.SOFTMAX);
        TestScores b = ScoreFusion.fuse(List.of(shifted, bone), List.of("j", "b"), new double[] {1, 1}, ScoreFusion.Mode.SOFTMAX);
        assertThat(b.scores()[1][2]).isCloseTo(a.scores()[1][2], within(1e-5f));
        assertThat(ScoreFusion.softmax(new float[] {0, 0})).containsExactly(0.5, 0.5);
    }

    @Test
    void mismatchedMembersAndWeightsAreClearErrors() {
        TestScores otherNames = new TestScores(bone.scores(), LABELS, List.of("a", "c"));
        assertThatThrownBy(() -> ScoreFusion.fuse(List.of(joint, otherNames), List.of("runs/joint", "runs/bone"),
                new double[] {1, 1}, ScoreFusion.Mode.LOGITS))
                .hasMessageContaining("runs/bone").hasMessageContaining("test clip 1 is 'c'")
                .hasMessageContaining("in runs/joint it is 'b'");
        TestScores otherLabels = new TestScores(bone.scores(), new int[] {0, 1}, NAMES);
        assertThatThrownBy(() -> ScoreFusion.fuse(List.of(joint, otherLabels), List.of("j", "x"), new double[] {1, 1},
                ScoreFusion.Mode.LOGITS)).hasMessageContaining("x: test clip 1 ('b') has label 1, but 2 in j");
        TestScores fewer = new TestScores(new float[][] {{1, 2, 3}}, new int[] {0}, List.of("a"));
        assertThatThrownBy(() -> ScoreFusion.fuse(List.of(joint, fewer), List.of("j", "f"), new double[] {1, 1},
                ScoreFusion.Mode.LOGITS)).hasMessageContaining("f: 1 test clips, but j has 2");
        assertThatThrownBy(() -> ScoreFusion.fuse(List.of(joint, bone), List.of("j", "b"), new double[] {1, 1, 1},
                ScoreFusion.Mode.LOGITS)).hasMessageContaining("3 weights for 2 score sets");
        assertThatThrownBy(() -> ScoreFusion.fuse(List.of(joint, bone), List.of("j", "b"), new double[] {1, -1},
                ScoreFusion.Mode.LOGITS)).hasMessageContaining(">= 0");
        assertThatThrownBy(() -> ScoreFusion.fuse(List.of(joint, bone), List.of("j", "b"), new double[] {0, 0},
                ScoreFusion.Mode.LOGITS)).hasMessageContaining("at least one weight must be > 0");
        assertThat(ScoreFusion.parseWeights("1, 0.5,2")).containsExactly(1, 0.5, 2);
        assertThatThrownBy(() -> ScoreFusion.parseWeights("1,x")).hasMessageContaining("'x' is not a number");
        assertThatThrownBy(() -> ScoreFusion.mode("mean")).hasMessageContaining("logits or softmax");
    }
}
