package io.skeletonssl.formats.ntu;

import io.skeletonssl.dataset.SampleMeta;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NtuNameTest {

    @Test
    void parsesAllFiveIds() {
        NtuName n = NtuName.parse("S017C003P020R002A060.skeleton");
        assertThat(n).isEqualTo(new NtuName(17, 3, 20, 2, 60));
        assertThat(n.label()).isEqualTo(59);
        assertThat(n.name()).isEqualTo("S017C003P020R002A060");
        assertThat(n.ntu120Only()).isFalse();
        assertThat(NtuName.parse("S018C001P045R001A001").ntu120Only()).isTrue();
        assertThat(NtuName.parse("S001C001P001R001A061").ntu120Only()).isTrue();
    }

    @Test
    void metaMapsPerformerToSubjectAndCameraToView() {
        SampleMeta m = NtuName.parse("S002C001P003R001A003").meta("/data/S002C001P003R001A003.skeleton");
        assertThat(m).isEqualTo(new SampleMeta("S002C001P003R001A003", 3, 1, 2, 1, "S002C001P003R001A003",
                "/data/S002C001P003R001A003.skeleton"));
    }

    @Test
    void rejectsOtherNames() {
        assertThat(NtuName.tryParse("S001C001P001R001A01.skeleton")).isEmpty();
        assertThat(NtuName.tryParse("s001c001p001r001a001.skeleton")).isEmpty();
        assertThat(NtuName.tryParse("S001C001P001R001A001.txt")).isEmpty();
        assertThat(NtuName.tryParse("S000C001P001R001A001")).isEmpty();
        assertThatThrownBy(() -> NtuName.parse("foo.skeleton")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'foo.skeleton' is not an NTU sample name");
    }

    @Test
    void actionNamesAreTheOfficialOnes() {
        assertThat(NtuActions.names(60)).hasSize(60);
        assertThat(NtuActions.names(120)).hasSize(120);
        assertThat(NtuActions.name(11)).isEqualTo("reading");
        assertThat(NtuActions.name(58)).isEqualTo("handshaking");
        assertThat(NtuActions.name(3)).isEqualTo("brushing teeth");
        assertThat(NtuActions.name(34)).isEqualTo("rub two hands together");
        assertThat(NtuActions.name(17)).isEqualTo("take off a shoe");
        assertThat(NtuActions.name(61)).isEqualTo("put on headphone");
        assertThat(NtuActions.name(120)).isEqualTo("finger-guessing game (playing rock-paper-scissors)");
    }
}
