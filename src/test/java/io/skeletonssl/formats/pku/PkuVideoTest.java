package io.skeletonssl.formats.pku;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PkuVideoTest {

    @Test
    void phaseOneNames() {
        assertThat(PkuVideo.parse("0002-L")).isEqualTo(new PkuVideo("0002-L", 1, 2, -1, -1, 1));
        assertThat(PkuVideo.parse("0334-M")).isEqualTo(new PkuVideo("0334-M", 1, 334, -1, -1, 2));
        assertThat(PkuVideo.parse("1002-R").view()).isEqualTo(3);
    }

    @Test
    void phaseTwoNames() {
        assertThat(PkuVideo.parse("A01N01-L")).isEqualTo(new PkuVideo("A01N01-L", 2, -1, 1, 1, 1));
        assertThat(PkuVideo.parse("A26N13-R")).isEqualTo(new PkuVideo("A26N13-R", 2, -1, 26, 13, 3));
    }

    @Test
    void otherNamesKeepWhatTheyCan() {
        assertThat(PkuVideo.parse("take1-M")).isEqualTo(new PkuVideo("take1-M", 0, -1, -1, -1, 2));
        assertThat(PkuVideo.parse("video")).isEqualTo(new PkuVideo("video", 0, -1, -1, -1, -1));
    }

    @Test
    void instanceNamesAreZeroPadded() {
        assertThat(PkuMmdSource.instanceName("0002-L", 7)).isEqualTo("0002-L_007");
        assertThat(PkuMmdSource.instanceName("A01N01-L", 123)).isEqualTo("A01N01-L_123");
    }
}
