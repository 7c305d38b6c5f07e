package io.skeletonssl.formats.arrays;

import io.skeletonssl.layout.Layouts;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClassNamesTest {

    @Test
    void benchmarksGetTheirNamesOthersGetNumbers() {
        assertThat(ClassNames.guess(Layouts.ntu25(), 60)).hasSize(60).startsWith("drink water")
                .contains("handshaking");
        assertThat(ClassNames.guess(Layouts.ntu25(), 120)).hasSize(120);
        assertThat(ClassNames.guess(Layouts.ntu25(), 51)).hasSize(51).startsWith("bow");
        assertThat(ClassNames.guess(Layouts.ntu25(), 4)).containsExactly("class 0", "class 1", "class 2", "class 3");
        assertThat(ClassNames.guess(Layouts.msr20(), 60)).first().isEqualTo("class 0");
    }
}
