package io.skeletonssl.formats.utkinect;

import io.skeletonssl.dataset.BadSampleException;
import io.skeletonssl.dataset.Record;
import io.skeletonssl.dataset.Sample;
import io.skeletonssl.dataset.StreamSample;
import io.skeletonssl.formats.SampleSource;
import io.skeletonssl.layout.Layouts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UtKinectSourceTest {

    @TempDir
    Path dir;

    /** File line (1-based) → frame id; lines 2 and 6 repeat the previous id. */
    static final int[] IDS = {10, 10, 12, 15, 20, 20, 30, 41};

    static String token(int line, int col) {
        return String.format(Locale.ROOT, "%.6f", line * 0.1 + col * 0.001 - 0.03);
    }

    static float value(int line, int col) {
        return (float) Double.parseDouble(token(line, col));
    }

    static String joints(int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ids.length; i++) {
            sb.append(ids[i]);
            for (int col = 0; col < 60; col++) {
                sb.append("  ").append(token(i + 1, col));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static final String LABELS = """
            s01_e01
            walk: 11 20
            sitDown: 20 41
            standUp: NaN NaN
            pickUp: 100 200
            carry: 5 10
            throw: 14 13
            s03_e01
            walk: 1 2
            """;

    private void fixture() throws IOException {
        Files.writeString(dir.resolve("joints_s01_e01.txt"), joints(IDS));
        Files.writeString(dir.resolve("joints_s02_e02.txt"), joints(new int[]{1, 2, 3}));
        Files.writeString(dir.resolve("actionLabel.txt"), LABELS);
    }

    /** Unit name → its record, or the skip reason as a String. */
    static Map<String, Object> run(SampleSource src) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        Iterator<SampleSource.Unit> it = src.units();
        while (it.hasNext()) {
            SampleSource.Unit u = it.next();
            try {
                List<Record> r = u.read();
                assertThat(r).hasSize(1);
                out.put(u.name(), r.get(0));
            } catch (BadSampleException e) {
                assertThat(e.sampleName()).isEqualTo(u.name());
                out.put(u.name(), e.getMessage());
            }
        }
        return out;
    }

    /** Asserts clip frame f equals the joints of file line {@code line}. */
    private static void assertFrameIsLine(Sample s, int f, int line) {
        for (int v = 0; v < 20; v++) {
            for (int c = 0; c < 3; c++) {
                assertThat(s.get(c, f, v, 0)).as("f=%d v=%d c=%d", f, v, c).isEqualTo(value(line, v * 3 + c));
            }
        }
    }

    @Test
    void clipsHoldTheFramesWhoseIdIsInTheInclusiveRange() throws IOException {
        fixture();
        UtKinectSource src = UtKinectSource.open(dir, UtKinectSource.Mode.CLIPS);
        assertThat(src.labelFile().getFileName().toString()).isEqualTo("actionLabel.txt");
        assertThat(src.size()).isEqualTo(6 + 1 + 1);
        Map<String, Object> out = run(src);
        assertThat(out.keySet()).containsExactly("s01_e01_walk", "s01_e01_sitDown", "s01_e01_standUp",
                "s01_e01_pickUp", "s01_e01_carry", "s01_e01_throw", "s02_e02", "s03_e01");

        Sample walk = (Sample) out.get("s01_e01_walk");
        assertThat(walk.frames()).isEqualTo(3);
        assertFrameIsLine(walk, 0, 3);
        assertFrameIsLine(walk, 1, 4);
        assertFrameIsLine(walk, 2, 5); // id 20: the first of the two rows
        assertThat(walk.label()).isEqualTo(0);
        assertThat(walk.meta().subject()).isEqualTo(1);
        assertThat(walk.meta().replication()).isEqualTo(1);
        assertThat(walk.meta().group()).isEqualTo("s01_e01");
        assertThat(walk.meta().source()).contains("joints_s01_e01.txt").contains("[11, 20]");

        Sample sit = (Sample) out.get("s01_e01_sitDown");
        assertThat(sit.frames()).isEqualTo(3);
        assertFrameIsLine(sit, 0, 5);
        assertFrameIsLine(sit, 1, 7);
        assertFrameIsLine(sit, 2, 8);
        assertThat(sit.label()).isEqualTo(1);

        Sample carry = (Sample) out.get("s01_e01_carry");
        assertThat(carry.frames()).isEqualTo(1);
        assertFrameIsLine(carry, 0, 1);
        assertThat(carry.label()).isEqualTo(4);

        assertThat((String) out.get("s01_e01_standUp")).contains("actionLabel.txt line 4").contains("NaN NaN");
        assertThat((String) out.get("s01_e01_pickUp")).contains("line 5").contains("no frame")
                .contains("[100, 200]").contains("10..41");
        assertThat((String) out.get("s01_e01_throw")).contains("line 7").contains("start id 14 > end id 13");
        assertThat((String) out.get("s02_e02")).contains("no labels for s02_e02");
        assertThat((String) out.get("s03_e01")).contains("joints_s03_e01.txt does not exist");
        assertThat(src.maxFrames()).isEqualTo(3);
    }

    @Test
    void streamsKeepEveryDistinctFrameWithFrameLabelsAndSortedSegments() throws IOException {
        fixture();
        UtKinectSource src = UtKinectSource.open(dir, UtKinectSource.Mode.STREAMS);
        assertThat(src.size()).isEqualTo(3);
        Map<String, Object> out = run(src);
        StreamSample s = (StreamSample) out.get("s01_e01");
        assertThat(s.frames()).isEqualTo(6);
        // carry [0,1), walk [1,4), sitDown [3,6): the later segment labels the shared frame (id 20)
        assertThat(s.segments()).containsExactly(new StreamSample.Segment(4, 0, 1), new StreamSample.Segment(0, 1, 4),
                new StreamSample.Segment(1, 3, 6));
        assertThat(s.frameLabels()).containsExactly(5, 1, 1, 2, 2, 2);
        int[] lines = {1, 3, 4, 5, 7, 8};
        for (int t = 0; t < 6; t++) {
            assertThat(s.data()[(2 * 6 + t) * 20 + 7]).isEqualTo(value(lines[t], 7 * 3 + 2));
        }
        assertThat(s.meta().name()).isEqualTo("s01_e01");
        assertThat(s.meta().subject()).isEqualTo(1);
        assertThat((String) out.get("s02_e02")).contains("no labels");
        assertThat(src.maxFrames()).isEqualTo(6);
        assertThat(src.info().layout()).isEqualTo(Layouts.kinectV1());
        assertThat(src.info().persons()).isEqualTo(1);
        assertThat(src.info().classNames()).containsExactly("walk", "sitDown", "standUp", "pickUp", "carry",
                "throw", "push", "pull", "waveHands", "clapHands");
    }

    @Test
    void theModifiedLabelFileIsPreferredUnlessOneIsGiven() throws IOException {
        fixture();
        Files.writeString(dir.resolve("actionLabel_modified.txt"), LABELS.replace("walk: 11 20", "walk: 11 15"));
        UtKinectSource auto = UtKinectSource.open(dir, UtKinectSource.Mode.CLIPS);
        assertThat(auto.labelFile().getFileName().toString()).isEqualTo("actionLabel_modified.txt");
        assertThat(((Sample) run(auto).get("s01_e01_walk")).frames()).isEqualTo(2);
        UtKinectSource original = UtKinectSource.open(dir, UtKinectSource.Mode.CLIPS, dir.resolve("actionLabel.txt"), 0);
        assertThat(((Sample) run(original).get("s01_e01_walk")).frames()).isEqualTo(3);
        assertThat(original.info().options()).containsEntry("labelFile", "actionLabel.txt");
    }

    @Test
    void jointsFileErrorsNameFileAndLine() throws IOException {
        fixture();
        String[] lines = joints(IDS).split("\n");
        lines[3] = lines[3].substring(0, lines[3].lastIndexOf("  "));
        Files.writeString(dir.resolve("joints_s01_e01.txt"), String.join("\n", lines));
        Map<String, Object> out = run(UtKinectSource.open(dir, UtKinectSource.Mode.STREAMS));
        assertThat((String) out.get("s01_e01")).contains("joints_s01_e01.txt line 4")
                .contains("expected 61 columns").contains("found 60");

        Files.writeString(dir.resolve("joints_s01_e01.txt"), joints(new int[]{10, 12, 11, 13}));
        out = run(UtKinectSource.open(dir, UtKinectSource.Mode.CLIPS));
        assertThat((String) out.get("s01_e01_walk")).contains("line 3").contains("frame id 11 after 12");

        lines = joints(IDS).split("\n");
        lines[6] = lines[6].replaceFirst("  \\S+", "  NaN");
        Files.writeString(dir.resolve("joints_s01_e01.txt"), String.join("\n", lines));
        out = run(UtKinectSource.open(dir, UtKinectSource.Mode.CLIPS));
        assertThat(out.get("s01_e01_walk")).isInstanceOf(Sample.class); // line 7 (id 30) is outside walk
        assertThat((String) out.get("s01_e01_sitDown")).contains("line 7").contains("NaN");
        out = run(UtKinectSource.open(dir, UtKinectSource.Mode.STREAMS));
        assertThat((String) out.get("s01_e01")).contains("line 7").contains("NaN");

        lines = joints(IDS).split("\n");
        lines[0] = lines[0].replaceFirst("^10", "ten");
        Files.writeString(dir.resolve("joints_s01_e01.txt"), String.join("\n", lines));
        out = run(UtKinectSource.open(dir, UtKinectSource.Mode.STREAMS));
        assertThat((String) out.get("s01_e01")).contains("line 1").contains("frame id 'ten'");
    }

    @Test
    void labelFileErrorsAreFatalAndNameTheLine() throws IOException {
        Files.writeString(dir.resolve("joints_s01_e01.txt"), joints(IDS));
        Map<String, String> bad = Map.of(
                "s01_e01\nwalk 1 2\n", "line 2: expected 'sSS_eEE' or 'action: start end'",
                "walk: 1 2\n", "line 1: action line before the first",
                "s01_e01\nrun: 1 2\n", "line 2: unknown action 'run'",
                "s01_e01\nwalk: 1 x\n", "line 2: frame id 'x'",
                "s01_e01\nwalk: 1 2\nwalk: 3 4\n", "line 3: action walk of s01_e01 is already labelled at line 2",
                "s01_e01\nwalk: 1 2\ns01_e01\n", "line 3: recording s01_e01 appears twice",
                "\n", "no 'sSS_eEE' block");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            Files.writeString(dir.resolve("actionLabel.txt"), e.getKey());
            assertThatThrownBy(() -> UtKinectSource.open(dir, UtKinectSource.Mode.CLIPS))
                    .as(e.getKey()).isInstanceOf(IOException.class).hasMessageContaining(e.getValue())
                    .hasMessageContaining("actionLabel.txt");
        }
        Files.delete(dir.resolve("actionLabel.txt"));
        assertThatThrownBy(() -> UtKinectSource.open(dir, UtKinectSource.Mode.CLIPS))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("label file");
    }

    @Test
    void labelNamesAndNaNAreCaseInsensitive() throws IOException {
        Files.writeString(dir.resolve("joints_s01_e01.txt"), joints(IDS));
        Files.writeString(dir.resolve("actionLabel.txt"), "s01_e01\nWalk: 10 12\ncarry: nan NaN\n");
        Map<String, Object> out = run(UtKinectSource.open(dir, UtKinectSource.Mode.CLIPS));
        assertThat(((Sample) out.get("s01_e01_walk")).frames()).isEqualTo(2);
        assertThat((String) out.get("s01_e01_carry")).contains("NaN NaN");
    }

    @Test
    void idRangeSelection() {
        int[] ids = {10, 12, 15, 20, 30, 41};
        assertThat(UtKinectRecording.range(ids, 11, 20)).containsExactly(1, 4);
        assertThat(UtKinectRecording.range(ids, 10, 10)).containsExactly(0, 1);
        assertThat(UtKinectRecording.range(ids, 0, 9)).containsExactly(0, 0);
        assertThat(UtKinectRecording.range(ids, 42, 50)).containsExactly(6, 6);
        assertThat(UtKinectRecording.range(ids, 13, 14)).containsExactly(2, 2);
        assertThat(UtKinectRecording.range(ids, 0, 100)).containsExactly(0, 6);
    }
}
