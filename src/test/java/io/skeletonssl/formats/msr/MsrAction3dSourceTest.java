package io.skeletonssl.formats.msr;

import io.skeletonssl.dataset.BadSampleException;
import io.skeletonssl.dataset.Record;
import io.skeletonssl.dataset.Sample;
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

class MsrAction3dSourceTest {

    @TempDir
    Path dir;

    static String token(int t, int v, int c) {
        return String.format(Locale.ROOT, "%.6f", t * 0.1 + v * 0.01 + c * 0.001 - 0.05);
    }

    static String frames(int count) {
        StringBuilder sb = new StringBuilder();
        for (int t = 0; t < count; t++) {
            for (int v = 0; v < 20; v++) {
                sb.append(token(t, v, 0)).append(' ').append(token(t, v, 1)).append(' ').append(token(t, v, 2))
                        .append(" 1.000000\n");
            }
        }
        return sb.toString();
    }

    private void file(String name, String text) throws IOException {
        Files.writeString(dir.resolve(name + "_skeleton3D.txt"), text);
    }

    /** Unit name → the sample, or the skip reason as a String. */
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

    @Test
    void parsesTwentyLinesPerFrameKeepingColumnsAsXyz() throws IOException {
        file("a03_s07_e02", frames(3));
        MsrAction3dSource src = MsrAction3dSource.open(dir, false, 0);
        Sample s = (Sample) run(src).get("a03_s07_e02");
        assertThat(s.frames()).isEqualTo(3);
        assertThat(s.validFrames()).isEqualTo(3);
        assertThat(s.joints()).isEqualTo(20);
        assertThat(s.persons()).isEqualTo(1);
        for (int t = 0; t < 3; t++) {
            for (int v = 0; v < 20; v++) {
                for (int c = 0; c < 3; c++) {
                    assertThat(s.get(c, t, v, 0)).isEqualTo((float) Double.parseDouble(token(t, v, c)));
                }
            }
        }
        assertThat(s.label()).isEqualTo(2);
        assertThat(s.meta().subject()).isEqualTo(7);
        assertThat(s.meta().replication()).isEqualTo(2);
        assertThat(s.meta().view()).isEqualTo(-1);
        assertThat(s.meta().group()).isEqualTo("a03_s07_e02");
        assertThat(s.meta().source()).endsWith("a03_s07_e02_skeleton3D.txt");
        var info = src.info();
        assertThat(info.layout()).isEqualTo(Layouts.msr20());
        assertThat(info.numClasses()).isEqualTo(20);
        assertThat(info.classNames().get(2)).isEqualTo("hammer");
        assertThat(info.maxFrames()).isEqualTo(3);
    }

    @Test
    void lineCountNotAMultipleOfTwentyIsNamed() throws IOException {
        file("a01_s01_e01", frames(2) + "0.1 0.2 0.3 1\n");
        Object r = run(MsrAction3dSource.open(dir, false, 0)).get("a01_s01_e01");
        assertThat((String) r).contains("a01_s01_e01_skeleton3D.txt").contains("has 41 lines")
                .contains("not a multiple of 20");
    }

    @Test
    void malformedLinesNameFileAndLine() throws IOException {
        String[] lines = frames(1).split("\n");
        lines[4] = "0.1 0.2 0.3";
        file("a01_s01_e01", String.join("\n", lines));
        lines = frames(1).split("\n");
        lines[6] = "0.1 nan 0.3 1";
        file("a01_s01_e02", String.join("\n", lines));
        lines = frames(1).split("\n");
        lines[7] = "0.1 0.2 zz 1";
        file("a01_s01_e03", String.join("\n", lines));
        file("a01_s02_e01", "");
        Map<String, Object> out = run(MsrAction3dSource.open(dir, false, 5));
        assertThat((String) out.get("a01_s01_e01")).contains("line 5: expected 4 numbers (x y z c), found 3");
        assertThat((String) out.get("a01_s01_e02")).contains("line 7").contains("non-finite coordinate 'nan'");
        assertThat((String) out.get("a01_s01_e03")).contains("line 8: 'zz' is not a number");
        assertThat((String) out.get("a01_s02_e01")).contains("is empty");
    }

    @Test
    void allZeroSequencesAndUnknownActionsAreSkipped() throws IOException {
        file("a13_s09_e02", "0 0 0 0\n".repeat(40));
        file("a21_s01_e01", frames(1));
        Map<String, Object> out = run(MsrAction3dSource.open(dir, false, 0));
        assertThat((String) out.get("a13_s09_e02")).contains("all coordinates are zero");
        assertThat((String) out.get("a21_s01_e01")).contains("action 21 outside 1..20");
    }

    @Test
    void cvpr12ListSelectsSequencesAndReportsListedButMissingFiles() throws IOException {
        file("a01_s01_e01", frames(2));
        file("a01_s01_e02", frames(4));
        file("a02_s01_e01", frames(9));
        Files.writeString(dir.resolve(MsrAction3dSource.LIST_FILE),
                "a01_s01_e01\r\na02_s05_e01\r\n\r\na01_s01_e02_skeleton3D.txt");
        MsrAction3dSource src = MsrAction3dSource.open(dir);
        assertThat(src.size()).isEqualTo(3);
        assertThat(src.notListed()).isEqualTo(1);
        assertThat(src.maxFrames()).isEqualTo(4);
        Map<String, Object> out = run(src);
        assertThat(out.keySet()).containsExactly("a01_s01_e01", "a01_s01_e02", "a02_s05_e01");
        assertThat(out.get("a01_s01_e02")).isInstanceOf(Sample.class);
        assertThat((String) out.get("a02_s05_e01")).contains("line 2").contains("does not exist");
        assertThat(src.info().options()).containsEntry("cvpr12Only", true).containsEntry("notListed", 1);

        assertThat(MsrAction3dSource.open(dir, false, 0).size()).isEqualTo(3);
        assertThat(MsrAction3dSource.open(dir, false, 0).maxFrames()).isEqualTo(9);
    }

    @Test
    void emptyFolderSaysNoSequenceFilesWereFound() throws IOException {
        Files.writeString(dir.resolve("readme.txt"), "not a sequence\n");
        for (boolean listOnly : new boolean[]{true, false}) {
            assertThatThrownBy(() -> MsrAction3dSource.open(dir, listOnly, 0))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("no MSR Action3D sequence files")
                    .hasMessageContaining(dir.toString())
                    .hasMessageNotContaining("cvpr12Only");
        }
    }

    @Test
    void badListLinesAndMissingListAreErrors() throws IOException {
        file("a01_s01_e01", frames(1));
        assertThatThrownBy(() -> MsrAction3dSource.open(dir))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("--all-files")
                .hasMessageNotContaining("cvpr12Only");
        Files.writeString(dir.resolve(MsrAction3dSource.LIST_FILE), "a01_s01_e01\nsomething else\n");
        assertThatThrownBy(() -> MsrAction3dSource.open(dir))
                .isInstanceOf(IOException.class).hasMessageContaining("line 2")
                .hasMessageContaining("'something else'");
        assertThatThrownBy(() -> MsrAction3dSource.open(dir.resolve("none")))
                .isInstanceOf(NoSuchFileException.class);
    }
}
