package io.skeletonssl.formats;

import io.skeletonssl.dataset.BadSampleException;
import io.skeletonssl.dataset.Record;
import io.skeletonssl.dataset.Sample;
import io.skeletonssl.dataset.SampleMeta;
import io.skeletonssl.dataset.SkeletonDataset;
import io.skeletonssl.layout.Layouts;
import io.skeletonssl.util.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConverterTest {

    @BeforeAll
    static void quiet() {
        Progress.setEnabled(false);
    }

    /** A source of n units; unit i is bad when i % 7 == 3, has a NaN when i % 11 == 5. */
    static class FakeSource implements SampleSource {
        final int n;

        FakeSource(int n) {
            this.n = n;
        }

        @Override
        public Info info() {
            return new Info("fake", Layouts.ntu25(), 2, 20, 4, List.of("a", "b", "c", "d"), Map.of("n", n));
        }

        @Override
        public long size() {
            return n;
        }

        @Override
        public Iterator<Unit> units() {
            List<Unit> units = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int idx = i;
                units.add(new Unit() {
                    @Override
                    public String name() {
                        return "u" + idx;
                    }

                    @Override
                    public List<Record> read() throws BadSampleException {
                        if (idx % 7 == 3) {
                            throw new BadSampleException("u" + idx, "line 4: expected 12 numbers, found 3");
                        }
                        Random r = new Random(idx);
                        int frames = 5 + r.nextInt(20);
                        float[] d = new float[3 * frames * 25 * 2];
                        for (int k = 0; k < d.length; k++) {
                            d[k] = (float) r.nextGaussian();
                        }
                        if (idx % 11 == 5) {
                            d[Sample.index(1, 2, 3, 1, frames, 25, 2)] = Float.NaN;
                        }
                        // simulate uneven work so that threads finish out of order
                        if (idx % 5 == 0) {
                            Thread.onSpinWait();
                            try {
                                Thread.sleep(2);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                        return List.of(new Sample(d, frames, 25, 2, frames, idx % 4,
                                new SampleMeta("u" + idx, idx % 10 + 1, idx % 3 + 1, 1, 1, "u" + idx, null)));
                    }
                });
            }
            return units.iterator();
        }
    }

    @Test
    void outputIsIdenticalWhateverTheThreadCountAndBadUnitsAreSkipped(@TempDir Path dir) throws Exception {
        SplitAssigner bySubject = r -> r.meta().subject() <= 5 ? "train" : "test";
        Converter.Report one = new Converter(1).convert(new FakeSource(60), bySubject, dir.resolve("one"), "x",
                Map.of(), false, false);
        Converter.Report three = new Converter(3).convert(new FakeSource(60), bySubject, dir.resolve("three"), "x",
                Map.of(), false, false);
        for (String split : List.of("train", "test")) {
            for (String file : List.of("data.npy", "frames.npy", "labels.npy", "meta.jsonl")) {
                assertThat(Files.readAllBytes(dir.resolve("one").resolve(split).resolve(file)))
                        .as(split + "/" + file).isEqualTo(Files.readAllBytes(dir.resolve("three").resolve(split).resolve(file)));
            }
        }
        // 60 units: bad when i%7==3 -> 3,10,...,59 = 9 units; NaN when i%11==5 -> 5,16,27,49 (38 is already bad) = 4
        assertThat(one.skipped()).isEqualTo(13);
        assertThat(one.written()).isEqualTo(47);
        assertThat(three.manifest().skipped()).anySatisfy(s -> {
            assertThat(s.name()).isEqualTo("u3");
            assertThat(s.reason()).contains("line 4");
        });
        assertThat(three.manifest().skipped()).anySatisfy(s -> {
            assertThat(s.name()).isEqualTo("u5");
            assertThat(s.reason()).isEqualTo("NaN at frame 2, joint 3, person 1, coordinate y");
        });
        try (SkeletonDataset ds = SkeletonDataset.open(dir.resolve("three"))) {
            SkeletonDataset.ClipSplit train = ds.clips("train");
            // records keep source order inside a split
            List<String> names = new ArrayList<>();
            for (int i = 0; i < train.size(); i++) {
                names.add(train.meta(i).name());
            }
            List<String> sorted = new ArrayList<>(names);
            sorted.sort((a, b) -> Integer.compare(Integer.parseInt(a.substring(1)), Integer.parseInt(b.substring(1))));
            assertThat(names).isEqualTo(sorted);
            assertThat(train.size() + ds.clips("test").size()).isEqualTo(47);
        }
    }

    @Test
    void splitFileNamingMissingSamplesFailsAndWritesNothing(@TempDir Path dir) throws Exception {
        Path split = dir.resolve("train.txt");
        Files.writeString(split, "u0\nu1\nS999\n");
        Path out = dir.resolve("ds");
        assertThatThrownBy(() -> new Converter(2).convert(new FakeSource(10), SplitFile.load(split), out, "x",
                Map.of(), false, false))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("train.txt names 1 sample(s) not in the input, e.g. S999 (line 3)");
        assertThat(out).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("train.txt");
        }
        Converter.Report ok = new Converter(2).convert(new FakeSource(10), SplitFile.load(split), out, "x",
                Map.of(), false, true);
        assertThat(ok.manifest().splits().get("train").count()).isEqualTo(2);
        assertThat(ok.manifest().warnings()).anyMatch(w -> w.contains("S999"));
    }

    @Test
    void allBadInputIsAnError(@TempDir Path dir) {
        SampleSource allBad = new FakeSource(1) {
            @Override
            public Iterator<Unit> units() {
                return List.<Unit>of(new Unit() {
                    @Override
                    public String name() {
                        return "only";
                    }

                    @Override
                    public List<Record> read() throws BadSampleException {
                        throw new BadSampleException("only", "truncated");
                    }
                }).iterator();
            }
        };
        assertThatThrownBy(() -> new Converter(1).convert(allBad, SplitAssigner.single("all"), dir.resolve("o"), "x",
                Map.of(), false, false)).hasMessageContaining("no usable samples")
                .hasMessageContaining("only: truncated");
        assertThat(dir.resolve("o")).doesNotExist();
    }

    @Test
    void allBadInputRepeatsTheFirstReasonsAndTheCount(@TempDir Path dir) {
        int n = Converter.REASONS_SHOWN + 3;
        SampleSource allBad = new FakeSource(n) {
            @Override
            public Iterator<Unit> units() {
                List<Unit> units = new java.util.ArrayList<>();
                for (int i = 0; i < n; i++) {
                    String name = "bad" + i + ".skeleton";
                    int line = i + 1;
                    units.add(new Unit() {
                        @Override
                        public String name() {
                            return name;
                        }

                        @Override
                        public List<Record> read() throws BadSampleException {
                            throw new BadSampleException(name, "truncated at line " + line);
                        }
                    });
                }
                return units.iterator();
            }
        };
        assertThatThrownBy(() -> new Converter(2).convert(allBad, SplitAssigner.single("all"), dir.resolve("o"), "x",
                Map.of(), false, false))
                .hasMessageContaining("(" + n + " skipped, 0 outside the protocol)")
                .hasMessageContaining("bad0.skeleton: truncated at line 1")
                .hasMessageContaining("bad" + (Converter.REASONS_SHOWN - 1) + ".skeleton: truncated at line "
                        + Converter.REASONS_SHOWN)
                .hasMessageNotContaining("bad" + Converter.REASONS_SHOWN + ".skeleton")
                .hasMessageContaining("and 3 more");
        assertThat(dir.resolve("o")).doesNotExist();
    }

    @Test
    void checkRejectsEmptyAndZeroSequences() {
        SampleSource.Info info = new FakeSource(1).info();
        Sample zeros = new Sample(new float[3 * 4 * 25 * 2], 4, 25, 2, 4, 0, SampleMeta.named("z", null));
        assertThat(Converter.check(zeros, info)).isEqualTo("all coordinates are zero");
        Sample empty = new Sample(new float[0], 0, 25, 2, 0, 0, SampleMeta.named("e", null));
        assertThat(Converter.check(empty, info)).contains("empty sequence");
        float[] d = new float[3 * 2 * 25 * 2];
        d[7] = Float.POSITIVE_INFINITY;
        assertThat(Converter.check(new Sample(d, 2, 25, 2, 2, 0, SampleMeta.named("i", null)), info))
                .startsWith("Inf at frame 0, joint 3, person 1");
    }
}
