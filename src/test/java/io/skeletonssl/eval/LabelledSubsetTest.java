package io.skeletonssl.eval;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabelledSubsetTest {

    /** 10 classes of 100, 50, 20, 10, 5, 3, 2, 1, 1, 1 samples (unbalanced, like real splits). */
    static int[] labels() {
        int[] sizes = {100, 50, 20, 10, 5, 3, 2, 1, 1, 1};
        int[] out = new int[Arrays.stream(sizes).sum()];
        int k = 0;
        for (int c = 0; c < sizes.length; c++) {
            for (int i = 0; i < sizes[c]; i++) {
                out[k++] = c;
            }
        }
        return out;
    }

    @Test
    void plainDrawTakesIntOfNTimesRatioAndDiffersPerRepeat() {
        int[] y = labels(); // 193 samples
        int[] a = LabelledSubset.draw(y, 0.1, LabelledSubset.repeatSeed(7, 0), false);
        int[] b = LabelledSubset.draw(y, 0.1, LabelledSubset.repeatSeed(7, 1), false);
        assertThat(a).hasSize(19).isSorted().doesNotHaveDuplicates();
        assertThat(b).hasSize(19);
        assertThat(a).isNotEqualTo(b); // the official MAMP "repeats" were identical
        assertThat(LabelledSubset.draw(y, 0.1, LabelledSubset.repeatSeed(7, 0), false)).isEqualTo(a);
        // at least one sample even when int(N·ratio) is 0
        assertThat(LabelledSubset.draw(y, 0.001, 1, false)).hasSize(1);
    }

    @Test
    void stratifiedDrawLabelsEveryClassAtLeastOnce() {
        int[] y = labels();
        int[] s = LabelledSubset.draw(y, 0.01, 3, true);
        assertThat(LabelledSubset.missingClasses(y, s, 10)).isEmpty();
        // round(n_c·0.01) is 1 for the largest class, so every class contributes exactly one
        assertThat(s).hasSize(10);
        int[] plain = LabelledSubset.draw(y, 0.01, 3, false);
        assertThat(LabelledSubset.missingClasses(y, plain, 10)).isNotEmpty(); // 1 sample cannot cover 10 classes
    }

    @Test
    void badInputIsAClearError() {
        assertThatThrownBy(() -> LabelledSubset.draw(labels(), 0, 1, false)).hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> LabelledSubset.draw(new int[0], 0.1, 1, true)).hasMessageContaining("empty");
        assertThatThrownBy(() -> LabelledSubset.draw(new int[]{0, -1, 1}, 0.5, 1, true))
                .hasMessageContaining("sample 1 has no label");
    }

    @Property(tries = 60)
    void subsetsAreDistinctValidIndicesOfTheRightSize(@ForAll @DoubleRange(min = 0.01, max = 1.0) double ratio,
                                                      @ForAll @IntRange(min = 0, max = 10_000) int seed,
                                                      @ForAll boolean stratified) {
        int[] y = labels();
        int[] s = LabelledSubset.draw(y, ratio, seed, stratified);
        assertThat(s).isSorted().doesNotHaveDuplicates();
        assertThat(s[0]).isGreaterThanOrEqualTo(0);
        assertThat(s[s.length - 1]).isLessThan(y.length);
        if (stratified) {
            assertThat(LabelledSubset.missingClasses(y, s, 10)).isEmpty();
            int[] sizes = {100, 50, 20, 10, 5, 3, 2, 1, 1, 1};
            int expected = Arrays.stream(sizes).map(n -> Math.max(1, (int) Math.round(n * ratio))).sum();
            assertThat(s).hasSize(expected);
        } else {
            assertThat(s).hasSize(Math.max(1, (int) (y.length * ratio)));
        }
    }
}
