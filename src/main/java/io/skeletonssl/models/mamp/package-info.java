/**
 * MAMP (masked motion prediction, ICCV 2023): {@link io.skeletonssl.models.mamp.MampConfig},
 * {@link io.skeletonssl.models.mamp.MampModel}, and the host-side
 * {@link io.skeletonssl.models.mamp.MotionAwareMasking} producing a {@link io.skeletonssl.models.mamp.MaskPlan}.
 * Numbers follow official-code-facts §2.2–2.8.
 */
package io.skeletonssl.models.mamp;
