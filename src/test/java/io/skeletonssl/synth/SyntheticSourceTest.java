package io.skeletonssl.synth;

import io.skeletonssl.dataset.Sample;
import io.skeletonssl.dataset.SkeletonDataset;
import io.skeletonssl.formats.Converter;
import io.skeletonssl.formats.Protocol;
import io.skeletonssl.formats.SampleSource;
import io.skeletonssl.layout.Layouts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SyntheticSourceTest {

    /** 3 subjects (1, 2 train and 3 test under xsub), 6 classes, short clips: 54 clips, ~2.6 MB. */
    static final SynthConfig TINY = new SynthConfig(5, 3, 1, 6, 1.0, 0.02, 40, 90);

    @Test
    void infoDescribesTheDataset() {
        SyntheticSource src = new SyntheticSource(TINY);
        SampleSource.Info info = src.info();
        assertThat(info.format()).isEqualTo("synthetic");
        assertThat(info.layout()).isEqualTo(Layouts.ntu25());
        assertThat(info.persons()).isEqualTo(2);
        assertThat(info.maxFrames()).isEqualTo(90);
        assertThat(info.numClasses()).isEqualTo(6);
        assertThat(info.classNames()).containsExactly("wave_right_hand", "wave_left_hand", "beckon", "reach_high",
                "reach_middle", "circle_clockwise");
        assertThat(info.options()).containsEntry("seed", 5L).containsEntry("subjects", 3)
                .containsEntry("samples", 54).containsEntry("generator", SyntheticGenerator.VERSION);
        assertThat(src.size()).isEqualTo(54);
    }

    @Test
    void unitsAreTheClipsInOrder() throws Exception {
        SyntheticSource src = new SyntheticSource(TINY);
        Iterator<SampleSource.Unit> it = src.units();
        int n = 0;
        while (it.hasNext()) {
            SampleSource.Unit u = it.next();
            assertThat(u.name()).isEqualTo(src.generator().name(n));
            if (n == 7) {
                Sample s = (Sample) u.read().get(0);
                assertThat(s.data()).isEqualTo(src.generator().generate(7).data());
            }
            n++;
        }
        assertThat(n).isEqualTo(54);
    }

    @Test
    void converterOutputDoesNotDependOnThreads(@TempDir Path tmp) throws Exception {
        Path one = tmp.resolve("one");
        Path three = tmp.resolve("three");
        Converter.Report r1 = new Converter(1).convert(new SyntheticSource(TINY), Protocol.NTU60_XSUB, one, "synth",
                Map.of("format", "synthetic"), false, false);
        Converter.Report r3 = new Converter(3).convert(new SyntheticSource(TINY), Protocol.NTU60_XSUB, three, "synth",
                Map.of("format", "synthetic"), false, false);
        assertThat(r1.written()).isEqualTo(54);
        assertThat(r3.written()).isEqualTo(54);
        assertThat(r1.skipped()).isZero();
        for (String split : List.of("train", "test")) {
            for (String f : List.of("data.npy", "frames.npy", "labels.npy", "meta.jsonl")) {
                assertThat(Files.readAllBytes(three.resolve(split).resolve(f)))
                        .as(split + "/" + f).isEqualTo(Files.readAllBytes(one.resolve(split).resolve(f)));
            }
        }
        try (SkeletonDataset ds = SkeletonDataset.open(one)) {
            assertThat(ds.manifest().classNames()).hasSize(6);
            assertThat(ds.manifest().options()).containsEntry("seed", 5);
            SkeletonDataset.ClipSplit train = ds.clips("train");
            SkeletonDataset.ClipSplit test = ds.clips("test");
            assertThat(train.size()).isEqualTo(36);
            assertThat(test.size()).isEqualTo(18);
            assertThat(train.frames()).isEqualTo(90);
            SyntheticGenerator g = new SyntheticGenerator(TINY);
            Sample expected = g.generate(40); // subject 3: the first test clips come after subjects 1 and 2
            assertThat(test.meta(4).name()).isEqualTo(expected.name());
            assertThat(test.validFrames(4)).isEqualTo(expected.validFrames());
            assertThat(test.label(4)).isEqualTo(expected.label());
            Sample back = test.sample(4);
            for (int t = 0; t < expected.validFrames(); t++) {
                for (int c = 0; c < 3; c++) {
                    for (int v = 0; v < 25; v++) {
                        for (int m = 0; m < 2; m++) {
                            assertThat(back.data()[Sample.index(c, t, v, m, 90, 25, 2)])
                                    .isEqualTo(expected.data()[Sample.index(c, t, v, m, expected.frames(), 25, 2)]);
                        }
                    }
                }
            }
            assertThat(test.meta(4).subject()).isEqualTo(3);
        }
    }
}
