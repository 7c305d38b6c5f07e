package io.skeletonssl.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a constant inside a recorded (differentiated) computation: x·c, x / c, max(x, c).
 *
 * <p>DJL's {@code NDArray.mul(Number)}, {@code div(Number)}, {@code maximum(Number)} and the like
 * wrap the number in a temporary 0-d array and close it as soon as the operation returns. On the
 * CPU that array's memory is a Java direct buffer (DJL makes arrays from Java values with
 * {@code from_blob}, without a copy), freed once the garbage collector has collected the buffer.
 * But autograd keeps the operand of a product, a quotient or a maximum for the backward pass, so a
 * backward that runs after a collection reads freed (and possibly reused) memory: the gradients then
 * depend on when the collector ran (on the load of the machine, on the loader threads' allocations),
 * while the forward values are right. The constant here is made by the engine ({@code torch.full}),
 * so autograd's reference keeps it alive for as long as the graph needs it.
 *
 * <p>Use these in every differentiated expression; the {@code Number} forms stay safe where nothing
 * is recorded (no gradient, optimiser updates) and for {@code add}/{@code sub}, whose backward does
 * not read the operand.
 */
public final class Scalars {

    private Scalars() {
    }

    /** The constant {@code value} as a 0-d array of {@code like}'s type, on its manager, owned by the engine. */
    public static NDArray of(NDArray like, double value) {
        return like.getManager().full(new Shape(), (float) value, like.getDataType());
    }

    /** x·c. */
    public static NDArray mul(NDArray x, double c) {
        return x.mul(of(x, c));
    }

    /** x / c. */
    public static NDArray div(NDArray x, double c) {
        return x.div(of(x, c));
    }

    /** max(x, c) element-wise. */
    public static NDArray maximum(NDArray x, double c) {
        return x.maximum(of(x, c));
    }
}
