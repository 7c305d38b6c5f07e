package io.skeletonssl.synth;

import io.skeletonssl.dataset.Sample;
import io.skeletonssl.dataset.SampleMeta;

import java.util.List;

/**
 * Generates the synthetic NTU-25 clips. Clip {@code i} is a pure function of (seed, i): its
 * performance (tempo, amplitude, cycles, idle frames, placement) comes from a random stream keyed
 * by (seed, subject, class, replication), shared by the three views as with NTU's three cameras
 * filming one performance, and its sensor noise and dropouts from a stream keyed by (seed, i).
 * Thread-safe; every call works on its own scratch.
 *
 * <p>Coordinates are Kinect v2 camera space in metres as in NTU's files: y up, z the depth away
 * from the camera, x towards the right of a subject who faces the camera; the camera is 2.5–4 m
 * away (setup 1, 2, 3 = 2.5–3, 3–3.5, 3.5–4 m), 0.6–1.4 m above the floor and pitched down 0–20°
 * depending on the setup. View v turns the scene by (v−2)·45° (±3°); on top of that the performer
 * faces anywhere within ±40° of the middle camera (NTU's performers faced the left or the right
 * camera), stands up to 0.8 m off-centre and turns slowly by up to ±7.5° during the clip.
 *
 * <p>Variation per performance: tempo, amplitude, cycle count, phase, a subject-specific style for
 * each class, a smooth time warp, 5–90 idle frames before and after with unrelated fidgets, a
 * holding posture of the free arms, and for one-sided classes the left hand or leg (a quarter of
 * the subjects are mostly left-sided). Two-person clips put the actor left or right and in either
 * body slot. Single-person clips leave body slot 2 all zeros.
 *
 * <p>Clip order: index = ((subject−1)·R + (replication−1))·3·K + (view−1)·K + label.
 */
public final class SyntheticGenerator {

    public static final String VERSION = "synth-ntu25-1";

    private static final long TAG_PERFORMANCE = 0x50E4L;
    private static final long TAG_VIEW = 0x71E3L;
    private static final long TAG_HABIT = 0x4AB1L;
    static final int PERSONS = 2;
    static final int JOINTS = Kinematics.JOINTS;

    /** Where clip i comes from. */
    public record Key(int subject, int view, int replication, int label, int setup) {
    }

    private final SynthConfig config;
    private final BodyShape[] bodies;
    private final BodyShape[] partners;
    private final double[] jointNoise;

    public SyntheticGenerator(SynthConfig config) {
        this.config = config;
        this.bodies = new BodyShape[config.subjects() + 1];
        this.partners = new BodyShape[config.subjects() + 1];
        for (int s = 1; s <= config.subjects(); s++) {
            bodies[s] = BodyShape.forSubject(config.seed(), s);
            // each subject has a fixed partner for the two-person actions, not one of the subjects
            partners[s] = BodyShape.forSubject(config.seed(), 1000 + s);
        }
        this.jointNoise = jointNoise();
    }

    public SynthConfig config() {
        return config;
    }

    public int size() {
        return config.size();
    }

    /** All built-in classes, in label order. */
    public static List<ActionClass> allClasses() {
        return Actions.ALL.stream().map(Actions.Action::info).toList();
    }

    /** The classes this dataset uses. */
    public List<ActionClass> classes() {
        return allClasses().subList(0, config.classes());
    }

    public List<String> classNames() {
        return classes().stream().map(ActionClass::name).toList();
    }

    /** The body of subject {@code subject} (1-based). */
    public BodyShape body(int subject) {
        if (subject < 1 || subject > config.subjects()) {
            throw new IllegalArgumentException("subject " + subject + " outside 1.." + config.subjects());
        }
        return bodies[subject];
    }

    public BodyShape partnerBody(int subject) {
        body(subject);
        return partners[subject];
    }

    public Key key(int index) {
        if (index < 0 || index >= config.size()) {
            throw new IndexOutOfBoundsException("synthetic sample " + index + " outside 0.." + (config.size() - 1));
        }
        int k = config.classes();
        int label = index % k;
        int rest = index / k;
        int view = rest % SynthConfig.VIEWS + 1;
        rest /= SynthConfig.VIEWS;
        int rep = rest % config.repetitions() + 1;
        int subject = rest / config.repetitions() + 1;
        int setup = 1 + (subject + rep) % 3;
        return new Key(subject, view, rep, label, setup);
    }

    /** The index of the clip of (subject, view, replication, label): the inverse of {@link #key}. */
    public int index(int subject, int view, int replication, int label) {
        return (((subject - 1) * config.repetitions() + replication - 1) * SynthConfig.VIEWS + view - 1)
                * config.classes() + label;
    }

    /** NTU-style name, e.g. {@code S002C001P003R001A004} (action 1-based). */
    public String name(int index) {
        Key k = key(index);
        return String.format("S%03dC%03dP%03dR%03dA%03d", k.setup(), k.view(), k.subject(), k.replication(),
                k.label() + 1);
    }

    public SampleMeta meta(int index) {
        Key k = key(index);
        String name = name(index);
        return new SampleMeta(name, k.subject(), k.view(), k.setup(), k.replication(), name,
                "synthetic:seed=" + config.seed() + "#" + index);
    }

    /** Per-performance draws, shared by the three views. */
    record Performance(Actions.Style style, int idleBefore, int active, int frames, double distance,
                       double lateral, double facing, double separation, double actorTurn, double partnerTurn,
                               double cameraHeight, double pitch, double[][] sway, double[][] fidgets,
                               double warp1, double warp2, boolean actorOnRight, int actorSlot,
                               int[] posture, double[] postureVariation, double drift) {
        /** Action phase of frame t: linear in time, bent by a smooth monotone warp (uneven speed). */
        double phase(int t) {
            double x = DetMath.clamp((double) (t - idleBefore) / Math.max(1, active - 1), 0, 1);
            return x + warp1 * DetMath.sin(DetMath.TWO_PI * x) / DetMath.TWO_PI
                    + warp2 * DetMath.sin(2 * DetMath.TWO_PI * x) / (2 * DetMath.TWO_PI);
        }
    }

    private Performance performance(Key k, Actions.Action act, BodyShape body) {
        // the subject's own way of doing this action, the same in all its repetitions
        Rng h = Rng.of(config.seed(), TAG_HABIT, k.subject(), k.label());
        double habit1 = h.uniform();
        double habit2 = h.uniform();
        double habitAmp = h.clippedGaussian(1, 0.08);
        double habitTempo = h.clippedGaussian(1, 0.1);

        Rng r = Rng.of(config.seed(), TAG_PERFORMANCE, k.subject(), k.label(), k.replication());
        double tempo = r.uniform(0.75, 1.35) * habitTempo * body.tempo();
        int cycles = r.between(act.minCycles(), act.maxCycles());
        double amp = DetMath.clamp(r.gaussian(1, 0.07) * habitAmp, 0.8, 1.2) * body.vigour();
        double v1 = DetMath.clamp(habit1 + r.gaussian(0, 0.15), 0, 1);
        double v2 = DetMath.clamp(habit2 + r.gaussian(0, 0.15), 0, 1);
        boolean mirrored = !act.sided() && r.chance(body.leftSidedness());
        Actions.Style style = new Actions.Style(amp, cycles, r.uniform(0, DetMath.TWO_PI), v1, v2, mirrored);
        int idle0 = r.between(5, 90);
        int idle1 = r.between(5, 90);
        int active = (int) Math.round((act.fixedFrames() + act.cycleFrames() * cycles) * tempo);
        int total = idle0 + active + idle1;
        if (total < config.minFrames()) {
            int extra = config.minFrames() - total;
            idle0 += extra / 2;
            idle1 += extra - extra / 2;
        } else if (total > config.maxFrames()) {
            double f = (double) config.maxFrames() / total;
            idle0 = (int) Math.floor(idle0 * f);
            idle1 = (int) Math.floor(idle1 * f);
            active = config.maxFrames() - idle0 - idle1;
        }
        int frames = idle0 + active + idle1;
        int setup = k.setup();
        double distance = 2.5 + 0.5 * (setup - 1) + r.uniform(0, 0.5);
        double lateral = r.uniform(-0.8, 0.8);
        // where the performer faces: the views are 45° apart around that (NTU's performers faced the
        // left or the right camera, so subjects were seen from -90° to +90°)
        double facing = DetMath.rad(r.uniform(-40, 40));
        double separation = r.uniform(act.minSeparation(), act.maxSeparation());
        double actorTurn = DetMath.rad(r.gaussian(0, 6));
        double partnerTurn = DetMath.rad(r.gaussian(0, 6));
        double height = 0.7 + 0.3 * (setup - 1) + r.uniform(-0.1, 0.1);
        double pitch = DetMath.rad(3 + 7 * (setup - 1) + r.uniform(-3, 3));
        double[][] sway = new double[PERSONS][8];
        for (double[] s : sway) {
            for (int i = 0; i < 4; i++) {
                s[2 * i] = DetMath.TWO_PI * r.uniform(0.15, 0.5) / 30;  // rad per frame
                s[2 * i + 1] = r.uniform(0, DetMath.TWO_PI);
            }
        }
        // per person: {kind, from, to, variation} before and after the action; kind -1 = none
        double[][] fidgets = new double[PERSONS][8];
        for (double[] f : fidgets) {
            fidget(r, f, 0, 0, idle0);
            fidget(r, f, 4, idle0 + active, frames);
        }
        // |warp1| + |warp2| < 1 keeps the warp monotone
        double warp1 = r.uniform(-0.45, 0.45);
        double warp2 = r.uniform(-0.4, 0.4);
        // two persons: the actor stands left or right, and the tracker lists either body first
        boolean actorOnRight = r.chance(0.5);
        int actorSlot = r.nextInt(2);
        int[] posture = new int[PERSONS];
        double[] postureVariation = new double[PERSONS];
        for (int m = 0; m < PERSONS; m++) {
            posture[m] = r.chance(0.5) ? -1 : r.nextInt(Fidgets.postureCount());
            postureVariation[m] = r.uniform();
        }
        return new Performance(style, idle0, active, frames, distance, lateral, facing, separation, actorTurn,
                partnerTurn,
                height, pitch, sway, fidgets, warp1, warp2, actorOnRight, actorSlot, posture, postureVariation,
                DetMath.rad(r.uniform(-15, 15)));
    }

    private static void fidget(Rng r, double[] f, int at, int from, int to) {
        int kind = r.nextInt(Fidgets.COUNT);
        boolean on = r.chance(0.7) && to - from >= 20;
        f[at] = on ? kind : -1;
        f[at + 1] = from;
        f[at + 2] = to;
        f[at + 3] = r.uniform();
    }

    private static double fidgetWeight(double[] f, int at, int t) {
        if (f[at] < 0) {
            return 0;
        }
        double len = f[at + 2] - f[at + 1];
        double x = (t - f[at + 1]) / len;
        return DetMath.bump(x, 0.05, 0.3, 0.65, 0.92);
    }

    /** The performance behind clip {@code index} (timeline, placement), for tests and tools. */
    Performance performance(int index) {
        Key k = key(index);
        return performance(k, Actions.ALL.get(k.label()), bodies[k.subject()]);
    }

    /** Generates clip {@code index}. */
    public Sample generate(int index) {
        Key k = key(index);
        Actions.Action act = Actions.ALL.get(k.label());
        BodyShape[] body = {bodies[k.subject()], partners[k.subject()]};
        Performance perf = performance(k, act, body[0]);
        Rng rv = Rng.of(config.seed(), TAG_VIEW, index);
        int persons = act.info().twoPerson() ? 2 : 1;
        int frames = perf.frames();

        // the scene turns by the view's camera angle plus where the performer faces
        double viewYaw = DetMath.rad(45 * (k.view() - 2) + rv.gaussian(0, 3)) + perf.facing();
        // scene: the actor alone at the origin, or the two facing each other
        double[] px = new double[PERSONS];
        double[] yaw = new double[PERSONS];
        yaw[0] = perf.actorTurn();
        if (persons == 2) {
            double side = perf.actorOnRight() ? -1 : 1;
            px[0] = -side * perf.separation() / 2;
            px[1] = side * perf.separation() / 2;
            yaw[0] += -side * DetMath.PI / 2;
            yaw[1] = side * DetMath.PI / 2 + perf.partnerTurn();
        }
        double cv = DetMath.cos(viewYaw);
        double sv = DetMath.sin(viewYaw);
        double cp = DetMath.cos(perf.pitch());
        double sp = DetMath.sin(perf.pitch());

        float[] data = new float[3 * frames * JOINTS * PERSONS];
        Kinematics fk = new Kinematics();
        Pose pose = new Pose();
        double[] joints = new double[3 * JOINTS];
        for (int t = 0; t < frames; t++) {
            double u = perf.phase(t);
            for (int m = 0; m < persons; m++) {
                pose.rest(body[m]);
                sway(pose, perf.sway()[m], t);
                Fidgets.posture(perf.posture()[m], perf.postureVariation()[m], pose);
                double[] f = perf.fidgets()[m];
                Fidgets.apply((int) f[0], fidgetWeight(f, 0, t), f[3], pose);
                Fidgets.apply((int) f[4], fidgetWeight(f, 4, t), f[7], pose);
                if (perf.style().mirrored()) {
                    pose.mirror();
                    act.program().apply(u, m, perf.style(), pose);
                    pose.mirror();
                } else {
                    act.program().apply(u, m, perf.style(), pose);
                }
                fk.solve(body[m], pose, joints);
                int slot = persons == 1 ? 0 : m ^ perf.actorSlot();
                // people slowly turn a little while they act
                double turn = yaw[m] + perf.drift() * ((double) t / frames - 0.5);
                double cy = DetMath.cos(turn);
                double sy = DetMath.sin(turn);
                for (int v = 0; v < JOINTS; v++) {
                    double x = joints[3 * v];
                    double y = joints[3 * v + 1];
                    double z = joints[3 * v + 2];
                    // person's turn (Ry), place in scene, turn the scene for the view (Ry)
                    double sx = cy * x + sy * z + px[m];
                    double sz = -sy * x + cy * z;
                    double wx = cv * sx + sv * sz + perf.lateral();
                    double wz = -sv * sx + cv * sz;
                    // camera at height H, distance D in front, pitched down
                    double dy = y - perf.cameraHeight();
                    double dz = wz + perf.distance();
                    put(data, frames, 0, t, v, slot, wx);
                    put(data, frames, 1, t, v, slot, dy * cp + dz * sp);
                    put(data, frames, 2, t, v, slot, -dy * sp + dz * cp);
                }
            }
        }
        addNoise(data, frames, persons, rv);
        addDropouts(data, frames, persons, rv);
        return new Sample(data, frames, JOINTS, PERSONS, frames, k.label(), meta(index));
    }

    private static void sway(Pose p, double[] s, int t) {
        p.trunkSide += DetMath.rad(1.2) * DetMath.sin(s[0] * t + s[1]);
        p.trunkFlex += DetMath.rad(1.0) * DetMath.sin(s[2] * t + s[3]);
        p.headTurn += DetMath.rad(5) * DetMath.sin(s[4] * t + s[5]);
        p.yaw += DetMath.rad(2.5) * DetMath.sin(s[6] * t + s[7]);
    }

    private static void put(float[] data, int frames, int c, int t, int v, int m, double value) {
        data[((c * frames + t) * JOINTS + v) * PERSONS + m] = (float) value;
    }

    /** Kinect jitter, metres: small on the trunk, larger towards hands and feet. */
    private static double[] jointNoise() {
        double[] n = new double[JOINTS];
        java.util.Arrays.fill(n, 0.003);
        for (int j : new int[]{Kinematics.ELBOW_L, Kinematics.ELBOW_R, Kinematics.KNEE_L, Kinematics.KNEE_R}) {
            n[j] = 0.004;
        }
        for (int j : new int[]{Kinematics.WRIST_L, Kinematics.WRIST_R, Kinematics.ANKLE_L, Kinematics.ANKLE_R}) {
            n[j] = 0.006;
        }
        for (int j : new int[]{Kinematics.HAND_L, Kinematics.HAND_R, Kinematics.FOOT_L, Kinematics.FOOT_R}) {
            n[j] = 0.009;
        }
        for (int j : new int[]{Kinematics.HAND_TIP_L, Kinematics.HAND_TIP_R, Kinematics.THUMB_L, Kinematics.THUMB_R}) {
            n[j] = 0.014;
        }
        return n;
    }

    private void addNoise(float[] data, int frames, int persons, Rng r) {
        if (config.noise() == 0) {
            return;
        }
        for (int t = 0; t < frames; t++) {
            for (int m = 0; m < persons; m++) {
                for (int v = 0; v < JOINTS; v++) {
                    int iz = ((2 * frames + t) * JOINTS + v) * PERSONS + m;
                    // depth noise grows with distance, as with a time-of-flight sensor
                    double depthFactor = data[iz] / 3.0;
                    double sd = jointNoise[v] * config.noise();
                    for (int c = 0; c < 3; c++) {
                        int i = ((c * frames + t) * JOINTS + v) * PERSONS + m;
                        double f = c == 2 ? 1.3 * depthFactor : 1.0;
                        data[i] += (float) (sd * f * r.jitter());
                    }
                }
            }
        }
    }

    /** Joints that lose tracking, the extremities most often. */
    private static final int[] FLAKY = {
            Kinematics.HAND_TIP_L, Kinematics.HAND_TIP_R, Kinematics.THUMB_L, Kinematics.THUMB_R,
            Kinematics.HAND_L, Kinematics.HAND_R, Kinematics.FOOT_L, Kinematics.FOOT_R,
            Kinematics.WRIST_L, Kinematics.WRIST_R, Kinematics.ANKLE_L, Kinematics.ANKLE_R,
            Kinematics.ELBOW_L, Kinematics.ELBOW_R, Kinematics.KNEE_L, Kinematics.KNEE_R,
            Kinematics.HAND_TIP_L, Kinematics.HAND_TIP_R, Kinematics.HAND_L, Kinematics.HAND_R};

    private void addDropouts(float[] data, int frames, int persons, Rng r) {
        if (config.dropoutRate() == 0) {
            return;
        }
        for (int start = 1; start < frames; start++) {
            if (!r.chance(config.dropoutRate())) {
                continue;
            }
            double kind = r.uniform();
            if (kind < 0.3) {
                // the whole frame freezes: the tracker repeats its last skeleton
                int end = Math.min(frames, start + r.between(1, 4));
                for (int t = start; t < end; t++) {
                    for (int c = 0; c < 3; c++) {
                        int plane = JOINTS * PERSONS;
                        System.arraycopy(data, (c * frames + start - 1) * plane, data, (c * frames + t) * plane, plane);
                    }
                }
            } else {
                int joint = FLAKY[r.nextInt(FLAKY.length)];
                int m = persons == 1 ? 0 : r.nextInt(persons);
                boolean zero = kind < 0.55;
                int end = Math.min(frames, start + r.between(2, 8));
                for (int t = start; t < end; t++) {
                    for (int c = 0; c < 3; c++) {
                        int i = ((c * frames + t) * JOINTS + joint) * PERSONS + m;
                        data[i] = zero ? 0f : data[((c * frames + start - 1) * JOINTS + joint) * PERSONS + m];
                    }
                }
            }
        }
    }
}
