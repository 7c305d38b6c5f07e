package io.skeletonssl.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.layout.Layouts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link SkeletonDataset#open} validates manifest.json: a good folder written by {@link DatasetWriter}
 * opens; each corruption of its manifest is an error naming the file and the key.
 */
class ManifestCheckTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** 3 train clips and 2 test clips of (C 3, T 5, V 25, M 2), labels 0..2 of 3 classes, and 2 streams. */
    private Path dataset() throws IOException {
        Path out = tmp.resolve("ds");
        try (DatasetWriter w = new DatasetWriter(out, DatasetRoundTripTest.spec(5), false)) {
            w.add("train", DatasetRoundTripTest.clip("A", 4, 0, 1));
            w.add("train", DatasetRoundTripTest.clip("B", 5, 2, 2));
            w.add("train", DatasetRoundTripTest.clip("C", 3, 1, 3));
            w.add("test", DatasetRoundTripTest.clip("D", 5, 1, 4));
            w.add("test", DatasetRoundTripTest.clip("E", 2, 0, 5));
            List<StreamSample.Segment> segs = List.of(new StreamSample.Segment(1, 1, 3));
            for (String name : new String[] {"s1", "s2"}) {
                w.add("streams", new StreamSample(new float[3 * 6 * 25 * 2], 6, 25, 2,
                        StreamSample.frameLabels(6, segs), segs, SampleMeta.named(name, name), null));
            }
            w.commit();
        }
        return out;
    }

    private static void edit(Path ds, Consumer<ObjectNode> change) throws IOException {
        Path file = ds.resolve(Manifest.FILE);
        ObjectNode m = (ObjectNode) JSON.readTree(file.toFile());
        change.accept(m);
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), m);
    }

    private static ObjectNode split(ObjectNode m, String name) {
        return (ObjectNode) m.path("splits").path(name);
    }

    private static String manifest(Path ds) {
        return ds.resolve(Manifest.FILE) + ": ";
    }

    private static void assertOpenFails(Path ds, String message) {
        assertThatThrownBy(() -> SkeletonDataset.open(ds)).isInstanceOf(IOException.class)
                .hasMessage(manifest(ds) + message);
    }

    @Test
    void aGoodDatasetOpensWithItsDeclaredShapes() throws Exception {
        Path ds = dataset();
        try (SkeletonDataset d = SkeletonDataset.open(ds)) {
            Manifest m = d.manifest();
            assertThat(m.joints()).isEqualTo(25).isEqualTo(m.layout().numJoints()).isEqualTo(d.clips("train").joints());
            assertThat(m.maxFrames()).isEqualTo(5).isEqualTo(d.clips("train").frames());
            assertThat(m.persons()).isEqualTo(2).isEqualTo(d.streams("streams").persons());
            assertThat(m.splits()).containsOnlyKeys("train", "test", "streams");
            assertThat(m.splits().get("streams").totalFrames()).isEqualTo(12);
        }
    }

    @Test
    void anEmptyObjectNamesEveryMissingKeyNotAFormatVersion() throws Exception {
        Path ds = dataset();
        Files.writeString(ds.resolve(Manifest.FILE), "{}");
        assertThatThrownBy(() -> SkeletonDataset.open(ds))
                .hasMessageStartingWith(manifest(ds) + "missing keys 'formatVersion' (expected an integer, 1), "
                        + "'name' (expected a string: the dataset name), 'layout' (expected an object")
                .hasMessageContaining("'channels'", "'maxFrames'", "'joints'", "'persons'", "'numClasses'")
                .hasMessageEndingWith("'splits' (expected an object of split name -> {kind, count, totalFrames, "
                        + "classCounts, files})")
                .hasMessageNotContaining("version 0");
    }

    @Test
    void missingSplitsOrLayoutAreNamed() throws Exception {
        Path ds = dataset();
        edit(ds, m -> m.remove("splits"));
        assertOpenFails(ds, "missing key 'splits' (expected an object of split name -> {kind, count, totalFrames, "
                + "classCounts, files})");
        Files.move(ds, tmp.resolve("without-splits"));
        Path again = dataset();
        edit(again, m -> m.remove("layout"));
        assertOpenFails(again, "missing key 'layout' (expected an object: the skeleton layout {name, joints, bones, ...})");
    }

    @Test
    void wrongJsonTypesAreNamed() throws Exception {
        Path ds = dataset();
        edit(ds, m -> m.put("joints", "25"));
        assertOpenFails(ds, "joints must be an integer: V, found string \"25\"");
        edit(ds, m -> {
            m.put("joints", 25);
            m.putArray("splits");
        });
        assertOpenFails(ds, "splits must be an object of split name -> {kind, count, totalFrames, classCounts, files},"
                + " found array []");
        edit(ds, m -> m.putNull("layout"));
        assertThatThrownBy(() -> SkeletonDataset.open(ds)).hasMessageStartingWith(manifest(ds) + "layout must be an "
                + "object").hasMessageEndingWith("found null");
        Files.writeString(ds.resolve(Manifest.FILE), "[1, 2]");
        assertOpenFails(ds, "expected a JSON object, found array [1,2]");
        Files.writeString(ds.resolve(Manifest.FILE), "{\"formatVersion\": 1,");
        assertThatThrownBy(() -> SkeletonDataset.open(ds)).hasMessageStartingWith(manifest(ds) + "unreadable manifest");
    }

    @Test
    void aFormatVersionThisBuildDoesNotReadIsRefused() throws Exception {
        Path ds = dataset();
        edit(ds, m -> m.put("formatVersion", 2));
        assertOpenFails(ds, "dataset format version 2, this build reads version 1");
    }

    @Test
    void declaredShapesMustMatchTheArraysOnDisk() throws Exception {
        Path ds = dataset();
        Path train = ds.resolve("train").resolve("data.npy");
        edit(ds, m -> m.put("joints", 24));
        assertOpenFails(ds, "joints is 24 but " + train + " has shape (3, 3, 5, 25, 2)");
        edit(ds, m -> {
            m.put("joints", 25);
            m.put("maxFrames", 300);
        });
        assertOpenFails(ds, "maxFrames is 300 but " + train + " has shape (3, 3, 5, 25, 2)");
        edit(ds, m -> {
            m.put("maxFrames", 5);
            split(m, "train").put("count", 4);
        });
        assertOpenFails(ds, "splits.train.count is 4 but " + train + " has shape (3, 3, 5, 25, 2)");
        edit(ds, m -> {
            split(m, "train").put("count", 3);
            split(m, "streams").put("totalFrames", 13);
        });
        assertOpenFails(ds, "splits.streams.totalFrames is 13 but " + ds.resolve("streams").resolve("data.npy")
                + " has shape (12, 3, 25, 2)");
        edit(ds, m -> {
            split(m, "streams").put("totalFrames", 12);
            split(m, "streams").put("count", 3);
        });
        assertOpenFails(ds, "splits.streams.count is 3 but " + ds.resolve("streams").resolve("offsets.npy")
                + " has shape (3) (expected (4,): one offset per stream plus the end)");
    }

    @Test
    void theLayoutMustBeValidAndAgreeWithTheJoints() throws Exception {
        Path ds = dataset();
        edit(ds, m -> ((ObjectNode) m.get("layout")).remove("joints"));
        assertOpenFails(ds, "missing key 'layout.joints' (expected the list of joint names)");
        edit(ds, m -> {
            m.set("layout", JSON.valueToTree(Layouts.ntu25()));
            ArrayNode joints = (ArrayNode) m.get("layout").get("joints");
            joints.remove(24);
        });
        assertThatThrownBy(() -> SkeletonDataset.open(ds)).hasMessageStartingWith(manifest(ds)
                + "layout is not a valid skeleton layout: ");
        edit(ds, m -> m.set("layout", JSON.valueToTree(Layouts.kinectV1())));
        assertOpenFails(ds, "layout 'kinect-v1-20' has 20 joints but joints is 25");
    }

    @Test
    void splitEntriesAreChecked() throws Exception {
        Path ds = dataset();
        edit(ds, m -> split(m, "test").remove("kind"));
        assertOpenFails(ds, "missing key 'splits.test.kind' (expected \"clips\" or \"streams\")");
        edit(ds, m -> split(m, "test").put("kind", "videos"));
        assertOpenFails(ds, "splits.test.kind is 'videos', expected \"clips\" or \"streams\"");
        edit(ds, m -> {
            split(m, "test").put("kind", "clips");
            split(m, "test").put("count", "two");
        });
        assertOpenFails(ds, "splits.test.count must be an integer: the number of clips or streams, found string \"two\"");
        edit(ds, m -> {
            split(m, "test").put("count", 2);
            split(m, "test").putArray("classCounts").add(1).add(1);
        });
        assertOpenFails(ds, "splits.test.classCounts has 2 entries but numClasses is 3");
        edit(ds, m -> {
            split(m, "test").putArray("classCounts").add(1).add(1).add(0);
            m.with("splits").putObject("val").put("kind", "clips").put("count", 1);
        });
        assertOpenFails(ds, "splits.val: the split folder " + ds.resolve("val") + " does not exist");
    }

    @Test
    void labelsMustLieInTheDeclaredClasses() throws Exception {
        Path ds = dataset();
        edit(ds, m -> {
            m.put("numClasses", 2);
            m.remove("classNames");
            for (JsonNode s : m.get("splits")) {
                ((ObjectNode) s).remove("classCounts");
            }
        });
        // train holds labels 0, 2, 1
        assertOpenFails(ds, "numClasses is 2 but " + ds.resolve("train").resolve("labels.npy")
                + " has label 2 (clip 1); labels must lie in 0..1");
        edit(ds, m -> {
            m.put("numClasses", 3);
            m.putArray("classNames").add("a").add("b");
        });
        assertOpenFails(ds, "classNames has 2 names but numClasses is 3");
    }

    @Test
    void unknownKeysAreIgnoredAndOptionalOnesMayBeAbsent() throws Exception {
        Path ds = dataset();
        edit(ds, m -> {
            for (String k : new String[] {"classNames", "source", "options", "skipped", "warnings", "created"}) {
                m.remove(k);
            }
            m.put("comment", "added by hand");
        });
        try (SkeletonDataset d = SkeletonDataset.open(ds)) {
            assertThat(d.manifest().classNames()).isNull();
            assertThat(d.clips("test").size()).isEqualTo(2);
        }
    }
}
