package io.skeletonssl.models.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * How one parameter is initialised, drawn on the host from a seeded generator so that a model's
 * initial weights depend only on its seed (not on the engine or on initialisation order).
 *
 * @param kind distribution
 * @param fanIn fan-in for {@link Kind#TORCH_DEFAULT} (a bias uses its weight's fan-in); unused otherwise
 * @param seed generator seed; {@link #withSeed} binds it just before initialisation
 */
public record InitRule(Kind kind, long fanIn, long seed) implements Initializer {

    public enum Kind {
        ZEROS,
        ONES,
        /**
         * xavier_uniform as torch: U(±sqrt(6/(fan_in+fan_out))) with fan_in = dim 1 and fan_out = dim 0,
         * each times the product of the remaining dims (a 2-D (out, in) weight: in + out).
         */
        XAVIER_UNIFORM,
        /** trunc_normal(std 0.02) cut at absolute ±2 (as timm's default arguments; effectively untruncated). */
        TRUNC_NORMAL_002,
        /** trunc_normal(std 0.01) cut at absolute ±2: the linear-probe head's weight (MAE/MAMP {@code main_linprobe}). */
        TRUNC_NORMAL_001,
        /** PyTorch's default Conv/Linear init (kaiming_uniform a=√5 and its bias rule): U(±1/sqrt(fan_in)). */
        TORCH_DEFAULT
    }

    public static InitRule of(Kind kind) {
        return new InitRule(kind, 0L, 0L);
    }

    /** PyTorch's default conv/linear init for a weight or bias whose weight has {@code fanIn} inputs. */
    public static InitRule torchDefault(long fanIn) {
        return new InitRule(Kind.TORCH_DEFAULT, fanIn, 0L);
    }

    public InitRule withSeed(long newSeed) {
        return new InitRule(kind, fanIn, newSeed);
    }

    /** Fan-in of a weight of {@code shape} in PyTorch's convention: product of all dims but the first. */
    public static long fanIn(Shape shape) {
        long f = 1;
        for (int i = 1; i < shape.dimension(); i++) {
            f *= shape.get(i);
        }
        return f;
    }

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        return manager.create(sample(shape), shape).toType(dataType, false);
    }

    /** The values in row-major order. */
    public float[] sample(Shape shape) {
        int n = Math.toIntExact(shape.size());
        float[] v = new float[n];
        SplittableRandom rng = new SplittableRandom(seed);
        switch (kind) {
            case ZEROS -> { }
            case ONES -> Arrays.fill(v, 1f);
            case XAVIER_UNIFORM -> {
                if (shape.dimension() < 2) {
                    throw new IllegalArgumentException("xavier_uniform needs a weight of 2 or more dims, got " + shape);
                }
                long receptive = shape.size() / (shape.get(0) * shape.get(1));
                double bound = Math.sqrt(6.0 / ((shape.get(0) + shape.get(1)) * receptive));
                fillUniform(v, bound, rng);
            }
            case TRUNC_NORMAL_002 -> fillTruncNormal(v, 0.02, rng);
            case TRUNC_NORMAL_001 -> fillTruncNormal(v, 0.01, rng);
            case TORCH_DEFAULT -> {
                if (fanIn <= 0) {
                    throw new IllegalStateException("TORCH_DEFAULT needs a positive fan-in, got " + fanIn);
                }
                fillUniform(v, 1.0 / Math.sqrt(fanIn), rng);
            }
            default -> throw new IllegalStateException(kind.toString());
        }
        return v;
    }

    private static void fillTruncNormal(float[] v, double std, SplittableRandom rng) {
        for (int i = 0; i < v.length; i++) {
            double x;
            do {
                x = gaussian(rng) * std;
            } while (x < -2 || x > 2);
            v[i] = (float) x;
        }
    }

    private static void fillUniform(float[] v, double bound, SplittableRandom rng) {
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
        }
    }

    private static double gaussian(SplittableRandom rng) {
        // Box-Muller; deterministic for the seed.
        double u1 = 1.0 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
