package io.skeletonssl.synth;

import static io.skeletonssl.synth.DetMath.rad;
import static io.skeletonssl.synth.Pose.LEFT;
import static io.skeletonssl.synth.Pose.RIGHT;

/**
 * Small unrelated movements people make while waiting before or after the action (hands on hips,
 * arms crossed, looking around). They belong to no class and occur in every class, as in real
 * recordings, so the idle frames carry no label information and a static pose is a weaker cue.
 */
final class Fidgets {

    static final int COUNT = 8;

    private Fidgets() {
    }

    /** Postures held for a whole clip by the arms the action does not use: hips, clasped, behind. */
    private static final int[] POSTURES = {0, 5, 6};

    /** Puts the arms in holding posture {@code which} (index into the posture list; negative = none). */
    static void posture(int which, double a, Pose p) {
        if (which >= 0) {
            apply(POSTURES[which % POSTURES.length], 1, a, p);
        }
    }

    static int postureCount() {
        return POSTURES.length;
    }

    /** Moves pose p towards fidget {@code kind} by weight w in [0, 1]; {@code a} in [0, 1] varies it. */
    static void apply(int kind, double w, double a, Pose p) {
        if (w <= 0) {
            return;
        }
        switch (kind) {
            case 0 -> { // hands on hips
                p.arm(RIGHT, w, 30 + 10 * a, 80, 70, 100);
                p.arm(LEFT, w, 30 + 10 * a, 80, 70, 100);
            }
            case 1 -> { // arms crossed
                p.arm(RIGHT, w, 28, -10, 75, 105 + 10 * a);
                p.arm(LEFT, w, 32, -10, 75, 100 + 10 * a);
            }
            case 2 -> { // left hand to the chin
                p.arm(LEFT, w, 40 + 15 * a, 5, 30, 140);
                p.headFlex += rad(8 * w);
            }
            case 3 -> { // look around
                p.headTurn += rad((a - 0.5) * 90 * w);
                p.trunkTwist += rad((a - 0.5) * 20 * w);
            }
            case 4 -> { // shift weight to one side
                p.trunkSide += rad((a - 0.5) * 14 * w);
                p.hipAbd[RIGHT] += rad((a - 0.5) * 8 * w);
                p.hipAbd[LEFT] -= rad((a - 0.5) * 8 * w);
            }
            case 5 -> { // hands behind the back
                p.arm(RIGHT, w, -25, 30, -30, 50 + 20 * a);
                p.arm(LEFT, w, -25, 30, -30, 50 + 20 * a);
            }
            case 6 -> { // hands clasped in front
                p.arm(RIGHT, w, 25 + 10 * a, 10, 65, 60);
                p.arm(LEFT, w, 25 + 10 * a, 10, 65, 60);
            }
            default -> { // rub the right arm with the left hand
                p.arm(LEFT, w, 35, -5, 60, 90 + 20 * a);
                p.arm(RIGHT, w, 15, 40, 20, 40);
            }
        }
    }
}
