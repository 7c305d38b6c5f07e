/**
 * The built-in synthetic NTU-25 dataset: realistic Kinect-v2-style skeleton clips with no download.
 *
 * <p>{@link io.skeletonssl.synth.SyntheticGenerator} drives a kinematic skeleton
 * ({@code Kinematics}: forward kinematics over the NTU-25 joint tree from joint angles) with per-subject
 * bodies ({@link io.skeletonssl.synth.BodyShape}) through action programs ({@code Actions}, see
 * {@link io.skeletonssl.synth.SyntheticGenerator#allClasses()}), and adds what makes real data hard:
 * tempo, amplitude and style differences, idle frames with unrelated fidgets, left-handed
 * performers, three camera views, placement, Kinect jitter and tracking dropouts.
 * {@link io.skeletonssl.synth.SyntheticSource} feeds it to {@link io.skeletonssl.formats.Converter} like
 * any input format; {@link io.skeletonssl.synth.SeparabilityCheck} measures how hard it is.
 */
package io.skeletonssl.synth;
