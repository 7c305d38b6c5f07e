package io.skeletonssl.formats;

import io.skeletonssl.dataset.Record;
import io.skeletonssl.dataset.Sample;
import io.skeletonssl.dataset.SkeletonDataset;
import io.skeletonssl.layout.Layouts;
import io.skeletonssl.layout.SkeletonLayout;
import io.skeletonssl.synth.SynthConfig;
import io.skeletonssl.synth.SyntheticSource;
import io.skeletonssl.util.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class NormalizationTest {

    static final SkeletonLayout NTU = Layouts.ntu25();

    @BeforeAll
    static void quiet() {
        Progress.setEnabled(false);
    }

    static SyntheticSource synth() {
        return new SyntheticSource(SynthConfig.small().withClasses(3));
    }

    static Normalization.Offsets offsets(double median) {
        return new Normalization.Offsets(10, median, median > Normalization.RAW_OFFSET_M ? 1 : 0);
    }

    @Test
    void theOffsetIsTheCentreJointOfPersonOneInItsFirstPresentFrame() {
        int t = 3;
        int v = 2;
        int m = 2;
        float[] d = new float[3 * t * v * m];
        // frame 0: centre joint (1) absent; frame 1: at (3, 0, 4) -> 5 m; person 2 elsewhere
        d[Sample.index(0, 1, 1, 0, t, v, m)] = 3f;
        d[Sample.index(2, 1, 1, 0, t, v, m)] = 4f;
        d[Sample.index(0, 0, 1, 1, t, v, m)] = 9f;
        d[Sample.index(0, 0, 0, 0, t, v, m)] = 7f;
        assertThat(Normalization.centreOffset(d, t, v, m, 1)).isEqualTo(5.0);
        assertThat(Normalization.centreOffset(new float[d.length], t, v, m, 1)).isNaN();
        // person 1 present, the centre joint at the origin in every frame (centred frame by frame)
        float[] perFrame = new float[d.length];
        perFrame[Sample.index(1, 2, 0, 0, t, v, m)] = 0.5f;
        assertThat(Normalization.centreOffset(perFrame, t, v, m, 1)).isZero();
    }

    @Test
    void offsetsAreSummarisedByTheirMedian() {
        Normalization.Offsets o = Normalization.Offsets.of(new double[]{2.5, Double.NaN, 0.1, 3.0, 2.9});
        assertThat(o.sequences()).isEqualTo(4);
        assertThat(o.medianM()).isCloseTo(2.7, within(1e-12));
        assertThat(o.farFraction()).isEqualTo(0.75);
        assertThat(o.raw()).isTrue();
        assertThat(o.mixed()).isTrue();
        assertThat(Normalization.Offsets.of(new double[]{0.0, 0.01, 0.02}).raw()).isFalse();
        assertThat(Normalization.Offsets.of(new double[]{Double.NaN}).raw()).isFalse();
        assertThat(Normalization.Offsets.of(new double[]{0.0, 0.01, 0.02}).describe())
                .isEqualTo("centre joint median 0.01 m from the origin");
    }

    @Test
    void rawCameraCoordinatesAreDetectedAndCentredDataIsNot() throws Exception {
        try (SampleSource raw = synth(); SampleSource centred = new CentredSource(synth())) {
            Normalization.Offsets r = Normalization.measure(raw, Normalization.SAMPLE_UNITS, 2);
            assertThat(r.sequences()).isEqualTo((int) Math.min(raw.size(), Normalization.SAMPLE_UNITS));
            assertThat(r.medianM()).as("the synthetic camera is 2.5-4 m away").isBetween(2.0, 4.5);
            assertThat(r.farFraction()).isEqualTo(1.0);
            assertThat(r.raw()).isTrue();
            Normalization.Offsets c = Normalization.measure(centred, 10, 2);
            assertThat(c.sequences()).isEqualTo(10);
            assertThat(c.medianM()).isLessThan(0.05);
            assertThat(c.raw()).isFalse();
        }
    }

    @Test
    void autoCentresRawDataKeepsCentredDataAndOfficialPipelines() {
        Normalization.Plan raw = Normalization.decide(Normalization.Mode.AUTO, null, offsets(2.71), false, NTU);
        assertThat(raw.applied()).isEqualTo(Normalization.Mode.CENTRE);
        assertThat(raw.summary()).isEqualTo("normalisation: raw camera coordinates detected: centre joint median 2.71 m "
                + "from the origin -> centred (--normalize none to keep them)");
        Normalization.Plan centred = Normalization.decide(Normalization.Mode.AUTO, null, offsets(0.02), false, NTU);
        assertThat(centred.applied()).isEqualTo(Normalization.Mode.NONE);
        assertThat(centred.reason()).startsWith("already centred");
        assertThat(centred.changesData()).isFalse();
        Normalization.Plan official = Normalization.decide(Normalization.Mode.AUTO, "pku-mmd mamp pipeline",
                offsets(2.9), false, NTU);
        assertThat(official.applied()).isEqualTo(Normalization.Mode.NONE);
        assertThat(official.summary()).contains("the official pku-mmd mamp pipeline output is kept exactly",
                "--normalize centre to centre them");
        Normalization.Plan none = Normalization.decide(Normalization.Mode.NONE, null, offsets(2.9), false, NTU);
        assertThat(none.applied()).isEqualTo(Normalization.Mode.NONE);
        assertThat(Normalization.decide(Normalization.Mode.ALIGN, "x", offsets(0), true, NTU).applied())
                .isEqualTo(Normalization.Mode.ALIGN);
        assertThatThrownBy(() -> Normalization.decide(Normalization.Mode.NONE, null, offsets(2.9), true, NTU))
                .hasMessageContaining("--scale-body").hasMessageContaining("--normalize centre or align");
        SkeletonLayout bare = new SkeletonLayout("bare", List.of("a", "b"), null, null, 0, null);
        assertThatThrownBy(() -> Normalization.decide(Normalization.Mode.ALIGN, null, offsets(2.9), false, bare))
                .hasMessageContaining("--normalize align needs the layout's alignment joints");
        assertThatThrownBy(() -> Normalization.decide(Normalization.Mode.CENTRE, null, offsets(2.9), true, bare))
                .hasMessageContaining("--scale-body needs the layout's alignment joints");
        assertThat(Normalization.Mode.parse("center")).isEqualTo(Normalization.Mode.CENTRE);
        assertThatThrownBy(() -> Normalization.Mode.parse("zscore")).hasMessageContaining("auto, none, centre or align");
    }

    @Test
    void theManifestRecordsWhatWasAppliedAndWhy(@TempDir Path dir) throws Exception {
        Normalization.Plan plan;
        try (SampleSource raw = synth()) {
            plan = Normalization.decide(Normalization.Mode.ALIGN, null, Normalization.measure(raw, 16, 2), true, NTU);
        }
        Path out = dir.resolve("aligned");
        try (SampleSource s = new NormalizedSource(synth(), plan)) {
            new Converter(2).convert(s, Protocol.NTU60_XSUB, out, "aligned", Map.of(), false, false);
        }
        try (SkeletonDataset ds = SkeletonDataset.open(out); SyntheticSource again = synth()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> n = (Map<String, Object>) ds.manifest().options().get("normalization");
            assertThat(n).containsEntry("requested", "align").containsEntry("applied", "align")
                    .containsEntry("centreJoint", "SpineMid (1)").containsEntry("offsetThresholdM", 0.3)
                    .containsEntry("measuredSequences", 16);
            assertThat((Double) n.get("centreOffsetMedianM")).isBetween(2.0, 4.5);
            assertThat(n.get("reason").toString()).startsWith("--normalize align (centre joint median ");
            assertThat(n.get("rotation").toString()).contains("spineOntoZ=SpineBase (0) -> SpineMid (1)",
                    "shouldersOntoX=ShoulderLeft (4) -> ShoulderRight (8)");
            assertThat(n.get("scale").toString()).contains("bone=SpineBase (0) - SpineShoulder (20)");
            // the data is the plan applied to the source, clip by clip
            Iterator<SampleSource.Unit> units = again.units();
            List<Sample> expected = new ArrayList<>();
            while (units.hasNext() && expected.size() < 6) {
                for (Record r : units.next().read()) {
                    expected.add((Sample) r);
                }
            }
            SkeletonDataset.ClipSplit train = ds.clips("train");
            SkeletonDataset.ClipSplit test = ds.clips("test");
            int found = 0;
            for (Sample e : expected) {
                float[] want = BodyFrame.scaled(BodyFrame.aligned(e.data(), e.frames(), e.joints(), e.persons(), NTU),
                        e.frames(), e.joints(), e.persons(), NTU.alignment().torso());
                for (SkeletonDataset.ClipSplit split : List.of(train, test)) {
                    for (int i = 0; i < split.size(); i++) {
                        if (split.meta(i).name().equals(e.name())) {
                            float[] got = split.read(i);
                            int tt = split.frames();
                            for (int k = 0; k < want.length; k++) { // the split pads clips to its T frames
                                int vm = e.joints() * e.persons();
                                int c = k / (e.frames() * vm);
                                int rest = k % (e.frames() * vm);
                                assertThat(got[c * tt * vm + rest]).isEqualTo(want[k]);
                            }
                            found++;
                        }
                    }
                }
            }
            assertThat(found).isEqualTo(expected.size());
        }
    }

    @Test
    void pretrainingIsWarnedOfUncentredDatasets(@TempDir Path dir) throws Exception {
        Path raw = dir.resolve("raw");
        new Converter(2).convert(synth(), Protocol.NTU60_XSUB, raw, "synthetic-raw", Map.of(), false, false);
        Path centred = dir.resolve("centred");
        new Converter(2).convert(new CentredSource(synth()), Protocol.NTU60_XSUB, centred, "synthetic-centred",
                Map.of(), false, false);
        Path kept = dir.resolve("kept");
        Path auto = dir.resolve("auto");
        for (Path p : List.of(kept, auto)) {
            try (SampleSource s = synth()) {
                Normalization.Mode mode = p == kept ? Normalization.Mode.NONE : Normalization.Mode.AUTO;
                Normalization.Plan plan = Normalization.decide(mode, null, Normalization.measure(s, 8, 2), false, NTU);
                new Converter(2).convert(new NormalizedSource(s, plan), Protocol.NTU60_XSUB, p, p.getFileName().toString(),
                        Map.of(), false, false);
            }
        }
        try (SkeletonDataset ds = SkeletonDataset.open(raw)) {
            String w = Normalization.uncentredWarning(ds, ds.clips("train"));
            assertThat(w).contains("dataset 'synthetic-raw'", "is not centred", "SpineMid (1)",
                    "measured on the first", "split 'train'", "--normalize auto");
            assertThat(w).containsPattern("a median [2-4]\\.\\d\\d m from the origin");
        }
        try (SkeletonDataset ds = SkeletonDataset.open(kept)) {
            assertThat(Normalization.uncentredWarning(ds, ds.clips("train")))
                    .contains("dataset 'kept'", "as prepare measured it", "--normalize none");
        }
        for (Path p : List.of(centred, auto)) {
            try (SkeletonDataset ds = SkeletonDataset.open(p)) {
                assertThat(Normalization.uncentredWarning(ds, ds.clips("train"))).as(p.toString()).isNull();
            }
        }
    }
}
