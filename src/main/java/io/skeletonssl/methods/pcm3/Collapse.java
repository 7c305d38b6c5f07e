package io.skeletonssl.methods.pcm3;

import ai.djl.ndarray.NDArray;

import java.util.Locale;
import java.util.Optional;

/**
 * A cheap sign of representational collapse: {@code feature_std}, the standard deviation over the
 * batch of each dimension of the L2-normalised query embeddings, averaged over the D dimensions.
 * Unit vectors spread in every direction give about 1/√D (each coordinate has mean square 1/D);
 * embeddings that have become alike give 0, whatever their loss.
 */
public final class Collapse {

    /** The metrics.csv column. */
    public static final String FEATURE_STD = "feature_std";

    private Collapse() {
    }

    /** {@code feature_std} of (N, D) embeddings as a 0-d array (population std over the N rows). */
    public static NDArray featureStd(NDArray embeddings) {
        if (embeddings.getShape().dimension() != 2) {
            throw new IllegalArgumentException("feature_std needs (N, D) embeddings, got " + embeddings.getShape());
        }
        NDArray x = embeddings.stopGradient();
        NDArray centred = x.sub(x.mean(new int[] {0}, true));
        return centred.square().mean(new int[] {0}).sqrt().mean();
    }

    /** 1/√D: {@code feature_std} of unit vectors spread evenly in D dimensions. */
    public static double spreadReference(int dim) {
        return 1 / Math.sqrt(dim);
    }

    /**
     * The warning for an epoch whose mean {@code feature_std} is below {@code fraction}/√D, if it is
     * ({@code fraction} 0: never).
     */
    public static Optional<String> warning(int epoch, double featureStd, int dim, double fraction) {
        double threshold = fraction * spreadReference(dim);
        if (!(fraction > 0) || !(featureStd < threshold)) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "COLLAPSE? epoch %d: the query embeddings' mean feature_std "
                        + "%.4f is below %.2f / sqrt(%d) = %.4f (%.4f for embeddings spread in every direction): they "
                        + "have become alike, and the encoder is unlikely to learn more (rerun with another seed, a "
                        + "lower pretrain.lr or pretrain.clip_grad_norm)", epoch, featureStd, fraction, dim, threshold,
                spreadReference(dim)));
    }
}
