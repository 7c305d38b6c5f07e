package io.skeletonssl.formats.arrays;

import io.skeletonssl.dataset.Manifest;
import io.skeletonssl.dataset.Sample;
import io.skeletonssl.dataset.SkeletonDataset;
import io.skeletonssl.formats.Converter;
import io.skeletonssl.formats.SampleSource;
import io.skeletonssl.formats.SplitAssigner;
import io.skeletonssl.layout.Layouts;
import net.razorvine.pickle.Pickler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgcnNpySourceTest {

    private static final int T = 8;
    private static final int V = 25;
    private static final int M = 2;
    private static final int ROW = 3 * T * V * M;

    @TempDir
    Path tmp;

    /** Rows (3, T, V, M) with frames [0, len) non-zero and the rest zero (like AimCLR's unpadded data). */
    static float[] rows(long seed, int[] lengths) {
        Random rnd = new Random(seed);
        float[] data = new float[lengths.length * ROW];
        for (int n = 0; n < lengths.length; n++) {
            for (int c = 0; c < 3; c++) {
                for (int t = 0; t < lengths[n]; t++) {
                    for (int k = 0; k < V * M; k++) {
                        data[n * ROW + (c * T + t) * V * M + k] = (float) rnd.nextGaussian() + 0.01f;
                    }
                }
            }
        }
        return data;
    }

    private final int[] trainLen = {8, 3, 5};
    private final int[] valLen = {2, 7};
    private final float[] train = rows(1, trainLen);
    private final float[] val = rows(2, valLen);
    private final List<String> trainNames = List.of("S001C002P003R001A005.skeleton", "S010C001P040R002A060.skeleton",
            "S005C003P008R001A001.skeleton");
    private final List<String> valNames = List.of("S001C001P002R002A010.skeleton", "clip-x");

    private Path folder(String name, boolean numFrames, byte[] trainLabels, byte[] valLabels) throws IOException {
        Path d = Files.createDirectories(tmp.resolve(name));
        Files.write(d.resolve("train_data_joint.npy"), Fixtures.npyFloats(new long[]{3, 3, T, V, M}, train));
        Files.write(d.resolve("val_data_joint.npy"), Fixtures.npyFloats(new long[]{2, 3, T, V, M}, val));
        Files.write(d.resolve("train_label.pkl"), trainLabels);
        Files.write(d.resolve("val_label.pkl"), valLabels);
        if (numFrames) {
            Files.write(d.resolve("train_num_frame.npy"), Fixtures.npy("<i8", new long[]{3}, 8, 3, 5));
            Files.write(d.resolve("val_num_frame.npy"), Fixtures.npy("<i4", new long[]{2}, 2, 300));
        }
        return d;
    }

    private byte[] plainLabels(List<String> names, List<Integer> labels) throws IOException {
        return new Pickler().dumps(new Object[]{new ArrayList<>(names), new ArrayList<>(labels)});
    }

    /** (names, [np.int64(a), np.int64(b), ...]) as numpy pickles it (protocol 4). */
    private static byte[] numpyLabels(List<String> names, int... labels) {
        Fixtures.Pickle p = new Fixtures.Pickle().proto(4).op(']').mark();
        names.forEach(p::str);
        p.op('e').op(']').mark();
        for (int l : labels) {
            p.scalar("numpy.core.multiarray", "i8", "<", Fixtures.le64(l));
        }
        return p.op('e').tuple2().stop().bytes();
    }

    private static List<Sample> readAll(SampleSource src) throws Exception {
        List<Sample> out = new ArrayList<>();
        Iterator<SampleSource.Unit> it = src.units();
        while (it.hasNext()) {
            out.add((Sample) it.next().read().get(0));
        }
        return out;
    }

    private static void assertRow(Sample s, float[] data, int n) {
        assertThat(s.data()).isEqualTo(Arrays.copyOfRange(data, n * ROW, (n + 1) * ROW));
    }

    @Test
    void roundTripWithNumFrameFilesAndPlainIntLabels() throws Exception {
        Path d = folder("a", true, plainLabels(trainNames, List.of(4, 59, 0)),
                plainLabels(valNames, List.of(9, 3)));
        try (AgcnNpySource src = new AgcnNpySource(d)) {
            SampleSource.Info info = src.info();
            assertThat(info.format()).isEqualTo("agcn-npy");
            assertThat(info.persons()).isEqualTo(M);
            assertThat(info.maxFrames()).isEqualTo(T);
            assertThat(info.numClasses()).isEqualTo(60); // largest label + 1
            assertThat(src.counts()).containsExactly(Map.entry("train", 3), Map.entry("test", 2));
            assertThat(src.hasFrameCounts("train")).isTrue();
            List<Sample> all = readAll(src);
            assertThat(all).extracting(Sample::name).containsExactly("S001C002P003R001A005",
                    "S010C001P040R002A060", "S005C003P008R001A001", "S001C001P002R002A010", "clip-x");
            assertThat(all).extracting(Sample::label).containsExactly(4, 59, 0, 9, 3);
            assertThat(all).extracting(Sample::sourceSplit).containsExactly("train", "train", "train", "test", "test");
            // num_frame, clamped to T
            assertThat(all).extracting(Sample::validFrames).containsExactly(8, 3, 5, 2, T);
            Sample s1 = all.get(1);
            assertThat(s1.meta().setup()).isEqualTo(10);
            assertThat(s1.meta().view()).isEqualTo(1);
            assertThat(s1.meta().subject()).isEqualTo(40);
            assertThat(s1.meta().replication()).isEqualTo(2);
            assertThat(s1.meta().source()).isEqualTo("train_data_joint.npy[1]");
            assertThat(all.get(4).meta().subject()).isEqualTo(-1);
            for (int i = 0; i < 3; i++) {
                assertRow(all.get(i), train, i);
            }
            assertRow(all.get(4), val, 1);
        }
    }

    @Test
    void withoutNumFrameValidFramesCountsNonZeroFramesAndNumpyScalarLabelsWork() throws Exception {
        float[] gap = train.clone();
        // empty frame 1 of sample 0 (interior) → 7 non-zero frames out of 8
        for (int c = 0; c < 3; c++) {
            Arrays.fill(gap, (c * T + 1) * V * M, (c * T + 2) * V * M, 0f);
        }
        Path d = folder("b", false, numpyLabels(trainNames, 1, 2, 3), numpyLabels(valNames, 4, 5));
        Files.write(d.resolve("train_data_joint.npy"), Fixtures.npyFloats(new long[]{3, 3, T, V, M}, gap));
        try (AgcnNpySource src = new AgcnNpySource(d, Layouts.ntu25(), 60)) {
            assertThat(src.hasFrameCounts("train")).isFalse();
            assertThat(src.info().numClasses()).isEqualTo(60);
            List<Sample> all = readAll(src);
            assertThat(all).extracting(Sample::validFrames).containsExactly(7, 3, 5, 2, 7);
            assertThat(all).extracting(Sample::label).containsExactly(1, 2, 3, 4, 5);
        }
    }

    @Test
    void acceptsDataNameVariantsAndATestPrefix() throws Exception {
        Path d = Files.createDirectories(tmp.resolve("c"));
        Files.write(d.resolve("train_data.npy"), Fixtures.npyFloats(new long[]{3, 3, T, V, M}, train));
        Files.write(d.resolve("train_label.pkl"), plainLabels(trainNames, List.of(0, 1, 2)));
        Files.write(d.resolve("test_position.npy"), Fixtures.npyFloats(new long[]{2, 3, T, V, M}, val));
        Files.write(d.resolve("test_label.pkl"), plainLabels(valNames, List.of(2, 2)));
        try (AgcnNpySource src = new AgcnNpySource(d)) {
            assertThat(src.counts()).containsExactly(Map.entry("train", 3), Map.entry("test", 2));
            assertThat(src.info().numClasses()).isEqualTo(3);
            assertRow(readAll(src).get(3), val, 0);
        }
        Files.write(d.resolve("val_data_joint.npy"), Fixtures.npyFloats(new long[]{2, 3, T, V, M}, val));
        Files.write(d.resolve("val_label.pkl"), plainLabels(valNames, List.of(2, 2)));
        assertThatThrownBy(() -> new AgcnNpySource(d)).hasMessageContaining("both val_ and test_");
    }

    @Test
    void errorsNameTheFileAndWhatWasExpected() throws Exception {
        byte[] tl = plainLabels(trainNames, List.of(0, 1, 2));
        byte[] vl = plainLabels(valNames, List.of(0, 1));

        Path v = folder("v", false, tl, vl);
        Files.write(v.resolve("val_data_joint.npy"), Fixtures.npyFloats(new long[]{2, 3, T, 20, M},
                new float[2 * 3 * T * 20 * M]));
        assertThatThrownBy(() -> new AgcnNpySource(v)).hasMessageContaining("val_data_joint.npy")
                .hasMessageContaining("V=20").hasMessageContaining("ntu25 has 25");
        assertThatThrownBy(() -> new AgcnNpySource(folder("v2", false, tl, vl), Layouts.kinectV1(), 0))
                .hasMessageContaining("train_data_joint.npy").hasMessageContaining("V=25")
                .hasMessageContaining("kinect-v1-20 has 20");

        Path m = folder("m", false, tl, vl);
        Files.write(m.resolve("val_data_joint.npy"), Fixtures.npyFloats(new long[]{2, 3, T, V, 1},
                new float[2 * 3 * T * V]));
        assertThatThrownBy(() -> new AgcnNpySource(m)).hasMessageContaining("2 persons")
                .hasMessageContaining("val_data_joint.npy has 1");

        Path n = folder("n", false, plainLabels(trainNames.subList(0, 2), List.of(0, 1)), vl);
        assertThatThrownBy(() -> new AgcnNpySource(n)).hasMessageContaining("train_label.pkl lists 2 samples")
                .hasMessageContaining("train_data_joint.npy has 3 rows");

        Path f = folder("f", true, tl, vl);
        Files.write(f.resolve("val_num_frame.npy"), Fixtures.npy("<i8", new long[]{3}, 1, 2, 3));
        assertThatThrownBy(() -> new AgcnNpySource(f)).hasMessageContaining("val_num_frame.npy has 3 values");

        Path s = folder("s", false, tl, vl);
        Files.write(s.resolve("train_data_joint.npy"), Fixtures.npyFloats(new long[]{3, T, V, M}, new float[3 * T * V * M]));
        assertThatThrownBy(() -> new AgcnNpySource(s)).hasMessageContaining("expected (N, 3, T, V, M)");

        Path c = folder("cl", false, tl, vl);
        assertThatThrownBy(() -> new AgcnNpySource(c, Layouts.ntu25(), 2)).hasMessageContaining("train_label.pkl")
                .hasMessageContaining("label 2 of sample S005C003P008R001A001.skeleton (index 2)")
                .hasMessageContaining("outside 0..1");

        Path nl = folder("nl", false, tl, vl);
        Files.delete(nl.resolve("val_label.pkl"));
        assertThatThrownBy(() -> new AgcnNpySource(nl)).hasMessageContaining("no val_label.pkl");

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> new AgcnNpySource(empty)).hasMessageContaining("no data found");

        Path t = folder("t", false, tl, vl);
        byte[] full = Files.readAllBytes(t.resolve("val_data_joint.npy"));
        Files.write(t.resolve("val_data_joint.npy"), Arrays.copyOf(full, full.length - 10));
        assertThatThrownBy(() -> new AgcnNpySource(t)).hasMessageContaining("val_data_joint.npy is truncated")
                .hasMessageContaining("row 1 of 2");
    }

    @Test
    void hostileOrTruncatedLabelFilesAreRefused() throws Exception {
        byte[] evil = SafePickleTest.resource("evil_system_p4.pkl");
        Path e = folder("e", false, plainLabels(trainNames, List.of(0, 1, 2)), evil);
        assertThatThrownBy(() -> new AgcnNpySource(e)).isInstanceOf(IOException.class)
                .hasMessageContaining("val_label.pkl names forbidden class posix.system");

        byte[] good = numpyLabels(trainNames, 1, 2, 3);
        Path t = folder("t", false, Arrays.copyOf(good, good.length - 7), plainLabels(valNames, List.of(0, 1)));
        assertThatThrownBy(() -> new AgcnNpySource(t)).isInstanceOf(IOException.class)
                .hasMessageContaining("train_label.pkl is truncated");
    }

    @Test
    void convertsEndToEndIntoADataset() throws Exception {
        Path d = folder("e2e", true, numpyLabels(trainNames, 4, 59, 0), plainLabels(valNames, List.of(9, 3)));
        // one all-zero training row: the converter skips it
        float[] withEmpty = train.clone();
        Arrays.fill(withEmpty, 2 * ROW, 3 * ROW, 0f);
        Files.write(d.resolve("train_data_joint.npy"), Fixtures.npyFloats(new long[]{3, 3, T, V, M}, withEmpty));
        Path out = tmp.resolve("ds");
        try (AgcnNpySource src = new AgcnNpySource(d, Layouts.ntu25(), 60)) {
            Converter.Report r = new Converter(2).convert(src, SplitAssigner.fromSource(), out, "agcn",
                    Map.of("format", "agcn-npy"), false, false);
            assertThat(r.written()).isEqualTo(4);
            assertThat(r.skipped()).isEqualTo(1);
        }
        try (SkeletonDataset ds = SkeletonDataset.open(out)) {
            Manifest man = ds.manifest();
            assertThat(man.numClasses()).isEqualTo(60);
            assertThat(man.splits().get("train").count()).isEqualTo(2);
            assertThat(man.splits().get("test").count()).isEqualTo(2);
            assertThat(man.skipped()).singleElement().satisfies(s ->
                    assertThat(s.name()).isEqualTo("S005C003P008R001A001"));
            SkeletonDataset.ClipSplit tr = ds.clips("train");
            assertThat(tr.frames()).isEqualTo(T);
            assertThat(tr.joints()).isEqualTo(V);
            assertThat(tr.persons()).isEqualTo(M);
            assertThat(tr.labels()).containsExactly(4, 59);
            assertThat(tr.validFrames(1)).isEqualTo(3);
            assertThat(tr.meta(1).subject()).isEqualTo(40);
            assertThat(tr.read(1)).isEqualTo(Arrays.copyOfRange(train, ROW, 2 * ROW));
            SkeletonDataset.ClipSplit te = ds.clips("test");
            assertThat(te.labels()).containsExactly(9, 3);
            assertThat(te.validFrames(1)).isEqualTo(T);
            assertThat(te.read(0)).isEqualTo(Arrays.copyOfRange(val, 0, ROW));
        }
    }
}
