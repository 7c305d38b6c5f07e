/** Pictures of skeleton sequences: animated GIFs and PNG strips ({@link io.skeletonssl.render.SkeletonRenderer}). */
package io.skeletonssl.render;
