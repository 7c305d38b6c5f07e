package io.skeletonssl.formats.msr;

import io.skeletonssl.dataset.Manifest;
import io.skeletonssl.dataset.Sample;
import io.skeletonssl.dataset.SkeletonDataset;
import io.skeletonssl.formats.Converter;
import io.skeletonssl.formats.Protocol;
import io.skeletonssl.testutil.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** MSR Action3D from ../shared/data/msr-action3d; the expectations are derived from the files. */
class MsrAction3dRealDataTest {

    static Path data;
    /** Every sequence name with a file. */
    static TreeSet<String> files;
    /** The names on the CVPR'12 list. */
    static TreeSet<String> listed;
    /** Sequences whose x, y, z are all zero. */
    static TreeSet<String> allZero;

    @TempDir
    Path out;

    @BeforeAll
    static void scan() throws IOException {
        data = SharedData.require("msr-action3d");
        files = new TreeSet<>();
        allZero = new TreeSet<>();
        try (Stream<Path> s = Files.list(data)) {
            for (Path p : s.toList()) {
                String f = p.getFileName().toString();
                if (f.endsWith("_skeleton3D.txt")) {
                    String name = f.substring(0, f.length() - "_skeleton3D.txt".length());
                    files.add(name);
                    boolean zero = true;
                    for (String line : Files.readAllLines(p, StandardCharsets.US_ASCII)) {
                        String[] v = line.trim().split("\\s+");
                        if (v.length >= 3 && (Double.parseDouble(v[0]) != 0 || Double.parseDouble(v[1]) != 0
                                || Double.parseDouble(v[2]) != 0)) {
                            zero = false;
                            break;
                        }
                    }
                    if (zero) {
                        allZero.add(name);
                    }
                }
            }
        }
        listed = new TreeSet<>();
        for (String line : Files.readAllLines(data.resolve(MsrAction3dSource.LIST_FILE), StandardCharsets.US_ASCII)) {
            if (!line.isBlank()) {
                listed.add(line.trim());
            }
        }
    }

    private static int subject(String name) {
        return Integer.parseInt(name.substring(5, 7));
    }

    @Test
    void theFilesAreWhatTheReadmeSays() {
        assertThat(files).hasSize(567);
        assertThat(allZero).containsExactly("a13_s09_e02");
        // The README says 556, but the list file names 557 distinct sequences, all of them present.
        assertThat(listed).hasSize(557);
        assertThat(files).containsAll(listed);
        assertThat(listed).doesNotContain("a13_s09_e02");
    }

    @Test
    void cvpr12CrossSubjectConversion() throws Exception {
        MsrAction3dSource src = MsrAction3dSource.open(data);
        assertThat(src.size()).isEqualTo(listed.size());
        assertThat(src.notListed()).isEqualTo(files.size() - listed.size());
        var report = new Converter(2).convert(src, Protocol.MSR_XSUB, out.resolve("xsub"), "msr", Map.of(), false, false);

        List<String> usable = listed.stream().filter(n -> !allZero.contains(n)).toList();
        List<String> train = usable.stream().filter(n -> subject(n) % 2 == 1).toList();
        List<String> test = usable.stream().filter(n -> subject(n) % 2 == 0).toList();
        assertThat(report.written()).isEqualTo(usable.size());
        assertThat(report.skipped()).isEqualTo(listed.size() - usable.size());
        assertThat(report.filtered()).isZero();
        try (SkeletonDataset ds = SkeletonDataset.open(out.resolve("xsub"))) {
            var tr = ds.clips("train");
            var te = ds.clips("test");
            assertThat(names(tr)).containsExactlyElementsOf(train);
            assertThat(names(te)).containsExactlyElementsOf(test);
            // per split counts as measured: 284 train (subjects 1,3,5,7,9), 273 test
            assertThat(tr.size()).isEqualTo(284);
            assertThat(te.size()).isEqualTo(273);
            int longest = 0;
            for (String n : listed) {
                longest = Math.max(longest, lines(n) / 20);
            }
            assertThat(ds.manifest().maxFrames()).isEqualTo(longest);
            for (int i = 0; i < tr.size(); i++) {
                String n = tr.meta(i).name();
                assertThat(tr.validFrames(i)).isEqualTo(lines(n) / 20);
                assertThat(tr.label(i)).isEqualTo(Integer.parseInt(n.substring(1, 3)) - 1);
            }
            // first line of a01_s01_e01 = joint 1 (left shoulder) of frame 0, columns as given
            Sample first = tr.sample(0);
            assertThat(first.meta().name()).isEqualTo("a01_s01_e01");
            String[] line1 = Files.readAllLines(data.resolve("a01_s01_e01_skeleton3D.txt")).get(0).trim().split("\\s+");
            for (int c = 0; c < 3; c++) {
                assertThat(first.get(c, 0, 0, 0)).isEqualTo((float) Double.parseDouble(line1[c]));
            }
            assertThat(yUpFraction(tr)).isGreaterThan(0.99);
        }
    }

    @Test
    void allFilesWithoutTheList() throws Exception {
        MsrAction3dSource src = MsrAction3dSource.open(data, false, 0);
        assertThat(src.size()).isEqualTo(files.size());
        var report = new Converter(2).convert(src, Protocol.MSR_XSUB, out.resolve("all"), "msr", Map.of(), false, false);
        assertThat(report.written()).isEqualTo(files.size() - allZero.size());
        Manifest m = report.manifest();
        assertThat(m.skipped()).extracting(Manifest.Skipped::name).containsExactlyElementsOf(allZero);
        assertThat(m.skipped().get(0).reason()).contains("all coordinates are zero");
    }

    /** Share of clips whose head (joint 20) is above the left foot (joint 18) in the first tracked frame. */
    private static double yUpFraction(SkeletonDataset.ClipSplit split) {
        int up = 0;
        for (int i = 0; i < split.size(); i++) {
            Sample s = split.sample(i);
            for (int t = 0; t < s.validFrames(); t++) {
                if (s.get(1, t, 19, 0) != 0f || s.get(1, t, 17, 0) != 0f) {
                    up += s.get(1, t, 19, 0) > s.get(1, t, 17, 0) ? 1 : 0;
                    break;
                }
            }
        }
        return up / (double) split.size();
    }

    private static int lines(String name) {
        try {
            return (int) Files.readAllLines(data.resolve(name + "_skeleton3D.txt")).stream()
                    .filter(l -> !l.isBlank()).count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> names(SkeletonDataset.ClipSplit split) {
        List<String> out = new ArrayList<>();
        IntStream.range(0, split.size()).forEach(i -> out.add(split.meta(i).name()));
        return out;
    }
}
