package io.skeletonssl.eval;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccuracyTest {

    // 3 rows × 6 classes
    private static final float[] LOGITS = {
            0.1f, 0.9f, 0.3f, 0.2f, 0.0f, -1f,   // order: 1, 2, 3, 0, 4, 5
            5f, 4f, 3f, 2f, 1f, 0f,              // order: 0..5
            0f, 0f, 0f, 0f, 0f, 0f,              // ties: torch.topk's order 0..5
    };

    @Test
    void ranksAndTopK() {
        assertThat(Accuracy.rank(LOGITS, 0, 6, 1)).isZero();
        assertThat(Accuracy.rank(LOGITS, 0, 6, 0)).isEqualTo(3);
        assertThat(Accuracy.rank(LOGITS, 0, 6, 5)).isEqualTo(5);
        assertThat(Accuracy.rank(LOGITS, 1, 6, 5)).isEqualTo(5);
        int[] labels = {1, 4, 0};
        assertThat(Accuracy.correct(LOGITS, 6, labels, 1)).isEqualTo(2);   // rows 0 and 2
        assertThat(Accuracy.correct(LOGITS, 6, labels, 5)).isEqualTo(3);
        int[] wrong = {5, 5, 5};
        assertThat(Accuracy.correct(LOGITS, 6, wrong, 1)).isZero();
        assertThat(Accuracy.correct(LOGITS, 6, wrong, 5)).isZero();         // rank 5 is sixth
        assertThat(Accuracy.correct(LOGITS, 6, wrong, 6)).isEqualTo(3);
    }

    @Test
    void constantLogitsAreNotCorrectForEveryClass() {
        float[] flat = new float[4 * 3];
        assertThat(Accuracy.correct(flat, 3, new int[] {0, 1, 2, 2}, 1)).isEqualTo(1);
    }

    @Test
    void badInput() {
        assertThatThrownBy(() -> Accuracy.correct(LOGITS, 6, new int[] {1, 2}, 1)).hasMessageContaining("logits for 2 rows");
        assertThatThrownBy(() -> Accuracy.rank(LOGITS, 0, 6, 6)).hasMessageContaining("outside 0..5");
    }
}
