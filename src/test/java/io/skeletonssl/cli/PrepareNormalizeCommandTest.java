package io.skeletonssl.cli;

import io.skeletonssl.dataset.SkeletonDataset;
import io.skeletonssl.formats.BodyFrame;
import io.skeletonssl.formats.CentredSource;
import io.skeletonssl.formats.Converter;
import io.skeletonssl.formats.Protocol;
import io.skeletonssl.formats.ntu.NtuRawSource;
import io.skeletonssl.formats.ntu.SecondActor;
import io.skeletonssl.layout.Layouts;
import io.skeletonssl.layout.SkeletonLayout;
import io.skeletonssl.testutil.SharedData;
import io.skeletonssl.util.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code prepare --normalize} on the real datasets of ../shared/data (skipped where absent). */
class PrepareNormalizeCommandTest {

    @BeforeAll
    static void quiet() {
        Progress.setEnabled(false);
    }

    private static CliTest.Result prepare(String format, Path in, Path out, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("prepare", "-f", format, "-i", in.toString(), "-o",
                out.toString(), "-j", "2"));
        a.addAll(List.of(more));
        CliTest.Result r = CliTest.run(a.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        return r;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> normalization(SkeletonDataset ds) {
        return (Map<String, Object>) ds.manifest().options().get("normalization");
    }

    @Test
    void msrActionDefaultsToCentringItsCameraCoordinates(@TempDir Path dir) throws Exception {
        Path msr = SharedData.require("msr-action3d");
        CliTest.Result auto = prepare("msr-action3d", msr, dir.resolve("auto"));
        assertThat(auto.out()).containsPattern("normalisation: raw camera coordinates detected: centre joint median "
                + "2\\.\\d\\d m from the origin -> centred \\(--normalize none to keep them\\)");
        CliTest.Result none = prepare("msr-action3d", msr, dir.resolve("none"), "--normalize", "none");
        assertThat(none.out()).contains("normalisation: --normalize none (centre joint median", "-> kept as they are");
        CliTest.Result alias = prepare("msr-action3d", msr, dir.resolve("alias"), "--centre");
        assertThat(alias.out()).contains("--centre is deprecated", "normalisation: --normalize centre (");
        SkeletonLayout msr20 = Layouts.msr20();
        try (SkeletonDataset a = SkeletonDataset.open(dir.resolve("auto"));
             SkeletonDataset n = SkeletonDataset.open(dir.resolve("none"));
             SkeletonDataset c = SkeletonDataset.open(dir.resolve("alias"))) {
            assertThat(normalization(a)).containsEntry("requested", "auto").containsEntry("applied", "centre")
                    .containsEntry("centreJoint", "Spine (3)").containsEntry("centreOffsetFarFraction", 1.0);
            assertThat((Double) normalization(a).get("centreOffsetMedianM")).isBetween(2.0, 3.5);
            assertThat(normalization(n)).containsEntry("applied", "none");
            assertThat(normalization(c)).containsEntry("requested", "centre").containsEntry("applied", "centre");
            for (String split : List.of("train", "test")) {
                SkeletonDataset.ClipSplit sa = a.clips(split);
                SkeletonDataset.ClipSplit sn = n.clips(split);
                SkeletonDataset.ClipSplit sc = c.clips(split);
                assertThat(sa.size()).isEqualTo(sn.size());
                for (int i = 0; i < sa.size(); i++) {
                    float[] raw = sn.read(i);
                    float[] want = CentredSource.centred(raw, sn.frames(), sn.joints(), sn.persons(), msr20.center());
                    assertThat(sa.read(i)).as(split + " " + i).containsExactly(want);
                    assertThat(sc.read(i)).containsExactly(want);
                }
            }
        }
    }

    @Test
    void msrActionAlignedAndScaled(@TempDir Path dir) throws Exception {
        Path msr = SharedData.require("msr-action3d");
        CliTest.Result r = prepare("msr-action3d", msr, dir.resolve("aligned"), "--normalize", "align", "--scale-body");
        assertThat(r.out()).contains("-> centred and rotated into the body frame, scaled by body size");
        SkeletonLayout msr20 = Layouts.msr20();
        int[] spine = msr20.alignment().spine();
        int[] shoulders = msr20.alignment().shoulders();
        try (SkeletonDataset ds = SkeletonDataset.open(dir.resolve("aligned"))) {
            assertThat(normalization(ds)).containsEntry("applied", "align");
            assertThat(normalization(ds).get("rotation").toString()).contains("HipCenter (6) -> Spine (3)",
                    "ShoulderLeft (0) -> ShoulderRight (1)");
            assertThat(normalization(ds).get("scale").toString()).contains("HipCenter (6) - Neck (2)");
            SkeletonDataset.ClipSplit train = ds.clips("train");
            int t = train.frames();
            int v = train.joints();
            for (int i = 0; i < train.size(); i += 7) {
                float[] d = train.read(i);
                assertThat(BodyFrame.meanBoneLength(d, t, v, 1, msr20.alignment().torso())).as("clip " + i)
                        .isCloseTo(1.0, within(1e-5));
                // person 1's first frame with the four joints (the spine top is the centre joint, 0 there by now):
                // shoulders along +x
                assertThat(spine[1]).isEqualTo(msr20.center());
                int f = 0;
                while (!(present(d, t, v, f, spine[0]) && present(d, t, v, f, shoulders[0])
                        && present(d, t, v, f, shoulders[1]))) {
                    f++;
                }
                double[] s = new double[3];
                for (int c = 0; c < 3; c++) {
                    s[c] = d[(c * t + f) * v + shoulders[1]] - d[(c * t + f) * v + shoulders[0]];
                }
                assertThat(s[0] / Math.sqrt(s[0] * s[0] + s[1] * s[1] + s[2] * s[2])).as("clip " + i)
                        .isCloseTo(1.0, within(1e-5));
            }
        }
    }

    private static boolean present(float[] d, int t, int v, int frame, int joint) {
        for (int c = 0; c < 3; c++) {
            if (d[(c * t + frame) * v + joint] != 0f) {
                return true;
            }
        }
        return false;
    }

    @Test
    void utkinectDefaultsToCentring(@TempDir Path dir) {
        Path utk = SharedData.require("utkinect");
        CliTest.Result r = prepare("utkinect", utk, dir.resolve("utk"));
        assertThat(r.out()).containsPattern("raw camera coordinates detected: centre joint median \\d\\.\\d\\d m "
                + "from the origin -> centred");
    }

    @Test
    void ntuRawKeepsEachOfficialPipelinesOutputExactly(@TempDir Path dir) throws Exception {
        Path ntu = SharedData.require("ntu-raw-samples");
        for (String pipeline : List.of("mamp", "pcm3")) {
            Path out = dir.resolve(pipeline);
            CliTest.Result r = prepare("ntu-raw", ntu, out, "--pipeline", pipeline, "--protocol", "ntu60-xsub");
            assertThat(r.out()).contains("normalisation: the official ntu-raw " + pipeline + " pipeline",
                    "output is kept exactly (centre joint median 0.", "-> left as they are");
            Path direct = dir.resolve(pipeline + "-direct");
            try (NtuRawSource src = new NtuRawSource(ntu, NtuRawSource.Pipeline.parse(pipeline), SecondActor.ZERO, 300)) {
                new Converter(2).convert(src, Protocol.NTU60_XSUB, direct, "direct", Map.of(), false, false);
            }
            try (SkeletonDataset p = SkeletonDataset.open(out); SkeletonDataset d = SkeletonDataset.open(direct)) {
                assertThat(normalization(p)).containsEntry("requested", "auto").containsEntry("applied", "none")
                        .containsEntry("measuredSequences", 5);
                assertThat(normalization(p).get("officialPipeline").toString()).startsWith("ntu-raw " + pipeline);
                for (String split : List.of("train", "test")) {
                    assertThat(p.clips(split).size()).isEqualTo(d.clips(split).size());
                    for (int i = 0; i < p.clips(split).size(); i++) {
                        assertThat(p.clips(split).read(i)).as(pipeline + " " + split + " " + i)
                                .containsExactly(d.clips(split).read(i));
                    }
                }
            }
        }
    }
}
