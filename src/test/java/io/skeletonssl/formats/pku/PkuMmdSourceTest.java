package io.skeletonssl.formats.pku;

import io.skeletonssl.dataset.Manifest;
import io.skeletonssl.dataset.Record;
import io.skeletonssl.dataset.Sample;
import io.skeletonssl.dataset.SkeletonDataset;
import io.skeletonssl.dataset.StreamSample;
import io.skeletonssl.formats.Converter;
import io.skeletonssl.formats.Protocol;
import io.skeletonssl.formats.SplitFile;
import io.skeletonssl.layout.Layouts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.skeletonssl.formats.pku.PkuFixtures.Outcome;
import static io.skeletonssl.formats.pku.PkuFixtures.run;
import static io.skeletonssl.formats.pku.PkuFixtures.value;
import static io.skeletonssl.formats.pku.PkuFixtures.video;
import static io.skeletonssl.formats.pku.PkuFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PkuMmdSourceTest {

    @TempDir
    Path root;

    private PkuMmdSource trimmed() throws IOException {
        return PkuMmdSource.openRoot(root, PkuMmdSource.Options.trimmed());
    }

    private PkuMmdSource untrimmed() throws IOException {
        return PkuMmdSource.openRoot(root, PkuMmdSource.Options.untrimmed());
    }

    private static Sample sample(Outcome o) {
        assertThat(o.bad()).as("unit %s should not be skipped", o.unit()).isNull();
        assertThat(o.records()).hasSize(1);
        return (Sample) o.records().get(0);
    }

    /** Asserts that sample frame f is file row {@code row} (all 2 × 25 × 3 values). */
    private static void assertFrameIsRow(Sample s, int f, int row) {
        for (int m = 0; m < 2; m++) {
            for (int v = 0; v < 25; v++) {
                for (int c = 0; c < 3; c++) {
                    assertThat(s.get(c, f, v, m)).as("c=%d f=%d v=%d m=%d", c, f, v, m)
                            .isEqualTo(value(row, (m * 25 + v) * 3 + c));
                }
            }
        }
    }

    @Test
    void trimmedInstanceIsRowsStartToEndExclusiveInCtvmOrder() throws IOException {
        video(root, "0002-L", 12, "5,2,6,0.9\n51,0,3,1\n");
        Map<String, Outcome> out = run(trimmed());
        assertThat(out.keySet()).containsExactly("0002-L_000", "0002-L_001");

        Sample a = sample(out.get("0002-L_000"));
        assertThat(a.frames()).isEqualTo(4);
        assertThat(a.validFrames()).isEqualTo(4);
        assertThat(a.joints()).isEqualTo(25);
        assertThat(a.persons()).isEqualTo(2);
        assertThat(a.label()).isEqualTo(4);
        for (int f = 0; f < 4; f++) {
            assertFrameIsRow(a, f, 2 + f);
        }
        // body 2, joint 1 (0-based 0), z is column 75 + 2 of the row
        assertThat(a.get(2, 0, 0, 1)).isEqualTo(value(2, 77));
        assertThat(a.meta().group()).isEqualTo("0002-L");
        assertThat(a.meta().view()).isEqualTo(1);
        assertThat(a.meta().subject()).isEqualTo(-1);
        assertThat(a.meta().source()).contains("0002-L.txt").contains("[2, 6)");

        Sample b = sample(out.get("0002-L_001"));
        assertThat(b.label()).isEqualTo(50);
        assertThat(b.frames()).isEqualTo(3);
        assertFrameIsRow(b, 0, 0);
        assertFrameIsRow(b, 2, 2);
    }

    @Test
    void longInstancesAreTruncatedToMaxFrames() throws IOException {
        video(root, "0003-M", 360, "3,10,350,1\n7,0,300,1\n");
        Map<String, Outcome> out = run(trimmed());
        Sample s = sample(out.get("0003-M_000"));
        assertThat(s.frames()).isEqualTo(300);
        assertThat(s.validFrames()).isEqualTo(300);
        assertFrameIsRow(s, 0, 10);
        assertFrameIsRow(s, 299, 309);
        assertThat(sample(out.get("0003-M_001")).frames()).isEqualTo(300);

        PkuMmdSource short40 = PkuMmdSource.openRoot(root,
                new PkuMmdSource.Options(PkuMmdSource.Mode.TRIMMED, PkuMmdSource.Pipeline.MAMP, 40));
        Sample t = sample(run(short40).get("0003-M_000"));
        assertThat(t.frames()).isEqualTo(40);
        assertFrameIsRow(t, 39, 49);
        assertThat(short40.info().maxFrames()).isEqualTo(40);
    }

    @Test
    void endPastTheVideoIsClampedLikeNumpySlicing() throws IOException {
        video(root, "0004-R", 10, "1,6,25,1\n");
        Sample s = sample(run(trimmed()).get("0004-R_000"));
        assertThat(s.frames()).isEqualTo(4);
        assertFrameIsRow(s, 3, 9);
        assertThat(s.meta().source()).contains("[6, 10)").contains("clamped");
        assertThat(s.meta().view()).isEqualTo(3);
    }

    @Test
    void rowsCoveringNoFrameOrWithBadLabelsAreSkippedWithTheirLine() throws IOException {
        video(root, "0005-L", 10, "1,5,5,1\n2,8,3,1\n3,10,12,1\n0,1,2,1\n52,1,2,1\n4,-1,3,1\n6,1,2,1\n");
        Map<String, Outcome> out = run(trimmed());
        assertThat(out).hasSize(7);
        assertThat(out.get("0005-L_000").bad().getMessage()).contains("line 1").contains("start frame 5 ≥ end frame 5");
        assertThat(out.get("0005-L_001").bad().getMessage()).contains("line 2").contains("8 ≥ end frame 3");
        assertThat(out.get("0005-L_002").bad().getMessage()).contains("line 3").contains("past the end")
                .contains("10 frames");
        assertThat(out.get("0005-L_003").bad().getMessage()).contains("line 4").contains("label 0 outside 1..51");
        assertThat(out.get("0005-L_004").bad().getMessage()).contains("line 5").contains("label 52 outside 1..51");
        assertThat(out.get("0005-L_005").bad().getMessage()).contains("line 6").contains("negative");
        assertThat(out.get("0005-L_000").bad().sampleName()).isEqualTo("0005-L_000");
        assertThat(sample(out.get("0005-L_006")).label()).isEqualTo(5);
    }

    @Test
    void skeletonRowWithWrongValueCountNamesFileAndLine() throws IOException {
        String good = PkuFixtures.frames(4);
        String[] lines = good.split("\n");
        lines[2] = lines[2].substring(0, lines[2].lastIndexOf(' '));
        write(root.resolve("skeleton/0006-L.txt"), String.join("\n", lines) + "\n");
        write(root.resolve("label/0006-L.txt"), "1,0,2,1\n2,2,4,1\n");
        Map<String, Outcome> out = run(trimmed());
        for (Outcome o : out.values()) {
            assertThat(o.bad().getMessage()).contains("0006-L.txt line 3").contains("expected 150 numbers, found 149");
        }
        assertThat(out).hasSize(2);
    }

    @Test
    void nonNumberTokenNamesFileAndLine() throws IOException {
        String[] lines = PkuFixtures.frames(3).split("\n");
        lines[1] = lines[1].replaceFirst(" \\S+ ", " 0.5x0 ");
        write(root.resolve("skeleton/0007-L.txt"), String.join("\n", lines));
        write(root.resolve("label/0007-L.txt"), "1,0,2,1\n");
        Outcome o = run(trimmed()).get("0007-L_000");
        assertThat(o.bad().getMessage()).contains("0007-L.txt line 2").contains("'0.5x0' is not a number");
    }

    @Test
    void nanSkipsOnlyTheInstancesThatContainIt() throws IOException {
        String[] lines = PkuFixtures.frames(8).split("\n");
        lines[5] = lines[5].replaceFirst("^\\S+", "nan");
        write(root.resolve("skeleton/0008-L.txt"), String.join("\n", lines) + "\n");
        write(root.resolve("label/0008-L.txt"), "1,0,4,1\n2,4,8,1\n");
        Map<String, Outcome> out = run(trimmed());
        assertThat(sample(out.get("0008-L_000")).frames()).isEqualTo(4);
        assertThat(out.get("0008-L_001").bad().getMessage()).contains("0008-L.txt line 6").contains("NaN");

        Outcome stream = run(untrimmed()).get("0008-L");
        assertThat(stream.bad().getMessage()).contains("line 6").contains("NaN");
    }

    @Test
    void blankLinesDoNotCountAsFramesButErrorsKeepFileLines() throws IOException {
        String[] lines = PkuFixtures.frames(4).split("\n");
        String text = lines[0] + "\n\n" + lines[1] + "\n" + lines[2] + "\n" + lines[3] + "\n\n";
        write(root.resolve("skeleton/0009-L.txt"), text);
        write(root.resolve("label/0009-L.txt"), "1,1,3,1\n");
        Sample s = sample(run(trimmed()).get("0009-L_000"));
        assertThat(s.frames()).isEqualTo(2);
        assertFrameIsRow(s, 0, 1);
    }

    @Test
    void malformedLabelFileSkipsTheVideoNamingTheLine() throws IOException {
        video(root, "0010-L", 5, "1,0,2,1\n3,1,2\n");
        video(root, "0011-L", 5, "1,0,2,1\n1,a,2,1\n");
        Map<String, Outcome> out = run(trimmed());
        assertThat(out.keySet()).containsExactly("0010-L", "0011-L");
        assertThat(out.get("0010-L").bad().getMessage()).contains("0010-L.txt line 2")
                .contains("expected 4 comma-separated values").contains("found 3");
        assertThat(out.get("0011-L").bad().getMessage()).contains("0011-L.txt line 2")
                .contains("start frame 'a' is not an integer");
    }

    @Test
    void labelValuesWrittenAsFloatsAndSpacesAreAccepted() throws IOException {
        video(root, "0012-L", 6, "4.0, 1.0, 3.0, 0.5\n");
        Sample s = sample(run(trimmed()).get("0012-L_000"));
        assertThat(s.label()).isEqualTo(3);
        assertFrameIsRow(s, 0, 1);
        assertThat(s.frames()).isEqualTo(2);
    }

    @Test
    void missingSkeletonOrLabelFileSkipsTheVideoWithAReason() throws IOException {
        video(root, "0013-L", 5, "1,0,2,1\n");
        write(root.resolve("label/0014-L.txt"), "1,0,2,1\n");
        write(root.resolve("skeleton/0015-L.txt"), PkuFixtures.frames(3));
        Map<String, Outcome> out = run(trimmed());
        assertThat(out.keySet()).containsExactly("0013-L_000", "0014-L", "0015-L");
        assertThat(out.get("0014-L").bad().getMessage()).contains("has no skeleton file")
                .contains("0014-L.txt");
        assertThat(out.get("0015-L").bad().getMessage()).contains("no label file");
        Map<String, Outcome> streams = run(untrimmed());
        assertThat(streams.get("0014-L").bad()).isNotNull();
        assertThat(streams.get("0015-L").bad()).isNotNull();
        assertThat(streams.get("0013-L").bad()).isNull();
    }

    @Test
    void allZeroInstancesAreSkippedAsInMamp() throws IOException {
        StringBuilder sb = new StringBuilder(PkuFixtures.frames(2));
        String zeros = String.join(" ", java.util.Collections.nCopies(150, "0.000000")) + "\n";
        sb.append(zeros).append(zeros);
        write(root.resolve("skeleton/0016-L.txt"), sb.toString());
        write(root.resolve("label/0016-L.txt"), "1,2,4,1\n1,1,3,1\n");
        Map<String, Outcome> out = run(trimmed());
        assertThat(out.get("0016-L_000").bad().getMessage()).contains("all-zero instance");
        Sample partly = sample(out.get("0016-L_001"));
        assertThat(partly.get(0, 1, 0, 0)).isEqualTo(0f);
        assertFrameIsRow(partly, 0, 1);
    }

    @Test
    void untrimmedStreamHasAllFramesLabelsAndSegments() throws IOException {
        // rows: [2,6) class 5; [4,9) class 7 overlaps and wins; reversed row covers nothing; end clamped
        video(root, "0017-L", 12, "5,2,6,1\n7,4,9,1\n9,8,3,1\n51,10,99,1\n");
        PkuMmdSource src = untrimmed();
        assertThat(src.size()).isEqualTo(1);
        Map<String, Outcome> out = run(src);
        StreamSample s = (StreamSample) out.get("0017-L").records().get(0);
        assertThat(s.frames()).isEqualTo(12);
        assertThat(s.frameLabels()).containsExactly(0, 0, 5, 5, 7, 7, 7, 7, 7, 0, 51, 51);
        assertThat(s.segments()).containsExactly(new StreamSample.Segment(4, 2, 6), new StreamSample.Segment(6, 4, 9),
                new StreamSample.Segment(50, 10, 12));
        assertThat(s.meta().name()).isEqualTo("0017-L");
        assertThat(s.meta().group()).isEqualTo("0017-L");
        int plane = 25 * 2;
        for (int t : new int[]{0, 7, 11}) {
            assertThat(s.data()[(1 * 12 + t) * plane + 3 * 2 + 1]).isEqualTo(value(t, (25 + 3) * 3 + 1));
        }
    }

    @Test
    void untrimmedVideoWithAnInvalidLabelIsSkipped() throws IOException {
        video(root, "0018-L", 6, "5,2,6,1\n60,1,3,1\n");
        Outcome o = run(untrimmed()).get("0018-L");
        assertThat(o.bad().getMessage()).contains("line 2").contains("label 60");
    }

    @Test
    void untrimmedKeepsAVideoWithAnEmptyLabelFileAsBackgroundButTrimmedReportsIt() throws IOException {
        video(root, "0019-L", 4, "\n");
        StreamSample s = (StreamSample) run(untrimmed()).get("0019-L").records().get(0);
        assertThat(s.frameLabels()).containsOnly(0);
        assertThat(s.segments()).isEmpty();
        assertThat(run(trimmed()).get("0019-L").bad().getMessage()).contains("lists no action instance");
    }

    @Test
    void infoDescribesTheDataset() throws IOException {
        video(root, "0002-L", 3, "1,0,2,1\n2,0,3,1\n");
        PkuMmdSource src = trimmed();
        assertThat(src.size()).isEqualTo(2);
        var info = src.info();
        assertThat(info.layout()).isEqualTo(Layouts.ntu25());
        assertThat(info.persons()).isEqualTo(2);
        assertThat(info.maxFrames()).isEqualTo(300);
        assertThat(info.numClasses()).isEqualTo(51);
        assertThat(info.classNames()).hasSize(51).startsWith("bow").endsWith("writing");
        assertThat(info.options()).containsEntry("pipeline", "mamp").containsEntry("mode", "trimmed");
    }

    @Test
    void pcm3PipelineLoopPadsCentresAndAligns() throws Exception {
        video(root, "0002-L", 12, "1,2,9,1\n");
        var pcm3 = new PkuMmdSource.Options(PkuMmdSource.Mode.TRIMMED, PkuMmdSource.Pipeline.PCM3, 20);
        List<Record> records = PkuFixtures.records(PkuMmdSource.openRoot(root, pcm3));
        assertThat(records).hasSize(1);
        Sample s = (Sample) records.get(0);
        assertThat(s.frames()).isEqualTo(20);
        assertThat(s.validFrames()).as("num_frame = the instance length").isEqualTo(7);
        // centred on person 0's SpineMid in every frame
        for (int t = 0; t < 20; t++) {
            for (int c = 0; c < 3; c++) {
                assertThat(s.get(c, t, 1, 0)).isEqualTo(0f);
            }
        }
        // shoulders (joints 4 -> 8) of person 0 at frame 0 along +x
        float dx = s.get(0, 0, 8, 0) - s.get(0, 0, 4, 0);
        float dy = s.get(1, 0, 8, 0) - s.get(1, 0, 4, 0);
        float dz = s.get(2, 0, 8, 0) - s.get(2, 0, 4, 0);
        assertThat(dx).isPositive();
        assertThat(Math.abs(dy) + Math.abs(dz)).isLessThan(1e-5f * dx);
        // loop padding: frame t + 7 repeats frame t
        for (int t = 0; t + 7 < 20; t++) {
            for (int v = 0; v < 25; v++) {
                for (int c = 0; c < 3; c++) {
                    assertThat(s.get(c, t + 7, v, 1)).isEqualTo(s.get(c, t, v, 1));
                }
            }
        }
        assertThat(PkuMmdSource.openRoot(root, pcm3).info().options().get("coordinates").toString())
                .contains("pre_normalization");
        var streams = new PkuMmdSource.Options(PkuMmdSource.Mode.UNTRIMMED, PkuMmdSource.Pipeline.PCM3, 300);
        assertThatThrownBy(() -> PkuMmdSource.openRoot(root, streams))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void missingFoldersAreReported() throws IOException {
        assertThatThrownBy(() -> PkuMmdSource.openRoot(root, PkuMmdSource.Options.trimmed()))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("skeleton/ and label/");
        write(root.resolve("PKU_Skeleton_Renew/0002-L.txt"), PkuFixtures.frames(3));
        write(root.resolve("Train_Label_PKU_final/0002-L.txt"), "1,0,3,1\n");
        assertThat(PkuMmdSource.openRoot(root, PkuMmdSource.Options.trimmed()).size()).isEqualTo(1);
        assertThatThrownBy(() -> PkuMmdSource.open(root.resolve("nope"), root, PkuMmdSource.Options.trimmed()))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("skeleton folder");
    }

    @Test
    void phaseOneCrossSubjectSplitThroughConverter() throws Exception {
        video(root, "0290-L", 5, "1,0,2,1\n2,2,5,1\n");
        video(root, "0291-M", 5, "3,0,2,1\n");
        video(root, "0334-R", 5, "4,0,2,1\n");
        video(root, "0335-L", 5, "5,0,2,1\n");
        Path out = root.resolve("out");
        var report = new Converter(2).convert(trimmed(), Protocol.PKU1_XSUB, out, "pku1", Map.of(), false, false);
        assertThat(report.written()).isEqualTo(5);
        try (SkeletonDataset ds = SkeletonDataset.open(out)) {
            var train = ds.clips("train");
            var test = ds.clips("test");
            assertThat(names(train)).containsExactly("0290-L_000", "0290-L_001", "0335-L_000");
            assertThat(names(test)).containsExactly("0291-M_000", "0334-R_000");
            assertThat(train.frames()).isEqualTo(300);
            assertThat(train.validFrames(1)).isEqualTo(3);
            assertThat(test.labels()).containsExactly(2, 3);
            Sample back = train.sample(1);
            assertFrameIsRow(back, 0, 2);
            assertThat(back.get(0, 3, 0, 0)).isEqualTo(0f); // padding past validFrames
        }
    }

    @Test
    void phaseTwoMetadataAndCrossSubjectAndCrossViewSplits() throws Exception {
        video(root, "A01N01-L", 4, "1,0,2,1\n");
        video(root, "A01N02-M", 4, "2,0,2,1\n");
        video(root, "A02N03-R", 4, "3,0,2,1\n");
        video(root, "A02N04-L", 4, "4,0,2,1\n");
        video(root, "A03N13-M", 4, "5,0,2,1\n");
        List<Record> records = PkuFixtures.records(trimmed());
        Sample first = (Sample) records.get(0);
        assertThat(first.meta().subject()).isEqualTo(1);
        assertThat(first.meta().view()).isEqualTo(1);
        assertThat(first.meta().group()).isEqualTo("A01N01-L");
        assertThat(((Sample) records.get(4)).meta().subject()).isEqualTo(13);
        assertThat(((Sample) records.get(4)).meta().view()).isEqualTo(2);

        Path xsub = root.resolve("xsub");
        new Converter(2).convert(trimmed(), Protocol.PKU2_XSUB, xsub, "pku2", Map.of(), false, false);
        try (SkeletonDataset ds = SkeletonDataset.open(xsub)) {
            assertThat(names(ds.clips("train"))).containsExactly("A01N01-L_000", "A02N04-L_000", "A03N13-M_000");
            assertThat(names(ds.clips("test"))).containsExactly("A01N02-M_000", "A02N03-R_000");
        }
        Path xview = root.resolve("xview");
        new Converter(2).convert(trimmed(), Protocol.PKU2_XVIEW, xview, "pku2", Map.of(), false, false);
        try (SkeletonDataset ds = SkeletonDataset.open(xview)) {
            assertThat(names(ds.clips("train"))).containsExactly("A01N02-M_000", "A02N03-R_000", "A03N13-M_000");
            assertThat(names(ds.clips("test"))).containsExactly("A01N01-L_000", "A02N04-L_000");
        }
    }

    @Test
    void officialSplitFileMatchesVideoNamesAsGroups() throws Exception {
        video(root, "0002-L", 4, "1,0,2,1\n2,1,3,1\n");
        video(root, "0002-M", 4, "3,0,2,1\n");
        video(root, "0003-L", 4, "4,0,2,1\n");
        Path split = root.resolve("cross-subject.txt");
        write(split, "Training videos: \n0002-L, 0003-L,\nValidataion videos: \n0002-M\n");
        Path out = root.resolve("out");
        var report = new Converter(1).convert(trimmed(), SplitFile.load(split), out, "pku1", Map.of(), false, false);
        assertThat(report.written()).isEqualTo(4);
        try (SkeletonDataset ds = SkeletonDataset.open(out)) {
            assertThat(names(ds.clips("train"))).containsExactly("0002-L_000", "0002-L_001", "0003-L_000");
            assertThat(names(ds.clips("test"))).containsExactly("0002-M_000");
        }
    }

    @Test
    void untrimmedStreamsRoundTripThroughConverter() throws Exception {
        video(root, "0290-L", 7, "5,1,3,1\n6,4,7,1\n");
        video(root, "0300-R", 5, "2,0,5,1\n");
        Path out = root.resolve("out");
        new Converter(2).convert(untrimmed(), Protocol.PKU1_XSUB, out, "pku1-det", Map.of(), false, false);
        try (SkeletonDataset ds = SkeletonDataset.open(out)) {
            assertThat(ds.manifest().splits().get("train").kind()).isEqualTo(Manifest.Kind.streams);
            var train = ds.streams("train");
            StreamSample s = train.stream(0);
            assertThat(s.frameLabels()).containsExactly(0, 5, 5, 0, 6, 6, 6);
            assertThat(s.segments()).containsExactly(new StreamSample.Segment(4, 1, 3), new StreamSample.Segment(5, 4, 7));
            StreamSample t = ds.streams("test").stream(0);
            assertThat(t.meta().name()).isEqualTo("0300-R");
            assertThat(t.frameLabels()).containsOnly(2);
            assertThat(t.meta().view()).isEqualTo(3);
        }
    }

    @Test
    void instancesOfOneVideoAreIdenticalWhateverTheThreadCount() throws Exception {
        StringBuilder labels = new StringBuilder();
        for (int k = 0; k < 30; k++) {
            labels.append(1 + k % 51).append(',').append(k).append(',').append(k + 5).append(",1\n");
        }
        video(root, "0100-L", 40, labels.toString());
        video(root, "0101-L", 40, labels.toString());
        Path one = root.resolve("one");
        Path four = root.resolve("four");
        new Converter(1).convert(trimmed(), Protocol.PKU1_XSUB, one, "a", Map.of(), false, false);
        new Converter(4).convert(trimmed(), Protocol.PKU1_XSUB, four, "a", Map.of(), false, false);
        try (SkeletonDataset a = SkeletonDataset.open(one); SkeletonDataset b = SkeletonDataset.open(four)) {
            var ta = a.clips("train");
            var tb = b.clips("train");
            assertThat(ta.size()).isEqualTo(60);
            for (int i = 0; i < ta.size(); i++) {
                assertThat(Arrays.equals(ta.read(i), tb.read(i))).isTrue();
                assertThat(ta.meta(i).name()).isEqualTo(tb.meta(i).name());
            }
            assertFrameIsRow(ta.sample(37), 0, 7);
        }
    }

    private static List<String> names(SkeletonDataset.ClipSplit split) {
        return java.util.stream.IntStream.range(0, split.size()).mapToObj(i -> split.meta(i).name()).toList();
    }
}
