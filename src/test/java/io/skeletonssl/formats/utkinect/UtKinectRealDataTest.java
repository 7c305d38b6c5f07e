package io.skeletonssl.formats.utkinect;

import io.skeletonssl.dataset.Manifest;
import io.skeletonssl.dataset.SkeletonDataset;
import io.skeletonssl.dataset.StreamSample;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** UTKinect-Action3D from ../shared/data/utkinect; expectations are derived from the files. */
class UtKinectRealDataTest {

    static Path data;
    /** Recording → its distinct frame ids in file order. */
    static Map<String, List<Integer>> ids = new TreeMap<>();

    /** A label line of the modified file: recording, action line text, inclusive bounds (null if NaN). */
    record Label(String recording, String action, Integer start, Integer end) {
    }

    static List<Label> labels;

    @TempDir
    Path out;

    @BeforeAll
    static void scan() throws IOException {
        data = SharedData.require("utkinect");
        try (Stream<Path> s = Files.list(data)) {
            for (Path p : s.toList()) {
                String f = p.getFileName().toString();
                if (f.startsWith("joints_") && f.endsWith(".txt")) {
                    Set<Integer> seen = new LinkedHashSet<>();
                    for (String line : Files.readAllLines(p, StandardCharsets.US_ASCII)) {
                        seen.add(Integer.parseInt(line.trim().split("\\s+")[0]));
                    }
                    ids.put(f.substring(7, f.length() - 4), new ArrayList<>(seen));
                }
            }
        }
        labels = readLabels(data.resolve("actionLabel_modified.txt"));
    }

    static List<Label> readLabels(Path file) throws IOException {
        List<Label> out = new ArrayList<>();
        String rec = null;
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            String t = line.trim();
            if (t.isEmpty()) {
                continue;
            }
            if (!t.contains(":")) {
                rec = t;
                continue;
            }
            String[] p = t.split("[:\\s]+");
            boolean nan = p[1].equals("NaN");
            out.add(new Label(rec, p[0], nan ? null : Integer.valueOf(p[1]), nan ? null : Integer.valueOf(p[2])));
        }
        return out;
    }

    private static int subject(String recording) {
        return Integer.parseInt(recording.substring(1, 3));
    }

    private static int clipLength(Label l) {
        return (int) ids.get(l.recording()).stream().filter(i -> i >= l.start() && i <= l.end()).count();
    }

    @Test
    void dataIsWhatTheReadmeSays() throws IOException {
        assertThat(ids).hasSize(20);
        assertThat(labels).hasSize(200);
        // the data README names s10_e01, but the NaN NaN line is in the s10_e02 block of both files
        assertThat(labels.stream().filter(l -> l.start() == null))
                .containsExactly(new Label("s10_e02", "carry", null, null));
        assertThat(readLabels(data.resolve("actionLabel.txt"))).hasSize(200);
    }

    @Test
    void clipsCrossSubject() throws Exception {
        UtKinectSource src = UtKinectSource.open(data, UtKinectSource.Mode.CLIPS);
        assertThat(src.labelFile().getFileName().toString()).isEqualTo("actionLabel_modified.txt");
        assertThat(src.size()).isEqualTo(labels.size());
        List<Label> usable = labels.stream().filter(l -> l.start() != null).toList();
        assertThat(usable).hasSize(199);
        assertThat(src.maxFrames()).isEqualTo(usable.stream().mapToInt(UtKinectRealDataTest::clipLength).max()
                .orElseThrow());

        var report = new Converter(2).convert(src, Protocol.UTKINECT_XSUB, out.resolve("clips"), "utk", Map.of(),
                false, false);
        assertThat(report.written()).isEqualTo(199);
        assertThat(report.manifest().skipped()).extracting(Manifest.Skipped::name).containsExactly("s10_e02_carry");
        List<Label> train = usable.stream().filter(l -> subject(l.recording()) <= 5).toList();
        try (SkeletonDataset ds = SkeletonDataset.open(out.resolve("clips"))) {
            var tr = ds.clips("train");
            var te = ds.clips("test");
            assertThat(tr.size()).isEqualTo(train.size()).isEqualTo(100);
            assertThat(te.size()).isEqualTo(usable.size() - train.size()).isEqualTo(99);
            for (int i = 0; i < tr.size(); i++) {
                Label l = train.get(i);
                assertThat(tr.meta(i).name()).isEqualTo(l.recording() + "_" + l.action());
                assertThat(tr.validFrames(i)).isEqualTo(clipLength(l));
                assertThat(tr.label(i)).isEqualTo(UtKinectSource.CLASS_NAMES.indexOf(l.action()));
            }
            // first clip, first frame = the first row of joints_s01_e01.txt whose id ≥ the walk start
            Label walk = train.get(0);
            int id = ids.get("s01_e01").stream().filter(i -> i >= walk.start()).findFirst().orElseThrow();
            String row = Files.readAllLines(data.resolve("joints_s01_e01.txt")).stream()
                    .filter(r -> r.trim().split("\\s+")[0].equals(String.valueOf(id))).findFirst().orElseThrow();
            String[] cols = row.trim().split("\\s+");
            var first = tr.sample(0);
            for (int v = 0; v < 20; v++) {
                for (int c = 0; c < 3; c++) {
                    assertThat(first.get(c, 0, v, 0)).isEqualTo((float) Double.parseDouble(cols[1 + v * 3 + c]));
                }
            }
        }
    }

    @Test
    void streamsWithFrameLabels() throws Exception {
        UtKinectSource src = UtKinectSource.open(data, UtKinectSource.Mode.STREAMS);
        assertThat(src.size()).isEqualTo(20);
        var report = new Converter(2).convert(src, Protocol.UTKINECT_XSUB, out.resolve("streams"), "utk", Map.of(),
                false, false);
        assertThat(report.written()).isEqualTo(20);
        int segments = 0;
        try (SkeletonDataset ds = SkeletonDataset.open(out.resolve("streams"))) {
            for (String split : List.of("train", "test")) {
                var streams = ds.streams(split);
                assertThat(streams.size()).isEqualTo(10);
                for (int i = 0; i < streams.size(); i++) {
                    StreamSample s = streams.stream(i);
                    String rec = s.meta().name();
                    assertThat(split).isEqualTo(subject(rec) <= 5 ? "train" : "test");
                    List<Integer> recIds = ids.get(rec);
                    assertThat(s.frames()).isEqualTo(recIds.size());
                    List<Label> mine = labels.stream().filter(l -> l.recording().equals(rec) && l.start() != null)
                            .toList();
                    assertThat(s.segments()).hasSize(mine.size());
                    segments += s.segments().size();
                    // every frame whose id lies in exactly one labelled range carries that action's label
                    for (int t = 0; t < s.frames(); t++) {
                        int id = recIds.get(t);
                        List<Label> covering = mine.stream().filter(l -> id >= l.start() && id <= l.end()).toList();
                        if (covering.isEmpty()) {
                            assertThat(s.frameLabels()[t]).as("%s id %d", rec, id).isZero();
                        } else if (covering.size() == 1) {
                            assertThat(s.frameLabels()[t]).as("%s id %d", rec, id)
                                    .isEqualTo(UtKinectSource.CLASS_NAMES.indexOf(covering.get(0).action()) + 1);
                        }
                    }
                }
            }
        }
        assertThat(segments).isEqualTo(199);
    }
}
