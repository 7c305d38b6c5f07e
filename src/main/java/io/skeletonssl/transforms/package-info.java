/**
 * Skeleton clip transforms of MAMP and PCM3 on plain float arrays in (C = 3, T, V, M) order
 * ({@link io.skeletonssl.transforms.Clip}): valid frame count, temporal crop-resize, rotation,
 * shear, joint corruption, bone/motion streams, mirroring, and named
 * {@link io.skeletonssl.transforms.Pipeline}s. All randomness comes from the
 * {@link java.util.random.RandomGenerator} passed in; configurations are immutable; inputs are
 * never modified.
 */
package io.skeletonssl.transforms;
