package io.skeletonssl.layout;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;

/**
 * An immutable skeleton layout: which joints exist and how they connect.
 *
 * <p>All joint indices are 0-based. {@code bones} holds pairs (joint, parent): the bone stream of
 * joint {@code j} is {@code x[j] - x[parent]}; a joint paired with itself has a zero bone (the NTU
 * convention for SpineShoulder). {@code bodyParts} drive topology masking and occlusion;
 * {@code mirror} maps every joint to its left/right counterpart. The optional {@code alignment}
 * names the joints that {@code prepare --normalize align} and {@code --scale-body} use.
 */
public final class SkeletonLayout {

    /** A named group of joints (trunk, arms, legs). */
    public record BodyPart(String name, int[] joints) {
        @JsonCreator
        public BodyPart(@JsonProperty("name") String name, @JsonProperty("joints") int[] joints) {
            this.name = Objects.requireNonNull(name, "body part name");
            this.joints = joints.clone();
        }

        @Override
        public int[] joints() {
            return joints.clone();
        }
    }

    /**
     * The joints of the body frame, each a pair of 0-based joints: {@code spine} (bottom, top: the
     * hip / spine-base joint and the spine joint above it, rotated onto +z), {@code shoulders} (left,
     * right: the bone from the left to the right shoulder, rotated onto +x) and {@code torso} (the bone
     * whose mean length {@code --scale-body} divides by; default: {@code spine}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Alignment(int[] spine, int[] shoulders, int[] torso) {
        @JsonCreator
        public Alignment(@JsonProperty("spine") int[] spine, @JsonProperty("shoulders") int[] shoulders,
                         @JsonProperty("torso") int[] torso) {
            this.spine = pair(spine, "spine");
            this.shoulders = pair(shoulders, "shoulders");
            this.torso = torso == null ? this.spine : pair(torso, "torso");
        }

        private static int[] pair(int[] p, String field) {
            if (p == null || p.length != 2) {
                throw new IllegalArgumentException("alignment." + field + " must be a pair of joints [from, to]");
            }
            if (p[0] == p[1]) {
                throw new IllegalArgumentException("alignment." + field + " names joint " + p[0]
                        + " twice; a bone needs two joints");
            }
            return p.clone();
        }

        @Override
        public int[] spine() {
            return spine.clone();
        }

        @Override
        public int[] shoulders() {
            return shoulders.clone();
        }

        @Override
        public int[] torso() {
            return torso.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Alignment a && Arrays.equals(spine, a.spine) && Arrays.equals(shoulders, a.shoulders)
                    && Arrays.equals(torso, a.torso);
        }

        @Override
        public int hashCode() {
            return Objects.hash(Arrays.hashCode(spine), Arrays.hashCode(shoulders), Arrays.hashCode(torso));
        }

        @Override
        public String toString() {
            return "Alignment[spine=" + Arrays.toString(spine) + ", shoulders=" + Arrays.toString(shoulders)
                    + ", torso=" + Arrays.toString(torso) + "]";
        }
    }

    private final String name;
    private final List<String> joints;
    private final int[][] bones;
    private final List<BodyPart> bodyParts;
    private final int center;
    private final int[] mirror;
    private final Alignment alignment;

    /** A layout without alignment joints. */
    public SkeletonLayout(String name, List<String> joints, int[][] bones, List<BodyPart> bodyParts, int center,
                          int[] mirror) {
        this(name, joints, bones, bodyParts, center, mirror, null);
    }

    @JsonCreator
    public SkeletonLayout(@JsonProperty("name") String name,
                          @JsonProperty("joints") List<String> joints,
                          @JsonProperty("bones") int[][] bones,
                          @JsonProperty("bodyParts") List<BodyPart> bodyParts,
                          @JsonProperty("center") int center,
                          @JsonProperty("mirror") int[] mirror,
                          @JsonProperty("alignment") Alignment alignment) {
        this.name = name == null ? "custom" : name;
        this.joints = List.copyOf(Objects.requireNonNull(joints, "layout needs 'joints'"));
        this.bones = bones == null ? new int[0][] : deepCopy(bones);
        this.bodyParts = bodyParts == null ? List.of() : List.copyOf(bodyParts);
        this.center = center;
        this.mirror = mirror == null ? identity(this.joints.size()) : mirror.clone();
        this.alignment = alignment;
        validate();
    }

    private void validate() {
        int v = joints.size();
        if (v == 0) {
            throw new IllegalArgumentException("layout '" + name + "': no joints");
        }
        for (int i = 0; i < bones.length; i++) {
            int[] b = bones[i];
            if (b == null || b.length != 2) {
                throw new IllegalArgumentException("layout '" + name + "': bone " + i + " must be a pair [joint, parent]");
            }
            checkJoint(b[0], "bone " + i);
            checkJoint(b[1], "bone " + i);
        }
        for (BodyPart p : bodyParts) {
            if (p.joints.length == 0) {
                throw new IllegalArgumentException("layout '" + name + "': body part '" + p.name + "' is empty");
            }
            for (int j : p.joints) {
                checkJoint(j, "body part '" + p.name + "'");
            }
        }
        checkJoint(center, "center");
        if (alignment != null) {
            for (int j : alignment.spine) {
                checkJoint(j, "alignment.spine");
            }
            for (int j : alignment.shoulders) {
                checkJoint(j, "alignment.shoulders");
            }
            for (int j : alignment.torso) {
                checkJoint(j, "alignment.torso");
            }
        }
        if (mirror.length != v) {
            throw new IllegalArgumentException("layout '" + name + "': mirror has " + mirror.length
                    + " entries, expected one per joint (" + v + ")");
        }
        BitSet seen = new BitSet(v);
        for (int i = 0; i < v; i++) {
            checkJoint(mirror[i], "mirror");
            if (mirror[mirror[i]] != i) {
                throw new IllegalArgumentException("layout '" + name + "': mirror is not an involution at joint " + i);
            }
            seen.set(mirror[i]);
        }
        if (seen.cardinality() != v) {
            throw new IllegalArgumentException("layout '" + name + "': mirror is not a permutation");
        }
    }

    private void checkJoint(int j, String where) {
        if (j < 0 || j >= joints.size()) {
            throw new IllegalArgumentException("layout '" + name + "': " + where + " names joint " + j
                    + ", outside 0.." + (joints.size() - 1));
        }
    }

    @JsonProperty("name")
    public String name() {
        return name;
    }

    @JsonProperty("joints")
    public List<String> jointNames() {
        return joints;
    }

    @JsonIgnore
    public int numJoints() {
        return joints.size();
    }

    /** Bone pairs (joint, parent), 0-based. */
    @JsonProperty("bones")
    public int[][] bones() {
        return deepCopy(bones);
    }

    @JsonProperty("bodyParts")
    public List<BodyPart> bodyParts() {
        return bodyParts;
    }

    @JsonIgnore
    public boolean hasBodyParts() {
        return !bodyParts.isEmpty();
    }

    @JsonProperty("center")
    public int center() {
        return center;
    }

    /** Left/right mirror permutation: joint i becomes joint mirror[i]. */
    @JsonProperty("mirror")
    public int[] mirror() {
        return mirror.clone();
    }

    /** The joints of the body frame, or null when the layout does not name them. */
    @JsonProperty("alignment")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public Alignment alignment() {
        return alignment;
    }

    /**
     * The alignment joints, or an error saying that {@code what} needs them and how a layout file
     * gives them.
     */
    public Alignment requireAlignment(String what) {
        if (alignment == null) {
            throw new IllegalArgumentException(what + " needs the layout's alignment joints, but layout '" + name
                    + "' has none: add an 'alignment' section to the layout file, e.g. alignment: {spine: [hip, spine], "
                    + "shoulders: [left shoulder, right shoulder], torso: [hip, neck]} (joint indices)");
        }
        return alignment;
    }

    /** "Name (index)" of a joint, for reports. */
    public String jointLabel(int joint) {
        return joints.get(joint) + " (" + joint + ")";
    }

    /** Parent of each joint for the bone stream (a joint without a bone pair is its own parent: zero bone). */
    @JsonIgnore
    public int[] boneParents() {
        int[] parent = identity(joints.size());
        for (int[] b : bones) {
            parent[b[0]] = b[1];
        }
        return parent;
    }

    /** Edges between distinct joints, for drawing. */
    @JsonIgnore
    public List<int[]> edges() {
        List<int[]> out = new ArrayList<>();
        for (int[] b : bones) {
            if (b[0] != b[1]) {
                out.add(new int[]{b[0], b[1]});
            }
        }
        return out;
    }

    public int jointIndex(String jointName) {
        int i = joints.indexOf(jointName);
        if (i < 0) {
            throw new IllegalArgumentException("layout '" + name + "' has no joint named '" + jointName + "'");
        }
        return i;
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return p;
    }

    private static int[][] deepCopy(int[][] a) {
        int[][] c = new int[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i] == null ? null : a[i].clone();
        }
        return c;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SkeletonLayout other)) {
            return false;
        }
        if (!name.equals(other.name) || !joints.equals(other.joints) || center != other.center
                || !Arrays.equals(mirror, other.mirror) || !Arrays.deepEquals(bones, other.bones)
                || !Objects.equals(alignment, other.alignment) || bodyParts.size() != other.bodyParts.size()) {
            return false;
        }
        for (int i = 0; i < bodyParts.size(); i++) {
            BodyPart a = bodyParts.get(i);
            BodyPart b = other.bodyParts.get(i);
            if (!a.name.equals(b.name) || !Arrays.equals(a.joints, b.joints)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, joints, center);
    }

    @Override
    public String toString() {
        return "SkeletonLayout[" + name + ", " + joints.size() + " joints]";
    }
}
