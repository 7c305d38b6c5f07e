package io.skeletonssl.synth;

/**
 * One subject's fixed body: segment lengths in metres (Kinect joint-centre distances, which are a
 * little shorter than anatomical ones) and a few habits of posture and movement.
 *
 * @param stature        standing height, metres
 * @param spineLower     SpineBase → SpineMid
 * @param spineUpper     SpineMid → SpineShoulder
 * @param neck           SpineShoulder → Neck
 * @param head           Neck → Head
 * @param shoulderHalf   SpineShoulder → each shoulder, sideways
 * @param upperArm       shoulder → elbow
 * @param forearm        elbow → wrist
 * @param hand           wrist → hand (palm centre)
 * @param handTip        hand → hand tip
 * @param thumb          hand → thumb
 * @param hipHalf        SpineBase → each hip, sideways
 * @param thigh          hip → knee
 * @param shank          knee → ankle
 * @param foot           ankle → foot
 * @param ankleHeight    ankle above the floor when standing
 * @param restAbduction  how far the arms hang away from the body (radians)
 * @param restElbow      elbow bend at rest (radians)
 * @param stance         extra sideways stance angle of the legs (radians)
 * @param slouch         habitual forward lean of the trunk (radians)
 * @param tempo          the subject's speed habit (multiplies durations)
 * @param vigour         the subject's amplitude habit (multiplies motion amplitudes)
 * @param leftSidedness  how often the subject does one-handed (one-legged) actions with the left
 */
public record BodyShape(double stature, double spineLower, double spineUpper, double neck, double head,
                        double shoulderHalf, double upperArm, double forearm, double hand, double handTip,
                        double thumb, double hipHalf, double thigh, double shank, double foot,
                        double ankleHeight, double restAbduction, double restElbow, double stance,
                        double slouch, double tempo, double vigour, double leftSidedness) {

    /** The body of subject {@code subject} (1-based) under {@code seed}: fixed for the pair. */
    public static BodyShape forSubject(long seed, int subject) {
        Rng r = Rng.of(seed, 0xB0D1L, subject);
        double s = r.clippedGaussian(1.70, 0.085);          // stature
        double torso = r.clippedGaussian(1.0, 0.035);       // torso length ratio
        double arms = r.clippedGaussian(1.0, 0.035);        // arm length ratio
        double legs = r.clippedGaussian(1.0, 0.03);         // leg length ratio
        double width = r.clippedGaussian(1.0, 0.07);        // shoulder/hip width ratio
        double k = s / 1.70;
        return new BodyShape(s,
                0.27 * k * torso, 0.21 * k * torso, 0.07 * k, 0.13 * k,
                0.165 * k * width, 0.27 * k * arms, 0.245 * k * arms, 0.075 * k, 0.07 * k, 0.05 * k,
                0.075 * k * r.clippedGaussian(1.0, 0.08), 0.39 * k * legs, 0.38 * k * legs, 0.10 * k,
                0.075 * k,
                DetMath.rad(r.uniform(4, 14)), DetMath.rad(r.uniform(5, 22)), DetMath.rad(r.uniform(0, 5)),
                DetMath.rad(r.uniform(-3, 8)), r.clippedGaussian(1.0, 0.1), r.clippedGaussian(1.0, 0.08),
                r.chance(0.25) ? r.uniform(0.6, 0.9) : r.uniform(0.05, 0.25));
    }

    /** Standing height of SpineBase above the floor (legs straight). */
    public double pelvisHeight() {
        return thigh + shank + ankleHeight;
    }
}
