package io.skeletonssl.synth;

/**
 * One action class of the synthetic dataset.
 *
 * @param label       0-based class index
 * @param name        short identifier, e.g. {@code wave_right_hand}
 * @param description what the performer does
 * @param twoPerson   whether a second person takes part (otherwise person 2 is all zeros)
 */
public record ActionClass(int label, String name, String description, boolean twoPerson) {
}
