package io.skeletonssl.transforms;

import java.util.random.RandomGenerator;

/**
 * MAMP's {@code random_rot}: three angles α, β, γ ~ U[−θ, θ) (θ = 0.3 rad), drawn in that order,
 * one draw per clip, and every joint p → R·p with R = Rz(γ)·Ry(β)·Rx(α), where (rows listed)
 * <pre>
 *   Rx = [[1, 0, 0], [0, cos α, sin α], [0, −sin α, cos α]]
 *   Ry = [[cos β, 0, −sin β], [0, 1, 0], [sin β, 0, cos β]]
 *   Rz = [[cos γ, sin γ, 0], [−sin γ, cos γ, 0], [0, 0, 1]]
 * </pre>
 * The official code draws the angles in float32 and multiplies in float32; here the angles are
 * doubles and the product is rounded once (see {@link LinearMap}).
 */
public final class RandomRotation implements Transform {

    private final double maxAngle;

    public RandomRotation(double maxAngle) {
        if (!(maxAngle >= 0) || Double.isInfinite(maxAngle)) {
            throw new IllegalArgumentException("maximum rotation angle must be a finite number >= 0, got " + maxAngle);
        }
        this.maxAngle = maxAngle;
    }

    /** ±0.3 rad, as in every MAMP training config. */
    public static RandomRotation mamp() {
        return new RandomRotation(0.3);
    }

    public double maxAngle() {
        return maxAngle;
    }

    public static double[][] rx(double a) {
        double c = Math.cos(a), s = Math.sin(a);
        return new double[][]{{1, 0, 0}, {0, c, s}, {0, -s, c}};
    }

    public static double[][] ry(double b) {
        double c = Math.cos(b), s = Math.sin(b);
        return new double[][]{{c, 0, -s}, {0, 1, 0}, {s, 0, c}};
    }

    public static double[][] rz(double g) {
        double c = Math.cos(g), s = Math.sin(g);
        return new double[][]{{c, s, 0}, {-s, c, 0}, {0, 0, 1}};
    }

    /** R = Rz(γ)·Ry(β)·Rx(α). */
    public static double[][] matrix(double alpha, double beta, double gamma) {
        return LinearMap.multiply(LinearMap.multiply(rz(gamma), ry(beta)), rx(alpha));
    }

    /** The three angles this transform would draw next: α, β, γ (torch's uniform_(−θ, θ): −θ + 2θ·u). */
    public double[] drawAngles(RandomGenerator rng) {
        double[] a = new double[3];
        for (int i = 0; i < 3; i++) {
            a[i] = -maxAngle + 2 * maxAngle * rng.nextDouble();
        }
        return a;
    }

    @Override
    public Clip apply(Clip clip, RandomGenerator rng) {
        double[] a = drawAngles(rng);
        return LinearMap.apply(clip, matrix(a[0], a[1], a[2]));
    }

    @Override
    public String toString() {
        return "RandomRotation[±" + maxAngle + " rad]";
    }
}
