package io.skeletonssl.formats.arrays;

import io.skeletonssl.dataset.BadSampleException;
import io.skeletonssl.dataset.Manifest;
import io.skeletonssl.dataset.Sample;
import io.skeletonssl.dataset.SkeletonDataset;
import io.skeletonssl.formats.Converter;
import io.skeletonssl.formats.SampleSource;
import io.skeletonssl.formats.SplitAssigner;
import io.skeletonssl.layout.Layouts;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NtuNpzSourceTest {

    private static final int T = 6;
    private static final int C = 5;

    @TempDir
    Path tmp;

    /** x[n] as (T, 150) with frames [0, len) random non-zero except listed empty frames; the rest zero. */
    static float[][] clips(long seed, int n, int[] lengths, int[][] emptyFrames) {
        Random rnd = new Random(seed);
        float[][] x = new float[n][T * 150];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < lengths[i]; t++) {
                final int frame = t;
                if (Arrays.stream(emptyFrames[i]).anyMatch(e -> e == frame)) {
                    continue;
                }
                for (int k = 0; k < 150; k++) {
                    x[i][t * 150 + k] = (float) (rnd.nextGaussian() + 0.001);
                }
            }
        }
        return x;
    }

    static double[] oneHot(int[] labels, int classes) {
        double[] y = new double[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            y[i * classes + labels[i]] = 1;
        }
        return y;
    }

    static byte[] xNpy(float[][] x, int cols) {
        float[] flat = new float[x.length * T * cols];
        for (int i = 0; i < x.length; i++) {
            System.arraycopy(x[i], 0, flat, i * T * cols, T * cols);
        }
        return Fixtures.npyFloats(new long[]{x.length, T, cols}, flat);
    }

    private final int[] trainLabels = {3, 0, 4, 1};
    private final int[] testLabels = {2, 2};
    private final float[][] xTrain = clips(1, 4, new int[]{6, 3, 5, 1}, new int[][]{{}, {}, {2}, {}});
    private final float[][] xTest = clips(2, 2, new int[]{4, 6}, new int[][]{{0}, {}});
    private final int[] trainValid = {6, 3, 4, 1};
    private final int[] testValid = {3, 6};

    private Path npz(String name, boolean deflated, Map<String, byte[]> members) throws IOException {
        return Fixtures.zip(tmp.resolve(name), deflated, members);
    }

    private Map<String, byte[]> standard() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("x_train.npy", xNpy(xTrain, 150));
        m.put("y_train.npy", Fixtures.npy("<f8", new long[]{4, C}, oneHot(trainLabels, C)));
        m.put("x_test.npy", xNpy(xTest, 150));
        m.put("y_test.npy", Fixtures.npy("<f8", new long[]{2, C}, oneHot(testLabels, C)));
        return m;
    }

    private static List<Sample> readAll(SampleSource src) throws Exception {
        List<Sample> out = new ArrayList<>();
        Iterator<SampleSource.Unit> it = src.units();
        while (it.hasNext()) {
            SampleSource.Unit u = it.next();
            Sample s = (Sample) u.read().get(0);
            assertThat(s.name()).isEqualTo(u.name());
            out.add(s);
        }
        return out;
    }

    /** Our (c, t, v, m) equals the npz row's column (m·V + v)·3 + c of frame t, for every index. */
    private static void assertTransposed(Sample s, float[] row, int joints, int persons) {
        for (int c = 0; c < 3; c++) {
            for (int t = 0; t < T; t++) {
                for (int v = 0; v < joints; v++) {
                    for (int m = 0; m < persons; m++) {
                        assertThat(s.get(c, t, v, m)).isEqualTo(row[t * 3 * joints * persons + (m * joints + v) * 3 + c]);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void roundTripTrainThenTest(boolean deflated) throws Exception {
        try (NtuNpzSource src = new NtuNpzSource(npz("a.npz", deflated, standard()))) {
            SampleSource.Info info = src.info();
            assertThat(info.format()).isEqualTo("ntu-npz");
            assertThat(info.layout().numJoints()).isEqualTo(25);
            assertThat(info.persons()).isEqualTo(2);
            assertThat(info.maxFrames()).isEqualTo(T);
            assertThat(info.numClasses()).isEqualTo(C);
            assertThat(info.classNames()).hasSize(C);
            assertThat(src.size()).isEqualTo(6);
            List<Sample> all = readAll(src);
            assertThat(all).extracting(Sample::name)
                    .containsExactly("train[0]", "train[1]", "train[2]", "train[3]", "test[0]", "test[1]");
            for (int i = 0; i < 6; i++) {
                Sample s = all.get(i);
                boolean train = i < 4;
                int j = train ? i : i - 4;
                assertThat(s.sourceSplit()).isEqualTo(train ? "train" : "test");
                assertThat(s.frames()).isEqualTo(T);
                assertThat(s.joints()).isEqualTo(25);
                assertThat(s.persons()).isEqualTo(2);
                assertThat(s.label()).isEqualTo(train ? trainLabels[j] : testLabels[j]);
                assertThat(s.validFrames()).isEqualTo(train ? trainValid[j] : testValid[j]);
                assertThat(s.meta().source()).isEqualTo("a.npz:x_" + s.sourceSplit() + "[" + j + "]");
                assertThat(s.meta().group()).isEqualTo(s.name());
                assertTransposed(s, train ? xTrain[j] : xTest[j], 25, 2);
            }
            // a second pass gives the same
            assertThat(readAll(src).get(5).data()).isEqualTo(all.get(5).data());
        }
    }

    @Property(tries = 200)
    void aValueAtTMVCLandsAtCTVM(@ForAll @IntRange(min = 1, max = 7) int frames,
                                 @ForAll @IntRange(min = 1, max = 3) int persons,
                                 @ForAll @IntRange(min = 1, max = 30) int joints,
                                 @ForAll @IntRange(min = 0, max = 10_000) int pick) {
        int t = pick % frames;
        int m = (pick / frames) % persons;
        int v = (pick / (frames * persons)) % joints;
        int c = (pick / (frames * persons * joints)) % 3;
        float[] row = new float[frames * persons * joints * 3];
        row[((t * persons + m) * joints + v) * 3 + c] = 7.5f;
        float[] out = new float[row.length];
        int valid = NtuNpzSource.toChannelsFirst(row, out, frames, joints, persons);
        assertThat(valid).isEqualTo(1);
        int at = Sample.index(c, t, v, m, frames, joints, persons);
        assertThat(out[at]).isEqualTo(7.5f);
        out[at] = 0;
        assertThat(out).containsOnly(0f);
    }

    @Test
    void otherLayoutsSetJointsAndPersonsFromTheColumns() throws Exception {
        // kinect-v1-20: 120 columns = 2 persons × 20 joints × 3
        float[] row = new float[T * 120];
        row[4 * 120 + (1 * 20 + 19) * 3 + 2] = 9f; // t=4, m=1, v=19, z
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("x_train.npy", Fixtures.npyFloats(new long[]{1, T, 120}, row));
        m.put("y_train.npy", Fixtures.npy("<f8", new long[]{1, 3}, 0, 1, 0));
        m.put("x_test.npy", Fixtures.npyFloats(new long[]{1, T, 120}, row));
        m.put("y_test.npy", Fixtures.npy("<f8", new long[]{1, 3}, 0, 0, 1));
        Path f = npz("k.npz", false, m);
        try (NtuNpzSource src = new NtuNpzSource(f, Layouts.kinectV1())) {
            assertThat(src.info().persons()).isEqualTo(2);
            assertThat(src.info().layout().numJoints()).isEqualTo(20);
            Sample s = readAll(src).get(0);
            assertThat(s.get(2, 4, 19, 1)).isEqualTo(9f);
            assertThat(s.validFrames()).isEqualTo(1);
        }
        // 150 columns do not split into persons of 20 joints
        Path ntu = npz("n.npz", false, standard());
        assertThatThrownBy(() -> new NtuNpzSource(ntu, Layouts.kinectV1()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("150 values").hasMessageContaining("20 joints")
                .hasMessageContaining("kinect-v1-20");
    }

    @Test
    void validFramesCountsFramesWithAnyNonZeroValue() throws Exception {
        float[] row = new float[T * 150];
        row[0 * 150 + 3] = 1f;                 // frame 0: one coordinate
        row[2 * 150 + 149] = -0.5f;            // frame 2: only person 2's last z
        row[5 * 150 + 75] = 1e-30f;            // frame 5: tiny but non-zero
        row[4 * 150 + 10] = -0.0f;             // frame 4: negative zero is zero
        Map<String, byte[]> m = standard();
        m.put("x_test.npy", Fixtures.npyFloats(new long[]{1, T, 150}, Arrays.copyOf(row, T * 150)));
        m.put("y_test.npy", Fixtures.npy("<f8", new long[]{1, C}, 0, 0, 0, 0, 1));
        try (NtuNpzSource src = new NtuNpzSource(npz("v.npz", false, m))) {
            Sample s = readAll(src).get(4);
            assertThat(s.validFrames()).isEqualTo(3); // a count (frames 0, 2, 5), not the last index + 1
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void badOneHotRowsAreBadSamplesNamingTheIndex(boolean deflated) throws Exception {
        Map<String, byte[]> m = standard();
        double[] y = oneHot(trainLabels, C);
        y[1 * C + 2] = 1;     // row 1: two ones
        y[2 * C + 4] = 0;     // row 2: no one
        y[3 * C + 0] = 0.5;   // row 3: not 0/1
        m.put("y_train.npy", Fixtures.npy("<f8", new long[]{4, C}, y));
        try (NtuNpzSource src = new NtuNpzSource(npz("b.npz", deflated, m))) {
            Iterator<SampleSource.Unit> it = src.units();
            assertThat(((Sample) it.next().read().get(0)).label()).isEqualTo(3);
            SampleSource.Unit u1 = it.next();
            assertThatThrownBy(u1::read).isInstanceOf(BadSampleException.class)
                    .hasMessageContaining("y_train[1]").hasMessageContaining("columns 0 and 2 are both 1");
            assertThat(((BadSampleException) catchBad(u1)).sampleName()).isEqualTo("train[1]");
            assertThatThrownBy(it.next()::read).hasMessageContaining("y_train[2]").hasMessageContaining("no column is 1");
            assertThatThrownBy(it.next()::read).hasMessageContaining("y_train[3]").hasMessageContaining("0.5");
            assertThat(((Sample) it.next().read().get(0)).name()).isEqualTo("test[0]");
        }
    }

    private static Exception catchBad(SampleSource.Unit u) {
        try {
            u.read();
            return null;
        } catch (Exception e) {
            return e;
        }
    }

    @Test
    void integerOneHotAndBigEndianDoubleCoordinatesAreRead() throws Exception {
        Map<String, byte[]> m = standard();
        double[] x = new double[T * 150];
        x[150 + 5] = 0.125;
        m.put("x_test.npy", Fixtures.npy(">f8", new long[]{1, T, 150}, x));
        m.put("y_test.npy", Fixtures.npy("<i8", new long[]{1, C}, 0, 1, 0, 0, 0));
        try (NtuNpzSource src = new NtuNpzSource(npz("i.npz", false, m))) {
            Sample s = readAll(src).get(4);
            assertThat(s.label()).isEqualTo(1);
            assertThat(s.get(2, 1, 1, 0)).isEqualTo(0.125f); // column 5 = joint 1, z
            assertThat(s.validFrames()).isEqualTo(1);
        }
    }

    @Test
    void shapeAndKeyErrorsSayWhatWasExpected() throws Exception {
        Map<String, byte[]> m = standard();
        m.put("x_train.npy", Fixtures.npy("<f4", new long[]{4, 900}, new double[3600]));
        Path f1 = npz("s1.npz", false, m);
        assertThatThrownBy(() -> new NtuNpzSource(f1)).hasMessageContaining("x_train has shape (4, 900)")
                .hasMessageContaining("expected (N, T, M·V·3)");

        m = standard();
        m.put("y_train.npy", Fixtures.npy("<f8", new long[]{4}, 3, 0, 4, 1));
        Path f2 = npz("s2.npz", false, m);
        assertThatThrownBy(() -> new NtuNpzSource(f2)).hasMessageContaining("y_train has shape (4)")
                .hasMessageContaining("(N, C)");

        m = standard();
        m.put("y_train.npy", Fixtures.npy("<f8", new long[]{3, C}, Arrays.copyOf(oneHot(trainLabels, C), 3 * C)));
        Path f3 = npz("s3.npz", false, m);
        assertThatThrownBy(() -> new NtuNpzSource(f3)).hasMessageContaining("x_train has 4 rows but y_train has 3");

        m = standard();
        m.remove("x_test.npy");
        m.remove("y_test.npy");
        Path f4 = npz("s4.npz", false, m);
        assertThatThrownBy(() -> new NtuNpzSource(f4)).hasMessageContaining("s4.npz")
                .hasMessageContaining("'x_test'").hasMessageContaining("x_train, y_train");

        m = standard();
        m.put("x_test.npy", Fixtures.npy("<i4", new long[]{2, T, 150}, new double[2 * T * 150]));
        Path f5 = npz("s5.npz", false, m);
        assertThatThrownBy(() -> new NtuNpzSource(f5)).hasMessageContaining("x_test.npy")
                .hasMessageContaining("float32 or float64").hasMessageContaining("i4");

        m = standard();
        m.put("y_test.npy", Fixtures.npy("<f8", new long[]{2, 7}, new double[14]));
        Path f6 = npz("s6.npz", false, m);
        assertThatThrownBy(() -> new NtuNpzSource(f6)).hasMessageContaining("7 classes");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void truncatedMemberFailsAtOpenNamingMemberAndRow(boolean deflated) throws Exception {
        Map<String, byte[]> m = standard();
        byte[] x = m.get("x_test.npy");
        m.put("x_test.npy", Arrays.copyOf(x, x.length - 100)); // row 1 of 2 incomplete
        Path f = npz("t.npz", deflated, m);
        assertThatThrownBy(() -> new NtuNpzSource(f)).isInstanceOf(IOException.class)
                .hasMessageContaining("x_test.npy").hasMessageContaining("row 1 of 2");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void convertsEndToEndIntoADataset(boolean deflated) throws Exception {
        Map<String, byte[]> m = standard();
        double[] y = oneHot(trainLabels, C);
        y[2 * C + 4] = 0; // train[2]: no class → skipped
        m.put("y_train.npy", Fixtures.npy("<f8", new long[]{4, C}, y));
        Path f = npz("e.npz", deflated, m);
        Path out = tmp.resolve("ds");
        try (NtuNpzSource src = new NtuNpzSource(f)) {
            Converter.Report r = new Converter(2).convert(src, SplitAssigner.fromSource(), out, "e2e",
                    Map.of("format", "ntu-npz"), false, false);
            assertThat(r.written()).isEqualTo(5);
            assertThat(r.skipped()).isEqualTo(1);
        }
        try (SkeletonDataset ds = SkeletonDataset.open(out)) {
            Manifest man = ds.manifest();
            assertThat(ds.splitNames()).containsExactly("train", "test");
            assertThat(man.splits().get("train").count()).isEqualTo(3);
            assertThat(man.splits().get("test").count()).isEqualTo(2);
            assertThat(man.skipped()).singleElement().satisfies(s -> {
                assertThat(s.name()).isEqualTo("train[2]");
                assertThat(s.reason()).contains("y_train[2]");
            });
            assertThat(man.numClasses()).isEqualTo(C);
            SkeletonDataset.ClipSplit train = ds.clips("train");
            assertThat(train.frames()).isEqualTo(T);
            assertThat(train.joints()).isEqualTo(25);
            assertThat(train.persons()).isEqualTo(2);
            assertThat(train.labels()).containsExactly(3, 0, 1);
            assertThat(train.meta(2).name()).isEqualTo("train[3]");
            assertThat(train.validFrames(1)).isEqualTo(3);
            assertTransposed(train.sample(2), xTrain[3], 25, 2);
            SkeletonDataset.ClipSplit test = ds.clips("test");
            assertThat(test.labels()).containsExactly(2, 2);
            assertThat(test.validFrames(0)).isEqualTo(3);
            assertTransposed(test.sample(1), xTest[1], 25, 2);
        }
        assertThat(Files.exists(out.resolve("manifest.json"))).isTrue();
    }
}
