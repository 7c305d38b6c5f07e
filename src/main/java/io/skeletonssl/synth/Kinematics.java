package io.skeletonssl.synth;

/**
 * Forward kinematics for the NTU-25 (Kinect v2) joint tree: joint angles ({@link Pose}) and segment
 * lengths ({@link BodyShape}) to 25 joint positions in the subject's frame (x right, y up from the
 * floor, z backwards). The lowest foot is put on the floor and the grounded feet keep their place,
 * so squats and kicks do not slide the body around.
 *
 * <p>Rotations are 3×3 row-major matrices composed by post-multiplication: each segment's frame is
 * its parent's frame turned by that joint's angles, and a segment points along its frame's -y.
 */
final class Kinematics {

    /** NTU-25 joint indices (spec §0.1, 0-based). */
    static final int SPINE_BASE = 0, SPINE_MID = 1, NECK = 2, HEAD = 3,
            SHOULDER_L = 4, ELBOW_L = 5, WRIST_L = 6, HAND_L = 7,
            SHOULDER_R = 8, ELBOW_R = 9, WRIST_R = 10, HAND_R = 11,
            HIP_L = 12, KNEE_L = 13, ANKLE_L = 14, FOOT_L = 15,
            HIP_R = 16, KNEE_R = 17, ANKLE_R = 18, FOOT_R = 19,
            SPINE_SHOULDER = 20, HAND_TIP_L = 21, THUMB_L = 22, HAND_TIP_R = 23, THUMB_R = 24;
    static final int JOINTS = 25;

    private static final int[][] ARM = {
            {SHOULDER_R, ELBOW_R, WRIST_R, HAND_R, HAND_TIP_R, THUMB_R},
            {SHOULDER_L, ELBOW_L, WRIST_L, HAND_L, HAND_TIP_L, THUMB_L}};
    private static final int[][] LEG = {{HIP_R, KNEE_R, ANKLE_R, FOOT_R}, {HIP_L, KNEE_L, ANKLE_L, FOOT_L}};

    // scratch, one instance per thread
    private final double[] pelvis = new double[9];
    private final double[] trunk = new double[9];
    private final double[] m = new double[9];
    private final double[] m2 = new double[9];
    private final double[] heel = new double[3];
    private final double[] toe = new double[3];
    private final double[] legLow = new double[2];

    /**
     * Writes the 25 joints (x, y, z per joint, 75 values) of pose {@code p} into {@code out}.
     */
    void solve(BodyShape b, Pose p, double[] out) {
        identity(pelvis);
        ry(pelvis, -p.yaw);
        set(out, SPINE_BASE, 0, 0, 0);
        // the trunk bends half at SpineBase and half at SpineMid, which looks like a curved back
        copy(pelvis, trunk);
        ry(trunk, -p.trunkTwist / 2);
        rx(trunk, -p.trunkFlex / 2);
        rz(trunk, -p.trunkSide / 2);
        place(out, SPINE_MID, SPINE_BASE, trunk, 0, b.spineLower(), 0);
        ry(trunk, -p.trunkTwist / 2);
        rx(trunk, -p.trunkFlex / 2);
        rz(trunk, -p.trunkSide / 2);
        place(out, SPINE_SHOULDER, SPINE_MID, trunk, 0, b.spineUpper(), 0);
        copy(trunk, m);
        rx(m, -p.headFlex * 0.4);
        place(out, NECK, SPINE_SHOULDER, m, 0, b.neck(), 0);
        rx(m, -p.headFlex * 0.6);
        ry(m, -p.headTurn);
        // the head centre sits a little in front of the neck, so turning the head moves it sideways
        place(out, HEAD, NECK, m, 0, b.head(), -0.022 * b.stature());

        for (int side = 0; side < 2; side++) {
            double sx = side == Pose.RIGHT ? 1 : -1;
            int[] j = ARM[side];
            place(out, j[0], SPINE_SHOULDER, trunk, sx * b.shoulderHalf(), -0.025 * b.stature() / 1.7, 0);
            copy(trunk, m);
            ry(m, -sx * p.shoulderPlane[side]);
            rx(m, p.shoulderElev[side]);
            ry(m, sx * p.shoulderRot[side]);
            place(out, j[1], j[0], m, 0, -b.upperArm(), 0);
            rx(m, p.elbow[side]);
            place(out, j[2], j[1], m, 0, -b.forearm(), 0);
            rx(m, p.wrist[side]);
            place(out, j[3], j[2], m, 0, -b.hand(), 0);
            place(out, j[4], j[3], m, 0, -b.handTip(), 0);
            // with the palm towards the body the thumb points forwards and a little inwards
            place(out, j[5], j[3], m, -sx * 0.25 * b.thumb(), -0.45 * b.thumb(), -0.85 * b.thumb());
        }

        double lowest = Double.POSITIVE_INFINITY;
        for (int side = 0; side < 2; side++) {
            double sx = side == Pose.RIGHT ? 1 : -1;
            int[] j = LEG[side];
            place(out, j[0], SPINE_BASE, pelvis, sx * b.hipHalf(), -0.02 * b.stature() / 1.7, 0.005);
            copy(pelvis, m);
            rz(m, sx * (p.hipAbd[side] + b.stance()));
            rx(m, p.hipFlex[side]);
            ry(m, sx * p.hipRot[side]);
            place(out, j[1], j[0], m, 0, -b.thigh(), 0);
            rx(m, -p.knee[side]);
            place(out, j[2], j[1], m, 0, -b.shank(), 0);
            // the foot keeps its own pitch relative to the pelvis, so it stays level unless told
            copy(pelvis, m2);
            rz(m2, sx * (p.hipAbd[side] + b.stance()) * 0.3);
            ry(m2, sx * p.hipRot[side]);
            rx(m2, p.ankle[side]);
            place(out, j[3], j[2], m2, 0, -0.4 * b.foot(), -0.92 * b.foot());
            offset(out, j[2], m2, 0, -b.ankleHeight(), 0.03, heel);
            offset(out, j[2], m2, 0, -b.ankleHeight(), -1.3 * b.foot(), toe);
            legLow[side] = Math.min(heel[1], toe[1]);
            lowest = Math.min(lowest, legLow[side]);
        }

        // anchor: grounded ankles keep their standing place; a lifted foot has little say
        double wSum = 0;
        double ax = 0;
        double az = 0;
        for (int side = 0; side < 2; side++) {
            double d = (legLow[side] - lowest) / 0.03;
            double w = 1 / (1 + d * d * d * d);
            int ankle = LEG[side][2];
            ax += w * out[3 * ankle];
            az += w * out[3 * ankle + 2];
            wSum += w;
        }
        ax /= wSum;
        az /= wSum;
        double cy = DetMath.cos(p.yaw);
        double sy = DetMath.sin(p.yaw);
        double dx = -ax + p.stepX * cy - p.stepZ * sy;
        double dz = -az + p.stepX * sy + p.stepZ * cy;
        double dy = -lowest + p.lift;
        for (int i = 0; i < JOINTS; i++) {
            out[3 * i] += dx;
            out[3 * i + 1] += dy;
            out[3 * i + 2] += dz;
        }
    }

    /** out[child] = out[parent] + rot · (x, y, z). */
    private static void place(double[] out, int child, int parent, double[] r, double x, double y, double z) {
        out[3 * child] = out[3 * parent] + r[0] * x + r[1] * y + r[2] * z;
        out[3 * child + 1] = out[3 * parent + 1] + r[3] * x + r[4] * y + r[5] * z;
        out[3 * child + 2] = out[3 * parent + 2] + r[6] * x + r[7] * y + r[8] * z;
    }

    private static void offset(double[] out, int from, double[] r, double x, double y, double z, double[] dst) {
        dst[0] = out[3 * from] + r[0] * x + r[1] * y + r[2] * z;
        dst[1] = out[3 * from + 1] + r[3] * x + r[4] * y + r[5] * z;
        dst[2] = out[3 * from + 2] + r[6] * x + r[7] * y + r[8] * z;
    }

    private static void set(double[] out, int j, double x, double y, double z) {
        out[3 * j] = x;
        out[3 * j + 1] = y;
        out[3 * j + 2] = z;
    }

    static void identity(double[] r) {
        java.util.Arrays.fill(r, 0);
        r[0] = 1;
        r[4] = 1;
        r[8] = 1;
    }

    private static void copy(double[] from, double[] to) {
        System.arraycopy(from, 0, to, 0, 9);
    }

    /** r ← r · Rx(a). */
    static void rx(double[] r, double a) {
        if (a == 0) {
            return;
        }
        double c = DetMath.cos(a);
        double s = DetMath.sin(a);
        for (int i = 0; i < 9; i += 3) {
            double c1 = r[i + 1];
            double c2 = r[i + 2];
            r[i + 1] = c * c1 + s * c2;
            r[i + 2] = -s * c1 + c * c2;
        }
    }

    /** r ← r · Ry(a). */
    static void ry(double[] r, double a) {
        if (a == 0) {
            return;
        }
        double c = DetMath.cos(a);
        double s = DetMath.sin(a);
        for (int i = 0; i < 9; i += 3) {
            double c0 = r[i];
            double c2 = r[i + 2];
            r[i] = c * c0 - s * c2;
            r[i + 2] = s * c0 + c * c2;
        }
    }

    /** r ← r · Rz(a). */
    static void rz(double[] r, double a) {
        if (a == 0) {
            return;
        }
        double c = DetMath.cos(a);
        double s = DetMath.sin(a);
        for (int i = 0; i < 9; i += 3) {
            double c0 = r[i];
            double c1 = r[i + 1];
            r[i] = c * c0 + s * c1;
            r[i + 1] = -s * c0 + c * c1;
        }
    }
}
