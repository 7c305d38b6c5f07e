package io.skeletonssl.formats.ntu;

import io.skeletonssl.dataset.Sample;
import io.skeletonssl.dataset.SkeletonDataset;
import io.skeletonssl.formats.Converter;
import io.skeletonssl.formats.Protocol;
import io.skeletonssl.testutil.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Both pipelines on the five real NTU files of {@code ../shared/data/ntu-raw-samples}. */
class NtuRealDataTest {

    static {
        System.setProperty("skeletonssl.quiet", "true");
    }

    /** name → (frames in the file, bodies per frame, label) from the data README. */
    private static final Map<String, int[]> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("S001C001P001R001A011", new int[]{82, 1, 10});
        EXPECTED.put("S001C003P008R002A058", new int[]{70, 2, 57});
        EXPECTED.put("S002C001P003R001A003", new int[]{100, 1, 2});
        EXPECTED.put("S003C001P015R001A034", new int[]{71, 1, 33});
        EXPECTED.put("S004C002P003R001A017", new int[]{124, 1, 16});
    }

    private static final String HANDSHAKE = "S001C003P008R002A058";

    private static Path dir;

    @BeforeAll
    static void locate() {
        dir = SharedData.require("ntu-raw-samples");
    }

    private static Path file(String name) {
        return dir.resolve(name + ".skeleton");
    }

    @Test
    void parsesAllFilesWithTheirCrlfLineEndings() throws Exception {
        for (Map.Entry<String, int[]> e : EXPECTED.entrySet()) {
            byte[] raw = Files.readAllBytes(file(e.getKey()));
            assertThat(new String(raw, 0, 8, java.nio.charset.StandardCharsets.US_ASCII)).contains("\r\n");
            NtuSkeletonFile f = NtuSkeletonFile.read(file(e.getKey()));
            assertThat(f.frameCount()).as(e.getKey()).isEqualTo(e.getValue()[0]);
            for (int t = 0; t < f.frameCount(); t++) {
                assertThat(f.bodyCount(t)).as("%s frame %d", e.getKey(), t).isEqualTo(e.getValue()[1]);
            }
        }
        NtuSkeletonFile hs = NtuSkeletonFile.read(file(HANDSHAKE));
        assertThat(hs.body(0, 0).bodyId()).isEqualTo("72057594037944738");
        assertThat(hs.body(0, 0).coord(0, 0)).isEqualTo(0.7201789);
        assertThat(hs.body(0, 0).coord(0, 2)).isEqualTo(3.561895);
        assertThat(hs.body(0, 0).colorX(0)).isEqualTo(1184.537f);
    }

    @Test
    void mampPipelineKeepsEveryFrameAndCentresOnActorOnesSpineMid() throws Exception {
        NtuRawSource src = new NtuRawSource(dir, NtuRawSource.Pipeline.MAMP, SecondActor.ZERO, 300);
        assertThat(src.info().numClasses()).isEqualTo(60);
        for (Map.Entry<String, int[]> e : EXPECTED.entrySet()) {
            Sample s = src.readSample(file(e.getKey()));
            NtuName n = NtuName.parse(e.getKey());
            assertThat(s.frames()).as(e.getKey()).isEqualTo(e.getValue()[0]);
            assertThat(s.validFrames()).isEqualTo(e.getValue()[0]);
            assertThat(s.label()).isEqualTo(e.getValue()[2]);
            assertThat(s.meta()).isEqualTo(n.meta(file(e.getKey()).toString()));
            for (int c = 0; c < 3; c++) {
                assertThat(s.get(c, 0, 1, 0)).isZero();
            }
            if (e.getValue()[1] == 1) {
                // a single body: output = float32(raw) − float32(raw SpineMid of frame 0), every frame
                NtuSkeletonFile f = NtuSkeletonFile.read(file(e.getKey()));
                for (int t = 0; t < s.frames(); t += 7) {
                    for (int v = 0; v < 25; v++) {
                        for (int c = 0; c < 3; c++) {
                            float expected = (float) f.body(t, 0).coord(v, c) - (float) f.body(0, 0).coord(1, c);
                            assertThat(s.get(c, t, v, 0)).isEqualTo(expected);
                            assertThat(s.get(c, t, v, 1)).isZero();
                        }
                    }
                }
            }
        }
    }

    private static int nonZeroFrames(Sample s, int person) {
        int n = 0;
        for (int t = 0; t < s.frames(); t++) {
            boolean any = false;
            for (int v = 0; v < 25 && !any; v++) {
                for (int c = 0; c < 3; c++) {
                    any |= s.get(c, t, v, person) != 0f;
                }
            }
            n += any ? 1 : 0;
        }
        return n;
    }

    @ParameterizedTest
    @EnumSource(NtuRawSource.Pipeline.class)
    void handshakeKeepsTwoActors(NtuRawSource.Pipeline pipeline) throws Exception {
        Sample s = new NtuRawSource(dir, pipeline, SecondActor.ZERO, 300).readSample(file(HANDSHAKE));
        int frames = pipeline == NtuRawSource.Pipeline.MAMP ? 70 : 300;
        assertThat(nonZeroFrames(s, 0)).isEqualTo(frames);
        assertThat(nonZeroFrames(s, 1)).isEqualTo(frames);
        // the two people stand apart: SpineBase distance of about a metre, not a duplicate
        double d = 0;
        for (int c = 0; c < 3; c++) {
            double diff = s.get(c, 0, 0, 0) - s.get(c, 0, 0, 1);
            d += diff * diff;
        }
        assertThat(Math.sqrt(d)).isBetween(0.3, 2.0);
    }

    @Test
    void mampDuplicateModeCopiesTheSingleActor() throws Exception {
        Sample s = new NtuRawSource(dir, NtuRawSource.Pipeline.MAMP, SecondActor.DUPLICATE, 300)
                .readSample(file("S001C001P001R001A011"));
        for (int t = 0; t < s.frames(); t++) {
            assertThat(s.get(2, t, 3, 1)).isEqualTo(s.get(2, t, 3, 0));
        }
        Sample two = new NtuRawSource(dir, NtuRawSource.Pipeline.MAMP, SecondActor.DUPLICATE, 300)
                .readSample(file(HANDSHAKE));
        assertThat(two.get(0, 0, 0, 1)).isNotEqualTo(two.get(0, 0, 0, 0));
    }

    @Test
    void pcm3PipelineAlignsAndLoopPads() throws Exception {
        NtuRawSource src = new NtuRawSource(dir, NtuRawSource.Pipeline.PCM3, SecondActor.ZERO, 300);
        for (Map.Entry<String, int[]> e : EXPECTED.entrySet()) {
            Sample s = src.readSample(file(e.getKey()));
            int f = e.getValue()[0];
            assertThat(s.frames()).isEqualTo(300);
            assertThat(s.validFrames()).as(e.getKey()).isEqualTo(f);
            assertThat(s.label()).isEqualTo(e.getValue()[2]);
            // centred on person 0's SpineMid in every frame
            for (int t = 0; t < 300; t += 13) {
                for (int c = 0; c < 3; c++) {
                    assertThat(Math.abs(s.get(c, t, 1, 0))).isZero();
                }
            }
            // shoulders of person 0 at frame 0 along +x
            double[] sh = new double[3];
            for (int c = 0; c < 3; c++) {
                sh[c] = s.get(c, 0, 8, 0) - s.get(c, 0, 4, 0);
            }
            double n = Math.sqrt(sh[0] * sh[0] + sh[1] * sh[1] + sh[2] * sh[2]);
            assertThat(sh[0] / n).isCloseTo(1.0, within(1e-6));
            // the spine points up (+z) up to the tilt step 4 brings in
            double[] sp = new double[3];
            for (int c = 0; c < 3; c++) {
                sp[c] = s.get(c, 0, 1, 0) - s.get(c, 0, 0, 0);
            }
            assertThat(sp[2] / Math.sqrt(sp[0] * sp[0] + sp[1] * sp[1] + sp[2] * sp[2])).isGreaterThan(0.9);
            // loop padding: frame f + k repeats frame k
            for (int t = f; t < 300; t += 11) {
                for (int v = 0; v < 25; v++) {
                    for (int c = 0; c < 3; c++) {
                        assertThat(s.get(c, t, v, 0)).isEqualTo(s.get(c, t % f, v, 0));
                    }
                }
            }
            if (e.getValue()[1] == 1) {
                assertThat(nonZeroFrames(s, 1)).isZero();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(NtuRawSource.Pipeline.class)
    void convertsIntoACrossSubjectDataset(NtuRawSource.Pipeline pipeline, @TempDir Path tmp) throws Exception {
        NtuRawSource src = new NtuRawSource(dir, pipeline, SecondActor.ZERO, 300);
        Path out = tmp.resolve("ntu60-xsub");
        Converter.Report r = new Converter(2).convert(src, Protocol.NTU60_XSUB, out, "ntu-samples", Map.of(),
                false, false);
        assertThat(r.written()).isEqualTo(5);
        assertThat(r.skipped()).isZero();
        try (SkeletonDataset ds = SkeletonDataset.open(out)) {
            assertThat(ds.manifest().options()).containsEntry("pipeline", pipeline.name().toLowerCase());
            SkeletonDataset.ClipSplit train = ds.clips("train");
            SkeletonDataset.ClipSplit test = ds.clips("test");
            // performers 1, 8, 15 are training subjects; performer 3 (two files) is a test subject
            assertThat(train.size()).isEqualTo(3);
            assertThat(test.size()).isEqualTo(2);
            for (SkeletonDataset.ClipSplit split : List.of(train, test)) {
                assertThat(List.of(split.frames(), split.joints(), split.persons())).containsExactly(300, 25, 2);
                for (int i = 0; i < split.size(); i++) {
                    int[] exp = EXPECTED.get(split.meta(i).name());
                    assertThat(split.validFrames(i)).isEqualTo(exp[0]);
                    assertThat(split.label(i)).isEqualTo(exp[2]);
                }
            }
            assertThat(train.meta(0).name()).isEqualTo("S001C001P001R001A011");
            assertThat(test.meta(0).subject()).isEqualTo(3);
            float[] x = train.read(0);
            Sample direct = src.readSample(file("S001C001P001R001A011"));
            for (int c = 0; c < 3; c++) {
                for (int t = 0; t < direct.frames(); t++) {
                    assertThat(x[((c * 300 + t) * 25 + 5) * 2]).isEqualTo(direct.get(c, t, 5, 0));
                }
            }
        }
    }
}
