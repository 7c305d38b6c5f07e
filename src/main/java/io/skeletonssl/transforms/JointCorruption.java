package io.skeletonssl.transforms;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * PCM3's "joint corruption" ({@code joint_courruption}, the code's "joint jittering"): draw
 * u ~ U[0,1), choose k distinct joints uniformly (the same for every frame and person); if
 * u &lt; 0.5 set them to zero, else map each chosen joint's coordinates through a random 3×3
 * matrix A with the nine entries ~ U(−1, 1) drawn row by row: row vector p → p·A, i.e. column
 * p → Aᵀ·p. Other joints are untouched.
 *
 * <p>k is 15 for NTU's 25 joints; for other layouts it scales as round(0.6·V), or is fixed with
 * {@link #ofCount}.
 */
public final class JointCorruption implements Transform {

    /** What one application did, for inspection and tests. */
    public record Draw(int[] joints, double[][] matrix) {
        /** True when the joints were zeroed (no matrix). */
        public boolean zeroed() {
            return matrix == null;
        }
    }

    private final double fraction;
    private final int fixedCount;
    private final double zeroProbability;

    private JointCorruption(double fraction, int fixedCount, double zeroProbability) {
        if (!(zeroProbability >= 0 && zeroProbability <= 1)) {
            throw new IllegalArgumentException("zero probability must be in [0, 1], got " + zeroProbability);
        }
        this.fraction = fraction;
        this.fixedCount = fixedCount;
        this.zeroProbability = zeroProbability;
    }

    /** 15 of 25 joints (0.6·V elsewhere), zeroed with probability 0.5. */
    public static JointCorruption pcm3() {
        return ofFraction(0.6, 0.5);
    }

    /** round(fraction·V) joints (at least 1). */
    public static JointCorruption ofFraction(double fraction, double zeroProbability) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("corrupted joint fraction must be in (0, 1], got " + fraction);
        }
        return new JointCorruption(fraction, 0, zeroProbability);
    }

    /** Exactly {@code count} joints; a clip with fewer joints is an error. */
    public static JointCorruption ofCount(int count, double zeroProbability) {
        if (count < 1) {
            throw new IllegalArgumentException("corrupted joint count must be at least 1, got " + count);
        }
        return new JointCorruption(Double.NaN, count, zeroProbability);
    }

    /** How many joints are corrupted in a skeleton of {@code joints} joints. */
    public int count(int joints) {
        if (fixedCount > 0) {
            if (fixedCount > joints) {
                throw new IllegalArgumentException("cannot corrupt " + fixedCount + " distinct joints of a "
                        + joints + "-joint skeleton");
            }
            return fixedCount;
        }
        return (int) Math.max(1, Math.min(joints, Math.round(fraction * joints)));
    }

    public double zeroProbability() {
        return zeroProbability;
    }

    /** {@code k} distinct joints of {@code 0..joints−1}, uniformly (partial Fisher–Yates), in draw order. */
    public static int[] chooseJoints(int joints, int k, RandomGenerator rng) {
        if (k < 0 || k > joints) {
            throw new IllegalArgumentException("cannot choose " + k + " distinct joints of " + joints);
        }
        int[] pool = new int[joints];
        for (int i = 0; i < joints; i++) {
            pool[i] = i;
        }
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(joints - i);
            int tmp = pool[i];
            pool[i] = pool[j];
            pool[j] = tmp;
        }
        return Arrays.copyOf(pool, k);
    }

    /** The random choices for one clip, in the official order: u, then the joints, then A. */
    public Draw draw(int joints, RandomGenerator rng) {
        boolean zero = rng.nextDouble() < zeroProbability;
        int[] chosen = chooseJoints(joints, count(joints), rng);
        if (zero) {
            return new Draw(chosen, null);
        }
        double[][] a = new double[3][3];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                a[r][c] = -1 + 2 * rng.nextDouble();
            }
        }
        return new Draw(chosen, a);
    }

    /** Applies a given draw. */
    public static Clip apply(Clip clip, Draw draw) {
        return draw.zeroed() ? zero(clip, draw.joints()) : mapRows(clip, draw.joints(), draw.matrix());
    }

    /** The listed joints set to 0 in every frame, person and channel. */
    public static Clip zero(Clip clip, int[] joints) {
        float[] out = clip.data().clone();
        int v = clip.joints();
        int m = clip.persons();
        for (int c = 0; c < Clip.CHANNELS; c++) {
            for (int t = 0; t < clip.frames(); t++) {
                for (int j : joints) {
                    if (j < 0 || j >= v) {
                        throw new IllegalArgumentException("joint " + j + " outside 0.." + (v - 1));
                    }
                    int base = ((c * clip.frames() + t) * v + j) * m;
                    Arrays.fill(out, base, base + m, 0f);
                }
            }
        }
        return clip.withData(out);
    }

    /** Row vector p → p·A for the listed joints (column p → Aᵀ·p). */
    public static Clip mapRows(Clip clip, int[] joints, double[][] a) {
        return LinearMap.apply(clip, LinearMap.transpose(a), joints);
    }

    @Override
    public Clip apply(Clip clip, RandomGenerator rng) {
        return apply(clip, draw(clip.joints(), rng));
    }

    @Override
    public String toString() {
        return "JointCorruption[" + (fixedCount > 0 ? fixedCount + " joints" : fraction + "·V joints")
                + ", zero p=" + zeroProbability + "]";
    }
}
