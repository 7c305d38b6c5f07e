/**
 * Small transformer building blocks on DJL NDArrays (timm/MAE style): {@link io.skeletonssl.models.blocks.Dense},
 * {@link io.skeletonssl.models.blocks.Norm}, {@link io.skeletonssl.models.blocks.Attention},
 * {@link io.skeletonssl.models.blocks.Mlp}, {@link io.skeletonssl.models.blocks.TransformerBlock},
 * exact {@link io.skeletonssl.models.blocks.Gelu} and per-sample {@link io.skeletonssl.models.blocks.DropPath}.
 * Parameters carry PyTorch-style dotted names and explicit, seeded {@link io.skeletonssl.models.blocks.InitRule}s.
 */
package io.skeletonssl.models.blocks;
