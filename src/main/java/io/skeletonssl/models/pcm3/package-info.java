/**
 * PCM3 networks (official-code-facts §3.3, §3.7, §3.12): {@link io.skeletonssl.models.pcm3.Pcm3Config},
 * the frame-vector order {@link io.skeletonssl.models.pcm3.FrameLayout}, the Bi-GRU
 * {@link io.skeletonssl.models.pcm3.Pcm3Encoder} with its projector in the released ("official", both
 * directions forward in time) or truly bidirectional mode, and the masked-prediction
 * {@link io.skeletonssl.models.pcm3.Pcm3Decoder}. GRUs run through torch's fused op
 * ({@link io.skeletonssl.models.pcm3.GruStack}), one call per layer and direction at most.
 */
package io.skeletonssl.models.pcm3;
