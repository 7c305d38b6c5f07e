package io.skeletonssl.formats.ntu;

import io.skeletonssl.dataset.BadSampleException;
import io.skeletonssl.dataset.Record;
import io.skeletonssl.dataset.Sample;
import io.skeletonssl.formats.Converter;
import io.skeletonssl.formats.Protocol;
import io.skeletonssl.formats.SampleSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static io.skeletonssl.formats.ntu.NtuFixture.body;
import static io.skeletonssl.formats.ntu.NtuFixture.pose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The folder source on synthetic files (the real files are in {@link NtuRealDataTest}). */
class NtuRawSourceTest {

    static {
        System.setProperty("skeletonssl.quiet", "true");
    }

    private static NtuFixture walk(int frames) {
        NtuFixture fx = new NtuFixture();
        for (int f = 0; f < frames; f++) {
            fx.frame(body("72057594037931101", pose(0.01 * f, 0, 0.02 * f)));
        }
        return fx;
    }

    private static List<SampleSource.Unit> units(SampleSource s) throws Exception {
        List<SampleSource.Unit> out = new ArrayList<>();
        for (Iterator<SampleSource.Unit> it = s.units(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    @Test
    void listsSkeletonFilesSortedByNameAndIgnoresOthers(@TempDir Path dir) throws Exception {
        walk(5).write(dir, "S002C001P003R001A003.skeleton", "\r\n");
        walk(6).write(dir, "S001C001P001R001A011.skeleton", "\n");
        Files.createDirectories(dir.resolve("more"));
        walk(7).write(dir.resolve("more"), "S001C002P001R001A011.skeleton", "\n");
        Files.writeString(dir.resolve("README.txt"), "not a skeleton");
        Files.writeString(dir.resolve("S001C001P001R001A012.skeleton.bak"), "junk");
        NtuRawSource src = new NtuRawSource(dir, NtuRawSource.Pipeline.MAMP, SecondActor.ZERO, 300);
        assertThat(src.size()).isEqualTo(3);
        List<SampleSource.Unit> units = units(src);
        assertThat(units).extracting(SampleSource.Unit::name).containsExactly(
                "S001C001P001R001A011.skeleton", "S001C002P001R001A011.skeleton", "S002C001P003R001A003.skeleton");
        List<Record> records = units.get(2).read();
        Sample s = (Sample) records.get(0);
        assertThat(s.frames()).isEqualTo(5);
        assertThat(s.label()).isEqualTo(2);
        assertThat(s.meta().name()).isEqualTo("S002C001P003R001A003");
        assertThat(s.meta().subject()).isEqualTo(3);
        assertThat(s.meta().view()).isEqualTo(1);
        assertThat(s.meta().setup()).isEqualTo(2);
        assertThat(s.meta().replication()).isEqualTo(1);
        assertThat(s.meta().group()).isEqualTo("S002C001P003R001A003");
        assertThat(s.meta().source()).isEqualTo(dir.resolve("S002C001P003R001A003.skeleton").toString());
    }

    @Test
    void infoDescribesTheDataset(@TempDir Path dir) throws Exception {
        walk(5).write(dir, "S017C001P001R001A060.skeleton", "\n");
        SampleSource.Info info = new NtuRawSource(dir, NtuRawSource.Pipeline.MAMP, SecondActor.DUPLICATE, 300).info();
        assertThat(info.format()).isEqualTo("ntu-raw");
        assertThat(info.layout().name()).isEqualTo("ntu25");
        assertThat(info.persons()).isEqualTo(2);
        assertThat(info.maxFrames()).isEqualTo(300);
        assertThat(info.numClasses()).isEqualTo(60);
        assertThat(info.classNames()).hasSize(60).startsWith("drink water");
        assertThat(info.options()).isEqualTo(Map.of("pipeline", "mamp", "secondActor", "duplicate", "maxFrames", 300));
        SampleSource.Info pcm3 = new NtuRawSource(dir, NtuRawSource.Pipeline.PCM3, SecondActor.ZERO, 64).info();
        assertThat(pcm3.options()).isEqualTo(Map.of("pipeline", "pcm3", "maxFrames", 64));
        assertThat(pcm3.maxFrames()).isEqualTo(64);
    }

    @Test
    void ntu120IsDetectedFromActionsOrSetups(@TempDir Path dir) throws Exception {
        walk(5).write(dir, "S017C001P001R001A060.skeleton", "\n");
        assertThat(NtuRawSource.official(dir, NtuRawSource.Pipeline.MAMP).info().options())
                .containsEntry("secondActor", "zero");
        walk(5).write(dir, "S018C001P001R001A001.skeleton", "\n");
        NtuRawSource src = NtuRawSource.official(dir, NtuRawSource.Pipeline.MAMP);
        assertThat(src.info().numClasses()).isEqualTo(120);
        assertThat(src.info().classNames()).hasSize(120).endsWith("finger-guessing game (playing rock-paper-scissors)");
        assertThat(src.info().options()).containsEntry("secondActor", "duplicate");
        Files.delete(dir.resolve("S018C001P001R001A001.skeleton"));
        walk(5).write(dir, "S001C001P001R001A061.skeleton", "\n");
        assertThat(new NtuRawSource(dir, NtuRawSource.Pipeline.PCM3, SecondActor.ZERO, 300).info().numClasses())
                .isEqualTo(120);
    }

    @Test
    void badFilesBecomeBadSamples(@TempDir Path dir) throws Exception {
        new NtuFixture().emptyFrame().emptyFrame().write(dir, "S001C001P001R001A001.skeleton", "\n");
        Files.writeString(dir.resolve("S001C001P001R001A002.skeleton"), "2\n1\n");
        walk(3).write(dir, "walk.skeleton", "\n");
        for (NtuRawSource.Pipeline p : NtuRawSource.Pipeline.values()) {
            List<SampleSource.Unit> units = units(new NtuRawSource(dir, p, SecondActor.ZERO, 300));
            assertThatThrownBy(units.get(0)::read).isInstanceOf(BadSampleException.class)
                    .hasMessage("no skeleton in any frame (2 frames)");
            assertThatThrownBy(units.get(1)::read).isInstanceOf(BadSampleException.class)
                    .hasMessageContaining("S001C001P001R001A002.skeleton:3: truncated file")
                    .satisfies(e -> assertThat(((BadSampleException) e).sampleName()).isEqualTo("S001C001P001R001A002"));
            assertThatThrownBy(units.get(2)::read).isInstanceOf(BadSampleException.class)
                    .hasMessageContaining("walk.skeleton: file name is not an NTU sample name");
        }
    }

    @Test
    void emptyFolderSaysNoSkeletonFilesWereFound(@TempDir Path dir) throws Exception {
        Path empty = Files.createDirectories(dir.resolve("raw"));
        Files.writeString(empty.resolve("notes.txt"), "no skeletons here\n");
        for (NtuRawSource.Pipeline p : NtuRawSource.Pipeline.values()) {
            assertThatThrownBy(() -> new NtuRawSource(empty, p, SecondActor.ZERO, 300))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("no NTU .skeleton files found in " + empty);
            assertThatThrownBy(() -> NtuRawSource.official(empty, p))
                    .hasMessageContaining("no NTU .skeleton files found in " + empty);
        }
    }

    @Test
    void missingOrWrongFolderIsAClearIoError(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nturgb+d_skeletons");
        assertThatThrownBy(() -> new NtuRawSource(missing, NtuRawSource.Pipeline.MAMP, SecondActor.ZERO, 300))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("NTU skeleton folder not found");
        Path file = walk(2).write(dir, "S001C001P001R001A001.skeleton", "\n");
        assertThatThrownBy(() -> new NtuRawSource(file, NtuRawSource.Pipeline.MAMP, SecondActor.ZERO, 300))
                .isInstanceOf(NotDirectoryException.class).hasMessageContaining("expected a folder");
        Files.createDirectories(dir.resolve("b"));
        walk(2).write(dir.resolve("b"), "S001C001P001R001A001.skeleton", "\n");
        assertThatThrownBy(() -> new NtuRawSource(dir, NtuRawSource.Pipeline.MAMP, SecondActor.ZERO, 300))
                .hasMessageContaining("two files named S001C001P001R001A001.skeleton");
    }

    @Test
    void converterSkipsAndReportsBadFiles(@TempDir Path dir) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        walk(20).write(in, "S001C001P001R001A001.skeleton", "\r\n");
        walk(30).write(in, "S001C001P003R001A002.skeleton", "\n");
        new NtuFixture().emptyFrame().write(in, "S001C001P002R001A003.skeleton", "\n");
        NtuRawSource src = new NtuRawSource(in, NtuRawSource.Pipeline.PCM3, SecondActor.ZERO, 300);
        Converter.Report r = new Converter(2).convert(src, Protocol.NTU60_XSUB, dir.resolve("out"), "synthetic",
                Map.of(), false, false);
        assertThat(r.written()).isEqualTo(2);
        assertThat(r.skipped()).isEqualTo(1);
        assertThat(r.manifest().skipped()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("S001C001P002R001A003");
            assertThat(s.reason()).isEqualTo("no skeleton in any frame (1 frames)");
        });
    }
}
