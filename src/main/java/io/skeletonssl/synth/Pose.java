package io.skeletonssl.synth;

/**
 * Joint angles of one person in one frame (radians), the input of {@link Kinematics}. A mutable
 * scratch object: the generator resets it to the subject's rest pose every frame and the action
 * program moves it from there. Side index 0 is the subject's right, 1 the left; left-side angles
 * mean the mirror image of the same right-side angles.
 *
 * <p>Conventions (subject frame: x to the subject's right, y up, z backwards, so the subject faces
 * -z): a shoulder is set by elevation (angle of the upper arm from hanging straight down) and
 * plane (0 = elevate forwards, 90° = sideways out, negative = across the body), hip flexion raises
 * the thigh forwards and hip abduction sideways; positive limb rotation turns the limb inwards;
 * elbow flexion brings the hand forwards, knee flexion brings the foot backwards;
 * trunk flexion bends forwards, positive side bend leans to the subject's right, positive twist
 * and yaw turn to the subject's right.
 */
final class Pose {

    static final int RIGHT = 0;
    static final int LEFT = 1;

    double yaw;
    /** Translation after ground contact, in the subject's frame (metres; +z is backwards). */
    double stepX;
    double stepZ;
    /** Height of the lowest foot above the floor (a jump). */
    double lift;
    double trunkFlex;
    double trunkSide;
    double trunkTwist;
    double headFlex;
    double headTurn;
    final double[] shoulderElev = new double[2];
    final double[] shoulderPlane = new double[2];
    final double[] shoulderRot = new double[2];
    final double[] elbow = new double[2];
    final double[] wrist = new double[2];
    final double[] hipFlex = new double[2];
    final double[] hipAbd = new double[2];
    final double[] hipRot = new double[2];
    final double[] knee = new double[2];
    /** Foot pitch relative to level ground: positive lifts the toes, negative points them down. */
    final double[] ankle = new double[2];

    /** The subject's relaxed standing pose. */
    void rest(BodyShape b) {
        yaw = 0;
        stepX = 0;
        stepZ = 0;
        lift = 0;
        trunkFlex = b.slouch();
        trunkSide = 0;
        trunkTwist = 0;
        headFlex = 0;
        headTurn = 0;
        for (int s = 0; s < 2; s++) {
            shoulderElev[s] = b.restAbduction();
            shoulderPlane[s] = DetMath.rad(70);
            shoulderRot[s] = 0;
            elbow[s] = b.restElbow();
            wrist[s] = 0;
            hipFlex[s] = 0;
            hipAbd[s] = 0;
            hipRot[s] = 0;
            knee[s] = DetMath.rad(2);
            ankle[s] = 0;
        }
    }

    /** Mirrors the pose left/right (x → −x in the subject's frame): swaps the sides' angles. */
    void mirror() {
        yaw = -yaw;
        stepX = -stepX;
        trunkSide = -trunkSide;
        trunkTwist = -trunkTwist;
        headTurn = -headTurn;
        for (double[] a : new double[][]{shoulderElev, shoulderPlane, shoulderRot, elbow, wrist, hipFlex, hipAbd,
                hipRot, knee, ankle}) {
            double r = a[RIGHT];
            a[RIGHT] = a[LEFT];
            a[LEFT] = r;
        }
    }

    /** Moves one arm towards target angles (degrees) by weight w in [0, 1]. */
    void arm(int side, double w, double elev, double plane, double rot, double elb) {
        shoulderElev[side] += w * (DetMath.rad(elev) - shoulderElev[side]);
        shoulderPlane[side] += w * (DetMath.rad(plane) - shoulderPlane[side]);
        shoulderRot[side] += w * (DetMath.rad(rot) - shoulderRot[side]);
        elbow[side] += w * (DetMath.rad(elb) - elbow[side]);
    }

    /** Moves one leg towards target angles (degrees) by weight w in [0, 1]. */
    void leg(int side, double w, double flex, double abd, double kneeFlex, double foot) {
        hipFlex[side] += w * (DetMath.rad(flex) - hipFlex[side]);
        hipAbd[side] += w * (DetMath.rad(abd) - hipAbd[side]);
        knee[side] += w * (DetMath.rad(kneeFlex) - knee[side]);
        ankle[side] += w * (DetMath.rad(foot) - ankle[side]);
    }
}
