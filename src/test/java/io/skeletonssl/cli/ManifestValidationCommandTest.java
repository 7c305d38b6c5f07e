package io.skeletonssl.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.io.MappedNpy;
import io.skeletonssl.util.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code info} and {@code pretrain} on a synthetic dataset whose manifest.json was corrupted by hand. */
class ManifestValidationCommandTest {

    @TempDir
    static Path shared;
    static Path good;

    @BeforeAll
    static void setUp() {
        Progress.setEnabled(false);
        good = shared.resolve("synth");
        CliTest.Result s = CliTest.run("synth", "--out", good.toString(), "--preset", "small", "--classes", "3", "-j", "2");
        assertThat(s.code()).as(s.err()).isZero();
    }

    /** A copy of the good dataset with its manifest changed by {@code change}. */
    private static Path corrupted(Path dir, Consumer<ObjectNode> change) throws IOException {
        Path ds = NonFiniteWeightsCommandTest.copy(good, dir.resolve("ds"));
        ObjectMapper json = new ObjectMapper();
        ObjectNode m = (ObjectNode) json.readTree(ds.resolve("manifest.json").toFile());
        change.accept(m);
        json.writeValue(ds.resolve("manifest.json").toFile(), m);
        return ds;
    }

    private static String shapeOf(Path npy) throws IOException {
        try (MappedNpy a = new MappedNpy(npy)) {
            return a.header().shapeString();
        }
    }

    @Test
    void infoPrintsTheShapesOfTheArraysOnDisk() throws IOException {
        CliTest.Result r = CliTest.run("info", good.toString());
        assertThat(r.code()).as(r.err()).isZero();
        for (String split : new String[] {"train", "test"}) {
            String shape = shapeOf(good.resolve(split).resolve("data.npy"));
            assertThat(r.out()).containsPattern("split +" + split + " +clips .*\\Q" + shape + "\\E");
        }
        long[] s;
        try (MappedNpy a = new MappedNpy(good.resolve("train").resolve("data.npy"))) {
            s = a.header().shape();
        }
        assertThat(r.out()).contains("V=" + s[3] + " joints, M=" + s[4] + " persons, C=" + s[1] + ", T=" + s[2]
                + " frames");
    }

    @Test
    void infoRefusesJointsThatDisagreeWithTheData(@TempDir Path dir) throws IOException {
        Path ds = corrupted(dir, m -> m.put("joints", 24));
        CliTest.Result r = CliTest.run("info", ds.toString());
        assertThat(r.code()).isEqualTo(1);
        Path data = ds.resolve("train").resolve("data.npy");
        assertThat(r.err().strip()).isEqualTo("error: " + ds.resolve("manifest.json") + ": joints is 24 but " + data
                + " has shape " + shapeOf(data));
        assertThat(r.out()).doesNotContain("V=24");
    }

    @Test
    void infoOfAnEmptyManifestListsTheMissingKeys(@TempDir Path dir) throws IOException {
        Path ds = corrupted(dir, ObjectNode::removeAll);
        CliTest.Result r = CliTest.run("info", ds.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: " + ds.resolve("manifest.json") + ": missing keys 'formatVersion'")
                .contains("'layout'", "'splits'").doesNotContain("version 0");
    }

    @Test
    void pretrainRefusesAManifestWithoutLayoutAndCreatesNoRun(@TempDir Path dir) throws IOException {
        Path ds = corrupted(dir, m -> m.remove("layout"));
        Path out = dir.resolve("run");
        CliTest.Result r = CliTest.run("pretrain", "--method", "mamp", "--preset", "mamp-small", "--data", ds.toString(),
                "--out", out.toString(), "--epochs", "1", "-j", "2");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: " + ds.resolve("manifest.json") + ": missing key 'layout'");
        assertNothingWritten(out);
    }

    @Test
    void pretrainRefusesAManifestWithoutSplits(@TempDir Path dir) throws IOException {
        Path ds = corrupted(dir, m -> m.remove("splits"));
        Path out = dir.resolve("run");
        CliTest.Result r = CliTest.run("pretrain", "--method", "mamp", "--preset", "mamp-small", "--data", ds.toString(),
                "--out", out.toString(), "--epochs", "1", "-j", "2");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("error: " + ds.resolve("manifest.json") + ": missing key 'splits' "
                + "(expected an object of split name -> {kind, count, totalFrames, classCounts, files})");
        assertNothingWritten(out);
    }

    /**
     * The pretrainer creates its run folder before it opens the data (Pretrainer.run, outside this
     * change); an empty folder does not block a new run, so what matters is that nothing is in it.
     */
    private static void assertNothingWritten(Path out) throws IOException {
        if (Files.exists(out)) {
            try (var left = Files.list(out)) {
                assertThat(left).isEmpty();
            }
        }
    }
}
