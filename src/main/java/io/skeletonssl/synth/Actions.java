package io.skeletonssl.synth;

import java.util.ArrayList;
import java.util.List;

import static io.skeletonssl.synth.DetMath.bump;
import static io.skeletonssl.synth.DetMath.clamp;
import static io.skeletonssl.synth.DetMath.rad;
import static io.skeletonssl.synth.DetMath.smoothstep;
import static io.skeletonssl.synth.Pose.LEFT;
import static io.skeletonssl.synth.Pose.RIGHT;

/**
 * The action programs: each moves a {@link Pose} away from the rest pose as a function of the
 * action phase u (0 at the first active frame, 1 at the last; the idle frames before and after
 * hold u = 0 and u = 1). Angles in degrees. Several classes come in pairs that differ in one detail
 * only (hand, height, direction, time order), so a model has to look at the motion itself.
 */
final class Actions {

    /**
     * Per-performance randomness a program may use. {@code mirrored}: the program runs on the
     * mirrored pose (done with the other hand / leg); programs whose meaning has a sense of
     * rotation must compensate.
     */
    record Style(double amp, int cycles, double phase, double v1, double v2, boolean mirrored) {
    }

    @FunctionalInterface
    interface Program {
        /** Poses person {@code person} (0 = the actor, 1 = the partner) at phase u. */
        void apply(double u, int person, Style st, Pose p);
    }

    /**
     * An action: its class, its timing (active frames = fixedFrames + cycleFrames · cycles at
     * normal tempo), for two-person actions the distance between the two at the start, and whether
     * the side is part of its meaning ({@code sided}: never mirrored; the others are done with the
     * left hand or leg by left-handed performers).
     */
    record Action(ActionClass info, int fixedFrames, int cycleFrames, int minCycles, int maxCycles,
                  double minSeparation, double maxSeparation, boolean sided, Program program) {
    }

    static final List<Action> ALL;

    static {
        List<Action> a = new ArrayList<>();
        single(a, "wave_right_hand", "wave with the right hand above the shoulder", 30, 18, 2, 4,
                (u, who, st, p) -> wave(u, st, p, RIGHT));
        single(a, "wave_left_hand", "wave with the left hand above the shoulder", 30, 18, 2, 4,
                (u, who, st, p) -> wave(u, st, p, LEFT));
        single(a, "beckon", "beckon someone to come closer with one hand", 30, 18, 2, 4, Actions::beckon);
        single(a, "reach_high", "reach up high with one hand and come back", 60, 0, 1, 1,
                (u, who, st, p) -> reach(u, st, p, true));
        single(a, "reach_middle", "reach forwards at shoulder height with one hand and come back", 60, 0, 1, 1,
                (u, who, st, p) -> reach(u, st, p, false));
        single(a, "circle_clockwise",
                "draw circles clockwise (as the performer sees it) in front of the body with one hand", 25, 35, 1, 3,
                (u, who, st, p) -> circle(u, st, p, st.mirrored() ? 1 : -1));
        single(a, "circle_anticlockwise", "draw circles anticlockwise in front of the body with one hand",
                25, 35, 1, 3, (u, who, st, p) -> circle(u, st, p, st.mirrored() ? -1 : 1));
        single(a, "clap", "clap hands in front of the chest", 25, 14, 3, 6, Actions::clap);
        single(a, "rub_hands", "rub the hands together in front of the body", 25, 12, 3, 6, Actions::rubHands);
        single(a, "punch", "punch forwards with one fist from a guard", 25, 22, 1, 3, Actions::punch);
        single(a, "hands_up", "raise both arms overhead and lower them", 60, 0, 1, 1, Actions::handsUp);
        single(a, "touch_head", "put one hand on the head (headache)", 70, 0, 1, 1, Actions::touchHead);
        single(a, "nod_head", "nod the head (yes)", 20, 16, 2, 5, Actions::nod);
        single(a, "shake_head", "shake the head (no)", 20, 16, 2, 5, Actions::shakeHead);
        single(a, "squat", "squat down and stand up again", 10, 70, 1, 2, Actions::squat);
        single(a, "sit_down", "sit down from standing", 80, 0, 1, 1, (u, who, st, p) -> sit(u, st, p));
        single(a, "stand_up", "stand up from sitting", 80, 0, 1, 1, (u, who, st, p) -> sit(1 - u, st, p));
        single(a, "jump", "jump up on the spot", 15, 40, 1, 2, Actions::jump);
        single(a, "pick_up", "bend down, pick something up from the floor with one hand", 90, 0, 1, 1,
                Actions::pickUp);
        single(a, "kick", "kick forwards with one leg", 15, 40, 1, 2, Actions::kick);
        single(a, "walk_in_place", "walk on the spot, arms swinging", 20, 32, 2, 4, Actions::walk);
        single(a, "throw", "throw overhand with one arm", 60, 0, 1, 1, Actions::throwOverhand);
        single(a, "bow", "bow forwards and come back up", 60, 0, 1, 1, Actions::bow);
        pair(a, "handshake", "shake right hands with the other person", 60, 12, 2, 4, 0.95, 1.15, Actions::handshake);
        pair(a, "push", "push the other person with both hands; they step back", 70, 0, 1, 1, 0.8, 0.95,
                Actions::push);
        pair(a, "hug", "step in and hug the other person", 100, 0, 1, 1, 0.9, 1.05, Actions::hug);
        pair(a, "point_at_person", "point at the other person with one hand", 70, 0, 1, 1, 1.0, 1.4,
                Actions::pointAt);
        pair(a, "high_five", "give the other person a high five with one hand", 60, 0, 1, 1, 0.9, 1.05,
                Actions::highFive);
        ALL = List.copyOf(a);
    }

    private Actions() {
    }

    private static void single(List<Action> list, String name, String desc, int fixed, int perCycle, int minC,
                               int maxC, Program prog) {
        boolean sided = name.startsWith("wave_");
        list.add(new Action(new ActionClass(list.size(), name, desc, false), fixed, perCycle, minC, maxC, 0, 0,
                sided, prog));
    }

    private static void pair(List<Action> list, String name, String desc, int fixed, int perCycle, int minC,
                             int maxC, double minSep, double maxSep, Program prog) {
        boolean sided = name.equals("handshake");
        list.add(new Action(new ActionClass(list.size(), name, desc, true), fixed, perCycle, minC, maxC, minSep,
                maxSep, sided, prog));
    }

    /** sin of the cycle phase across [a, b] of u, cycles full periods. */
    private static double osc(double u, double a, double b, Style st) {
        double w = clamp((u - a) / (b - a), 0, 1);
        return DetMath.sin(DetMath.TWO_PI * st.cycles() * w + st.phase());
    }

    // ---- single-person actions ---------------------------------------------------------------

    private static void wave(double u, Style st, Pose p, int side) {
        double e = bump(u, 0, 0.2, 0.8, 1);
        double hold = bump(u, 0.12, 0.25, 0.75, 0.88);
        p.arm(side, e, 85 + 65 * st.v1(), 30 + 70 * st.v2(), 0, 55 + 45 * st.v2());
        p.elbow[side] += rad(30 * st.amp() * hold * osc(u, 0.2, 0.8, st));
        p.wrist[side] += rad(15 * hold * osc(u, 0.2, 0.8, st));
        p.trunkSide += rad((side == RIGHT ? -3 : 3) * e);
    }

    /** The upper arm low and forwards, the forearm swings up towards the body and back (come here). */
    private static void beckon(double u, int who, Style st, Pose p) {
        double e = bump(u, 0, 0.2, 0.8, 1);
        double hold = bump(u, 0.12, 0.25, 0.75, 0.88);
        p.arm(RIGHT, e, 35 + 25 * st.v1(), 30 * st.v2(), 0, 75);
        p.elbow[RIGHT] += rad(28 * st.amp() * hold * osc(u, 0.2, 0.8, st));
        p.wrist[RIGHT] += rad(30 * hold * osc(u, 0.2, 0.8, st));
    }

    private static void reach(double u, Style st, Pose p, boolean high) {
        double e = bump(u, 0, 0.35, 0.65, 1);
        if (high) {
            p.arm(RIGHT, e, 145 + 25 * st.v1(), 5 + 15 * st.v2(), 0, 8);
            p.trunkFlex -= rad(4 * e);
            p.ankle[RIGHT] -= rad(15 * e * st.v2());
            p.ankle[LEFT] -= rad(15 * e * st.v2());
        } else {
            p.arm(RIGHT, e, 80 + 20 * st.v1(), 0 + 15 * st.v2(), 0, 8);
            p.trunkFlex += rad(8 * e * st.amp());
        }
        p.wrist[RIGHT] += rad(-10 * e);
    }

    private static void circle(double u, Style st, Pose p, int dir) {
        double e = bump(u, 0, 0.15, 0.85, 1);
        double w = clamp((u - 0.1) / 0.8, 0, 1);
        double th = dir * DetMath.TWO_PI * st.cycles() * w + st.phase();
        double r = (22 + 14 * st.v2()) * st.amp();
        // elevation moves the hand up and down, the plane sideways: the hand draws a circle in
        // the frontal plane, anticlockwise (dir = +1) as the performer sees it
        p.arm(RIGHT, e, 65 + 45 * st.v1() + r * DetMath.sin(th), 15 + 45 * st.v2() + 1.3 * r * DetMath.cos(th), 0, 8);
    }

    private static void clap(double u, int who, Style st, Pose p) {
        double e = bump(u, 0, 0.15, 0.85, 1);
        double open = 0.5 + 0.5 * osc(u, 0.15, 0.85, st);
        double open2 = e * open + (1 - e);
        for (int s = 0; s < 2; s++) {
            p.arm(s, e, 30 + 45 * st.v1(), 10, 65 - 40 * open2 * st.amp(), 70 + 30 * st.v2());
        }
    }

    private static void rubHands(double u, int who, Style st, Pose p) {
        double e = bump(u, 0, 0.15, 0.85, 1);
        double hold = bump(u, 0.1, 0.2, 0.8, 0.9);
        double w = clamp((u - 0.15) / 0.7, 0, 1);
        double th = DetMath.TWO_PI * st.cycles() * w + st.phase();
        double a = hold * st.amp();
        for (int s = 0; s < 2; s++) {
            p.arm(s, e, 30 + 45 * st.v1(), 10, 66, 70 + 30 * st.v2());
        }
        // the hands slide against each other: opposite elbow strokes, a little circling
        p.elbow[RIGHT] += rad(10 * a * DetMath.sin(th));
        p.elbow[LEFT] -= rad(10 * a * DetMath.sin(th));
        p.shoulderPlane[RIGHT] += rad(6 * a * DetMath.cos(th));
        p.shoulderPlane[LEFT] -= rad(6 * a * DetMath.cos(th));
    }

    private static void punch(double u, int who, Style st, Pose p) {
        double guard = bump(u, 0, 0.15, 0.85, 1);
        p.arm(RIGHT, guard, 25 + 20 * st.v1(), 15, 35, 105 + 20 * st.v2());
        p.arm(LEFT, guard, 25 + 20 * st.v1(), 15, 35, 105 + 20 * st.v2());
        double w = clamp((u - 0.15) / 0.7, 0, 1) * st.cycles();
        double f = w - Math.floor(w);
        double strike = w >= st.cycles() ? 0 : bump(f, 0.1, 0.35, 0.5, 0.9);
        p.arm(RIGHT, strike, 88, -5, 0, 5);
        p.trunkTwist -= rad(15 * strike * st.amp());
    }

    private static void handsUp(double u, int who, Style st, Pose p) {
        double e = bump(u, 0, 0.35, 0.65, 1);
        double spread = 20 + 70 * st.v1();
        p.arm(RIGHT, e, 130 + 45 * st.v2(), spread, 0, 10 + 30 * st.v2());
        p.arm(LEFT, e, 130 + 45 * st.v2(), spread, 0, 10 + 30 * st.v2());
    }

    private static void touchHead(double u, int who, Style st, Pose p) {
        double e = bump(u, 0, 0.3, 0.7, 1);
        p.arm(RIGHT, e, 95 + 10 * st.v1(), 50, 40, 145);
        p.headFlex += rad(15 * e * st.amp());
        p.trunkFlex += rad(6 * e);
    }

    private static void nod(double u, int who, Style st, Pose p) {
        double hold = bump(u, 0, 0.1, 0.9, 1);
        double w = clamp((u - 0.05) / 0.9, 0, 1);
        double down = 0.5 - 0.5 * DetMath.cos(DetMath.TWO_PI * st.cycles() * w);
        p.headFlex += rad(hold * down * (12 + 14 * st.v1()) * st.amp());
    }

    private static void shakeHead(double u, int who, Style st, Pose p) {
        double hold = bump(u, 0, 0.1, 0.9, 1);
        double s = osc(u, 0.05, 0.95, st);
        p.headTurn += rad(hold * s * (22 + 18 * st.v1()) * st.amp());
        p.trunkTwist += rad(hold * s * 3);
    }

    private static void squat(double u, int who, Style st, Pose p) {
        double w = clamp(u, 0, 1);
        double d = (0.5 - 0.5 * DetMath.cos(DetMath.TWO_PI * st.cycles() * w)) * clamp(st.amp(), 0.7, 1.1);
        double depth = 0.5 + 0.5 * st.v1();
        for (int s = 0; s < 2; s++) {
            p.leg(s, d, 100 * depth, 8, 115 * depth, 0);
            if (st.v2() > 0.35) {
                p.arm(s, d, 50 + 40 * st.v2(), 15, 0, 10);  // arms forwards for balance
            }
        }
        p.trunkFlex += rad((20 + 20 * st.v2()) * d);
    }

    private static void sit(double u, Style st, Pose p) {
        double s = smoothstep(0.05, 0.95, u);
        double lean = DetMath.sin(DetMath.PI * s);
        for (int side = 0; side < 2; side++) {
            // seats differ in height: hip and knee angles vary
            p.leg(side, s, 75 + 25 * st.v1(), 6, 80 + 30 * st.v2(), 0);
            if (st.phase() < DetMath.PI) {
                p.arm(side, s, 30 + 10 * st.v1(), 15, 10, 45);  // hands onto the thighs
            }
        }
        p.trunkFlex += rad((2 + 12 * st.v2()) * s + 30 * st.amp() * lean);
        p.headFlex += rad(5 * s);
    }

    private static void jump(double u, int who, Style st, Pose p) {
        double w = clamp(u, 0, 1) * st.cycles();
        int k = (int) Math.min(Math.floor(w), st.cycles() - 1);
        double f = w - k;
        double crouch = bump(f, 0.02, 0.28, 0.3, 0.38) + 0.7 * bump(f, 0.6, 0.66, 0.7, 0.95);
        double flight = bump(f, 0.3, 0.38, 0.55, 0.62);
        double deep = 0.6 + 0.4 * st.v2();
        boolean swing = st.v2() > 0.3;
        for (int s = 0; s < 2; s++) {
            p.leg(s, crouch, 55 * deep, 6, 80 * deep, 0);
            p.ankle[s] -= rad(25 * flight);
            if (swing) {
                p.arm(s, crouch, -30, 10, 0, 20);
                p.arm(s, flight, 90 + 60 * st.v2(), 20, 0, 15);
            }
        }
        p.trunkFlex += rad(25 * deep * crouch);
        double x = clamp((f - 0.35) / 0.25, 0, 1);
        p.lift = (0.12 + 0.12 * st.v1()) * st.amp() * 4 * x * (1 - x);
    }

    private static void pickUp(double u, int who, Style st, Pose p) {
        double down = bump(u, 0.02, 0.4, 0.55, 0.9);
        double carry = smoothstep(0.55, 0.95, u);
        p.trunkFlex += rad((45 + 40 * st.v1()) * down);
        for (int s = 0; s < 2; s++) {
            p.leg(s, down, 25, 5, 40 + 20 * st.v2(), 0);
        }
        p.arm(RIGHT, down, 85, 15, 0, 10);
        p.arm(LEFT, down, 40, 40, 0, 20);
        if (st.v2() > 0.4) {
            p.arm(RIGHT, carry * (1 - down), 25, 20, 40, 85);  // carries the thing at the waist
        }
        p.headFlex += rad(20 * down);
    }

    private static void kick(double u, int who, Style st, Pose p) {
        double w = clamp(u, 0, 1) * st.cycles();
        int k = (int) Math.min(Math.floor(w), st.cycles() - 1);
        double f = w - k;
        double lift = bump(f, 0.05, 0.35, 0.6, 0.9);
        double snap = bump(f, 0.3, 0.45, 0.5, 0.65);
        p.leg(RIGHT, lift, 55 + 20 * st.v1() * st.amp(), 0, 85, 10);
        p.knee[RIGHT] -= rad(80 * snap);
        p.hipFlex[RIGHT] += rad(15 * snap * st.amp());
        p.ankle[RIGHT] -= rad(40 * snap);
        p.knee[LEFT] += rad(8 * lift);
        p.trunkFlex -= rad(10 * lift);
        if (st.v2() > 0.4) {
            p.arm(RIGHT, lift, 25, 70, 0, 30);  // arms out for balance
            p.arm(LEFT, lift, 35, 60, 0, 40);
        }
    }

    private static void walk(double u, int who, Style st, Pose p) {
        double e = bump(u, 0, 0.1, 0.9, 1);
        double sw = osc(u, 0.05, 0.95, st);
        double r = Math.max(0, sw);
        double l = Math.max(0, -sw);
        double a = st.amp();
        double knee = (45 + 35 * st.v1()) * a;
        p.leg(RIGHT, e * r, knee * 0.55, 0, knee, 10);
        p.leg(LEFT, e * l, knee * 0.55, 0, knee, 10);
        double swing = (10 + 25 * st.v2()) * a;
        p.arm(RIGHT, e, -swing * sw, 10, 0, 15 + 30 * st.v2());
        p.arm(LEFT, e, swing * sw, 10, 0, 15 + 30 * st.v2());
        p.trunkTwist += rad(5 * e * sw);
    }

    private static void throwOverhand(double u, int who, Style st, Pose p) {
        double wind = bump(u, 0.02, 0.4, 0.45, 0.55);
        double release = bump(u, 0.45, 0.55, 0.62, 0.95);
        p.arm(RIGHT, wind, 140, 80, -70, 110);
        p.arm(RIGHT, release, 70, -10, 20, 10);
        p.arm(LEFT, wind, 70, 30, 0, 30);
        p.trunkTwist += rad(25 * wind * st.amp() - 20 * release * st.amp());
        p.trunkFlex += rad(-5 * wind + 15 * release);
    }

    private static void bow(double u, int who, Style st, Pose p) {
        double e = bump(u, 0.05, 0.4, 0.6, 0.95);
        double depth = (20 + 35 * st.v1()) * st.amp();
        p.trunkFlex += rad(depth * e);
        p.headFlex += rad(15 * e);
        if (st.v2() > 0.5) {
            // arms hang by gravity: the shoulders flex as the trunk bends
            p.arm(RIGHT, e, depth * 0.85, 20, 0, 15);
            p.arm(LEFT, e, depth * 0.85, 20, 0, 15);
        }
    }

    // ---- two-person actions (person 0 acts, person 1 responds; they face each other) ------------

    private static void handshake(double u, int who, Style st, Pose p) {
        double e = bump(u, 0, 0.3, 0.75, 1);
        double hold = bump(u, 0.25, 0.32, 0.68, 0.75);
        p.stepZ -= 0.12 * e;
        p.arm(RIGHT, e, 55, -20, 10, 40);
        p.shoulderElev[RIGHT] += rad(10 * hold * osc(u, 0.3, 0.7, st));
        p.elbow[RIGHT] += rad(8 * hold * osc(u, 0.3, 0.7, st));
    }

    private static void push(double u, int who, Style st, Pose p) {
        if (who == 0) {
            double reach = bump(u, 0.05, 0.35, 0.6, 0.95);
            double strike = bump(u, 0.3, 0.45, 0.55, 0.75);
            p.stepZ -= 0.15 * reach;
            p.arm(RIGHT, reach, 80, -5, 0, 100);
            p.arm(LEFT, reach, 80, -5, 0, 100);
            p.elbow[RIGHT] -= rad(85 * strike);
            p.elbow[LEFT] -= rad(85 * strike);
            p.trunkFlex += rad(15 * strike * st.amp());
        } else {
            double hit = smoothstep(0.42, 0.7, u);
            double stagger = bump(u, 0.42, 0.55, 0.65, 0.9);
            p.stepZ += (0.25 + 0.15 * st.v1()) * st.amp() * hit;
            p.trunkFlex -= rad(15 * stagger);
            p.arm(RIGHT, stagger, 40, 70, 0, 30);
            p.arm(LEFT, stagger, 40, 70, 0, 30);
            p.hipFlex[RIGHT] += rad(25 * bump(u, 0.45, 0.55, 0.6, 0.7));
            p.knee[RIGHT] += rad(35 * bump(u, 0.45, 0.55, 0.6, 0.7));
        }
    }

    private static void hug(double u, int who, Style st, Pose p) {
        double e = bump(u, 0, 0.3, 0.72, 1);
        p.stepZ -= (who == 0 ? 0.3 : 0.2) * e;
        double high = who == 0 ? 85 : 65;
        p.arm(RIGHT, e, high, 55, 50, 70);
        p.arm(LEFT, e, 150 - high, 55, 50, 70);
        p.trunkFlex += rad(8 * e);
        p.headTurn += rad((who == 0 ? 25 : -25) * e);
    }

    private static void pointAt(double u, int who, Style st, Pose p) {
        double e = bump(u, 0, 0.25, 0.75, 1);
        if (who == 0) {
            p.arm(RIGHT, e, 85 + 10 * st.v1(), -12, 0, 5);
            p.wrist[RIGHT] -= rad(5 * e);
        } else {
            p.headFlex -= rad(5 * e);
            p.trunkTwist += rad(5 * e * st.v2());
        }
    }

    private static void highFive(double u, int who, Style st, Pose p) {
        double e = bump(u, 0, 0.4, 0.6, 1);
        p.stepZ -= 0.03 * e;
        p.arm(RIGHT, e, 125 + 10 * st.v1(), -15, 0, 20);
        p.wrist[RIGHT] -= rad(20 * e);
    }
}
