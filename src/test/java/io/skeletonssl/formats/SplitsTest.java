package io.skeletonssl.formats;

import io.skeletonssl.dataset.Sample;
import io.skeletonssl.dataset.SampleMeta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SplitsTest {

    static Sample ntu(int setup, int camera, int subject, int action) {
        String name = String.format("S%03dC%03dP%03dR001A%03d", setup, camera, subject, action);
        return new Sample(new float[6], 1, 1, 2, 1, action - 1, new SampleMeta(name, subject, camera, setup, 1, name, null));
    }

    static Sample named(String name, String group, int subject, int view) {
        return new Sample(new float[3], 1, 1, 1, 1, 0, new SampleMeta(name, subject, view, -1, 1, group, null));
    }

    @Test
    void ntu60CrossSubjectHas20TrainingSubjects() {
        long train = IntStream.rangeClosed(1, 40)
                .filter(p -> "train".equals(Protocol.NTU60_XSUB.assign(ntu(1, 1, p, 1)))).count();
        assertThat(train).isEqualTo(20);
        assertThat(Protocol.NTU60_XSUB.assign(ntu(1, 1, 3, 1))).isEqualTo("test");
        assertThat(Protocol.NTU60_XSUB.assign(ntu(1, 1, 38, 1))).isEqualTo("train");
        assertThat(Protocol.NTU60_XSUB.assign(ntu(1, 1, 1, 61))).as("NTU-120 action").isNull();
        assertThat(Protocol.NTU60_XSUB.assign(ntu(18, 1, 1, 1))).as("NTU-120 setup").isNull();
    }

    @Test
    void ntu60CrossViewTrainsOnCameras2And3() {
        assertThat(Protocol.NTU60_XVIEW.assign(ntu(1, 1, 1, 1))).isEqualTo("test");
        assertThat(Protocol.NTU60_XVIEW.assign(ntu(1, 2, 1, 1))).isEqualTo("train");
        assertThat(Protocol.NTU60_XVIEW.assign(ntu(1, 3, 1, 1))).isEqualTo("train");
    }

    @Test
    void ntu120Splits() {
        long train = IntStream.rangeClosed(1, 106)
                .filter(p -> "train".equals(Protocol.NTU120_XSUB.assign(ntu(1, 1, p, 100)))).count();
        assertThat(train).isEqualTo(53);
        long setups = IntStream.rangeClosed(1, 32)
                .filter(s -> "train".equals(Protocol.NTU120_XSET.assign(ntu(s, 1, 1, 1)))).count();
        assertThat(setups).isEqualTo(16);
        assertThat(Protocol.NTU120_XSET.assign(ntu(2, 1, 1, 1))).isEqualTo("train");
        assertThat(Protocol.NTU120_XSET.assign(ntu(31, 1, 1, 1))).isEqualTo("test");
    }

    @Test
    void pkuMsrAndUtkinectProtocols() {
        assertThat(Protocol.PKU1_XSUB.assign(named("0291-L_00", "0291-L", -1, 1))).isEqualTo("test");
        assertThat(Protocol.PKU1_XSUB.assign(named("0334-R_03", "0334-R", -1, 3))).isEqualTo("test");
        assertThat(Protocol.PKU1_XSUB.assign(named("0290-M_01", "0290-M", -1, 2))).isEqualTo("train");
        assertThat(Protocol.PKU2_XSUB.assign(named("A01N02-L_00", "A01N02-L", 2, 1))).isEqualTo("test");
        assertThat(Protocol.PKU2_XSUB.assign(named("A01N13-L_00", "A01N13-L", 13, 1))).isEqualTo("train");
        assertThat(Protocol.PKU2_XVIEW.assign(named("A01N13-L_00", "A01N13-L", 13, 1))).isEqualTo("test");
        assertThat(Protocol.PKU2_XVIEW.assign(named("A01N13-M_00", "A01N13-M", 13, 2))).isEqualTo("train");
        long msrTrain = IntStream.rangeClosed(1, 10)
                .filter(s -> "train".equals(Protocol.MSR_XSUB.assign(named("x", "x", s, -1)))).count();
        assertThat(msrTrain).isEqualTo(5);
        assertThat(Protocol.MSR_XSUB.assign(named("x", "x", 9, -1))).isEqualTo("train");
        assertThat(Protocol.UTKINECT_XSUB.assign(named("x", "x", 5, -1))).isEqualTo("train");
        assertThat(Protocol.UTKINECT_XSUB.assign(named("x", "x", 6, -1))).isEqualTo("test");
    }

    @Test
    void unknownProtocolListsTheKnownOnes() {
        assertThatThrownBy(() -> Protocol.parse("ntu60-xsetup")).hasMessageContaining("unknown protocol")
                .hasMessageContaining("ntu60-xsub").hasMessageContaining("--split-file");
        assertThat(Protocol.parse("pku2-xview")).isEqualTo(Protocol.PKU2_XVIEW);
    }

    @Test
    void splitFileOfTrainingNames(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("train.txt");
        Files.writeString(f, "# training samples\nS001C001P001R001A001\n\nS001C001P003R001A001\nGHOST\n");
        SplitFile sf = SplitFile.load(f);
        assertThat(sf.assign(ntu(1, 1, 1, 1))).isEqualTo("train");
        assertThat(sf.assign(ntu(1, 1, 3, 1))).isEqualTo("train");
        assertThat(sf.assign(ntu(1, 1, 2, 1))).isEqualTo("test");
        assertThat(sf.unmatched()).containsExactly("GHOST (line 5)");
    }

    @Test
    void splitFileWithExplicitSplitsAndPkuFormat(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("splits.txt");
        Files.writeString(f, "a train\nb val\nc test\n");
        SplitFile sf = SplitFile.load(f);
        assertThat(sf.assign(named("b", "b", 1, 1))).isEqualTo("val");
        assertThat(sf.assign(named("z", "z", 1, 1))).as("unlisted with explicit splits").isNull();
        assertThat(sf.splitNames()).containsExactly("train", "val", "test");

        Path pku = dir.resolve("cross-subject.txt");
        Files.writeString(pku, "Training videos: \nA01N01-L, A01N01-M, A02N04-R\nValidation videos: \nA01N02-L, A01N03-M\n");
        SplitFile p = SplitFile.load(pku);
        assertThat(p.assign(named("A01N01-M_03", "A01N01-M", 1, 2))).as("matched by group").isEqualTo("train");
        assertThat(p.assign(named("A01N02-L_00", "A01N02-L", 2, 1))).isEqualTo("test");
        assertThat(p.unmatched()).containsExactly("A01N01-L (line 2)", "A02N04-R (line 2)", "A01N03-M (line 4)");
    }

    @Test
    void malformedSplitFilesNameTheLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.txt");
        Files.writeString(f, "a train\nb c d\n");
        assertThatThrownBy(() -> SplitFile.load(f)).hasMessageContaining("bad.txt line 2");
        Path mixed = dir.resolve("mixed.txt");
        Files.writeString(mixed, "a train\nb\n");
        assertThatThrownBy(() -> SplitFile.load(mixed)).hasMessageContaining("line 2").hasMessageContaining("mixes");
        Path dup = dir.resolve("dup.txt");
        Files.writeString(dup, "a train\na test\n");
        assertThatThrownBy(() -> SplitFile.load(dup)).hasMessageContaining("line 2").hasMessageContaining("already in split 'train'");
        Path empty = dir.resolve("empty.txt");
        Files.writeString(empty, "# nothing\n");
        assertThatThrownBy(() -> SplitFile.load(empty)).hasMessageContaining("lists no samples");
        assertThatThrownBy(() -> SplitFile.load(dir.resolve("none.txt"))).hasMessageContaining("none.txt");
    }
}
