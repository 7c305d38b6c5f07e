/**
 * Multi-threaded, deterministic batch loading from a prepared dataset split
 * ({@link io.skeletonssl.loader.BatchLoader}), with per-sample transforms producing one or more
 * views ({@link io.skeletonssl.loader.SampleTransform}).
 */
package io.skeletonssl.loader;
