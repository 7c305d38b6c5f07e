package io.skeletonssl.layout;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LayoutsTest {

    @Test
    void ntu25BonesMatchSpecSection02() {
        SkeletonLayout ntu = Layouts.ntu25();
        assertThat(ntu.numJoints()).isEqualTo(25);
        // spec §0.2, 1-based (joint, parent) pairs
        int[][] spec = {{1, 2}, {2, 21}, {3, 21}, {4, 3}, {5, 21}, {6, 5}, {7, 6}, {8, 7}, {9, 21}, {10, 9}, {11, 10},
                {12, 11}, {13, 1}, {14, 13}, {15, 14}, {16, 15}, {17, 1}, {18, 17}, {19, 18}, {20, 19}, {22, 23},
                {21, 21}, {23, 8}, {24, 25}, {25, 12}};
        int[][] bones = ntu.bones();
        assertThat(bones).hasDimensions(25, 2);
        for (int i = 0; i < spec.length; i++) {
            assertThat(bones[i]).containsExactly(spec[i][0] - 1, spec[i][1] - 1);
        }
        int[] parent = ntu.boneParents();
        assertThat(parent[20]).as("SpineShoulder has a zero bone").isEqualTo(20);
        assertThat(parent[21]).as("HandTipLeft -> ThumbLeft").isEqualTo(22);
        assertThat(ntu.jointNames().get(1)).isEqualTo("SpineMid");
        assertThat(ntu.center()).isEqualTo(1);
    }

    @Test
    void ntu25BodyPartsMatchSpecSection03() {
        SkeletonLayout ntu = Layouts.ntu25();
        int[][] spec = {{4, 3, 21, 2, 1}, {9, 10, 11, 12, 24, 25}, {5, 6, 7, 8, 22, 23}, {17, 18, 19, 20}, {13, 14, 15, 16}};
        assertThat(ntu.bodyParts()).hasSize(5);
        for (int p = 0; p < 5; p++) {
            int[] zeroBased = Arrays.stream(spec[p]).map(j -> j - 1).toArray();
            assertThat(ntu.bodyParts().get(p).joints()).containsExactly(zeroBased);
        }
        Set<Integer> all = new HashSet<>();
        ntu.bodyParts().forEach(p -> Arrays.stream(p.joints()).forEach(all::add));
        assertThat(all).as("the five parts cover every joint once").hasSize(25);
    }

    @Test
    void ntu25MirrorIsTheSpecPermutation() {
        assertThat(Layouts.ntu25().mirror()).containsExactly(
                0, 1, 2, 3, 8, 9, 10, 11, 4, 5, 6, 7, 16, 17, 18, 19, 12, 13, 14, 15, 20, 23, 24, 21, 22);
    }

    @Test
    void builtInsAreConsistent() {
        for (String name : Layouts.BUILT_IN) {
            SkeletonLayout l = Layouts.builtIn(name);
            assertThat(l.name()).isEqualTo(name);
            int[] mirror = l.mirror();
            for (int j = 0; j < l.numJoints(); j++) {
                assertThat(mirror[mirror[j]]).isEqualTo(j);
                String n = l.jointNames().get(j);
                String m = l.jointNames().get(mirror[j]);
                // mirrored joints swap Left/Right in their names
                assertThat(m).isEqualTo(n.contains("Left") ? n.replace("Left", "Right")
                        : n.contains("Right") ? n.replace("Right", "Left") : n);
            }
            assertThat(l.edges()).hasSize(l.numJoints() - 1);
        }
        assertThat(Layouts.kinectV1().numJoints()).isEqualTo(20);
        assertThat(Layouts.msr20().jointNames().get(19)).isEqualTo("Head");
    }

    @Test
    void userLayoutFromJsonAndYaml(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("tri.json");
        Files.writeString(json, """
                {"name": "tri", "joints": ["a", "b", "c"], "bones": [[1, 0], [2, 0]],
                 "bodyParts": [{"name": "all", "joints": [0, 1, 2]}], "center": 0, "mirror": [0, 2, 1]}
                """);
        SkeletonLayout l = Layouts.resolve(json.toString());
        assertThat(l.numJoints()).isEqualTo(3);
        assertThat(l.boneParents()).containsExactly(0, 0, 0);
        Path yaml = dir.resolve("tri.yaml");
        Files.writeString(yaml, """
                name: tri
                indexBase: 1
                joints: [a, b, c]
                bones: [[2, 1], [3, 1]]
                bodyParts: [{name: all, joints: [1, 2, 3]}]
                center: 1
                mirror: [1, 3, 2]
                """);
        assertThat(Layouts.resolve(yaml.toString())).isEqualTo(l);
        SkeletonLayout roundTrip = Layouts.resolve(writeJson(dir, Layouts.toJson(Layouts.ntu25())).toString());
        assertThat(roundTrip).isEqualTo(Layouts.ntu25());
    }

    private static Path writeJson(Path dir, String text) throws Exception {
        Path p = dir.resolve("ntu-copy.json");
        Files.writeString(p, text);
        return p;
    }

    @Test
    void badLayoutsAreRejectedWithReasons(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> Layouts.resolve("ntu26")).hasMessageContaining("unknown layout 'ntu26'")
                .hasMessageContaining("ntu25");
        assertThatThrownBy(() -> Layouts.resolve(dir.resolve("nope.json").toString()))
                .hasMessageContaining("layout file not found");
        Path badBone = dir.resolve("bad.json");
        Files.writeString(badBone, "{\"joints\": [\"a\", \"b\"], \"bones\": [[1, 5]]}");
        assertThatThrownBy(() -> Layouts.load(badBone)).hasMessageContaining("names joint 5");
        Path badMirror = dir.resolve("mirror.json");
        Files.writeString(badMirror, "{\"joints\": [\"a\", \"b\", \"c\"], \"mirror\": [1, 2, 0]}");
        assertThatThrownBy(() -> Layouts.load(badMirror)).hasMessageContaining("involution");
        Path noJoints = dir.resolve("empty.yaml");
        Files.writeString(noJoints, "name: x\n");
        assertThatThrownBy(() -> Layouts.load(noJoints)).hasMessageContaining("'joints'");
        Path malformed = dir.resolve("broken.json");
        Files.writeString(malformed, "{\"joints\": [");
        assertThatThrownBy(() -> Layouts.load(malformed)).hasMessageContaining("not valid JSON");
    }

    @Test
    void builtInsNameTheirAlignmentJoints() {
        record Expected(String layout, String[] spine, String[] shoulders, String[] torso) {
        }
        for (Expected e : new Expected[]{
                new Expected("ntu25", new String[]{"SpineBase", "SpineMid"}, new String[]{"ShoulderLeft", "ShoulderRight"},
                        new String[]{"SpineBase", "SpineShoulder"}),
                new Expected("kinect-v1-20", new String[]{"HipCenter", "Spine"},
                        new String[]{"ShoulderLeft", "ShoulderRight"}, new String[]{"HipCenter", "ShoulderCenter"}),
                new Expected("msr20", new String[]{"HipCenter", "Spine"}, new String[]{"ShoulderLeft", "ShoulderRight"},
                        new String[]{"HipCenter", "Neck"})}) {
            SkeletonLayout l = Layouts.builtIn(e.layout());
            SkeletonLayout.Alignment a = l.requireAlignment("test");
            assertThat(names(l, a.spine())).as(e.layout()).containsExactly(e.spine());
            assertThat(names(l, a.shoulders())).as(e.layout()).containsExactly(e.shoulders());
            assertThat(names(l, a.torso())).as(e.layout()).containsExactly(e.torso());
        }
        // the spec's pre_normalization joints for NTU (0-based 0 -> 1 onto z, 4 -> 8 onto x)
        assertThat(Layouts.ntu25().alignment().spine()).containsExactly(0, 1);
        assertThat(Layouts.ntu25().alignment().shoulders()).containsExactly(4, 8);
    }

    private static String[] names(SkeletonLayout l, int[] joints) {
        return Arrays.stream(joints).mapToObj(j -> l.jointNames().get(j)).toArray(String[]::new);
    }

    @Test
    void userLayoutsMayNameAlignmentJoints(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("four.yaml");
        Files.writeString(yaml, """
                name: four
                indexBase: 1
                joints: [hip, spine, lshoulder, rshoulder]
                center: 2
                mirror: [1, 2, 4, 3]
                alignment: {spine: [1, 2], shoulders: [3, 4]}
                """);
        SkeletonLayout l = Layouts.load(yaml);
        assertThat(l.alignment().spine()).containsExactly(0, 1);
        assertThat(l.alignment().shoulders()).containsExactly(2, 3);
        assertThat(l.alignment().torso()).as("default: the spine bone").containsExactly(0, 1);
        SkeletonLayout copy = Layouts.resolve(writeJson(dir, Layouts.toJson(l)).toString());
        assertThat(copy).isEqualTo(l);
        assertThat(Layouts.toJson(l)).contains("\"alignment\"");
        SkeletonLayout none = new SkeletonLayout("none", java.util.List.of("a", "b"), null, null, 0, null);
        assertThat(Layouts.toJson(none)).doesNotContain("alignment");
        assertThat(none).isNotEqualTo(new SkeletonLayout("none", java.util.List.of("a", "b"), null, null, 0, null,
                new SkeletonLayout.Alignment(new int[]{0, 1}, new int[]{0, 1}, null)));
        assertThatThrownBy(() -> none.requireAlignment("--normalize align"))
                .hasMessageContaining("--normalize align needs the layout's alignment joints, but layout 'none' has none");
        String[][] bad = {
                {"{\"spine\": [0, 1], \"shoulders\": [0, 7]}", "alignment.shoulders names joint 7"},
                {"{\"spine\": [1, 1], \"shoulders\": [0, 1]}", "alignment.spine names joint 1 twice"},
                {"{\"spine\": [0, 1]}", "alignment.shoulders must be a pair"}};
        for (int i = 0; i < bad.length; i++) {
            Path f = dir.resolve("bad-alignment-" + i + ".json");
            Files.writeString(f, "{\"joints\": [\"a\", \"b\"], \"alignment\": " + bad[i][0] + "}");
            assertThatThrownBy(() -> Layouts.load(f)).hasMessageContaining(bad[i][1]);
        }
    }
}
