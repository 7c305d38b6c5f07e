package io.skeletonssl.transforms;

import java.util.SplittableRandom;

/** Test clips. */
final class Clips {

    private Clips() {
    }

    /** Random coordinates in [−1, 1) for the first {@code valid} frames, zeros after. */
    static Clip random(int frames, int valid, int joints, int persons, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = new float[3 * frames * joints * persons];
        Clip shape = new Clip(d, frames, valid, joints, persons);
        for (int c = 0; c < 3; c++) {
            for (int t = 0; t < valid; t++) {
                for (int v = 0; v < joints; v++) {
                    for (int m = 0; m < persons; m++) {
                        d[shape.index(c, t, v, m)] = (float) (r.nextDouble() * 2 - 1);
                    }
                }
            }
        }
        return shape;
    }

    /** Value f(c, t, v, m) everywhere. */
    static Clip of(int frames, int joints, int persons, Fn f) {
        float[] d = new float[3 * frames * joints * persons];
        Clip clip = Clip.of(d, frames, joints, persons);
        for (int c = 0; c < 3; c++) {
            for (int t = 0; t < frames; t++) {
                for (int v = 0; v < joints; v++) {
                    for (int m = 0; m < persons; m++) {
                        d[clip.index(c, t, v, m)] = f.at(c, t, v, m);
                    }
                }
            }
        }
        return clip;
    }

    interface Fn {
        float at(int c, int t, int v, int m);
    }
}
