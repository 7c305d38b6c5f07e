package io.skeletonssl.training;

import java.util.Arrays;

/**
 * PCM3's schedule (§3.11): {@code lr} multiplied by {@code gamma} (0.1) once for every milestone
 * epoch already reached. Changes only between epochs: the fractional part of {@code e} is ignored.
 * With milestones [351], epochs 0..350 use lr and epochs 351.. use 0.1·lr.
 */
public record StepDecay(double lr, int[] milestones, double gamma) implements LrSchedule {

    public StepDecay {
        milestones = milestones.clone();
        for (int i = 0; i < milestones.length; i++) {
            if (milestones[i] < 0 || (i > 0 && milestones[i] <= milestones[i - 1])) {
                throw new IllegalArgumentException("step-decay milestones must be increasing and >= 0: "
                        + Arrays.toString(milestones));
            }
        }
    }

    public StepDecay(double lr, int... milestones) {
        this(lr, milestones, 0.1);
    }

    @Override
    public int[] milestones() {
        return milestones.clone();
    }

    @Override
    public double at(double e) {
        int epoch = (int) Math.floor(e);
        double rate = lr;
        for (int m : milestones) {
            if (epoch >= m) {
                rate *= gamma;
            }
        }
        return rate;
    }
}
