package io.skeletonssl.eval.motion;

import io.skeletonssl.dataset.SkeletonDataset;
import io.skeletonssl.transforms.Clip;
import io.skeletonssl.transforms.CropResize;
import io.skeletonssl.transforms.Pipeline;
import io.skeletonssl.transforms.Transform;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Turns windows into what the model reads and predicts: the encoder's input (the observed frames
 * of person 1, every other person zero, through the method's test transform with its temporal
 * crop widened to all the observed frames, so they are resized to the encoder's length and
 * normalised as at test time), the last observed pose and the future poses (metres).
 */
final class WindowBatches {

    /** {@code n} windows: encoder clips (n·3·T·V·M), last poses (n·3V), future poses (n·predict·3V). */
    record Batch(float[] encoderInput, float[] lastPose, float[] future, int poseDim) {
    }

    private final MotionEncoder encoder;
    private final Transform transform;
    private final MotionConfig cfg;
    private final double scale;

    WindowBatches(MotionEncoder encoder, Transform testTransform, MotionConfig cfg, double scale) {
        this.encoder = encoder;
        this.transform = encoderInput(testTransform, encoder.frames());
        this.cfg = cfg;
        this.scale = scale;
    }

    /**
     * The method's test transform with its crop step replaced by a full-length resize to
     * {@code frames}: the observed window is what the encoder must see, all of it.
     */
    static Transform encoderInput(Transform testTransform, int frames) {
        if (!(testTransform instanceof Pipeline p)) {
            throw new IllegalArgumentException("the test transform " + testTransform + " is not a named pipeline");
        }
        List<Pipeline.Step> steps = new ArrayList<>();
        boolean replaced = false;
        for (Pipeline.Step s : p.steps()) {
            if (s.name().equals("crop-resize")) {
                steps.add(new Pipeline.Step("resize", CropResize.center(1.0, frames)));
                replaced = true;
            } else {
                steps.add(s);
            }
        }
        if (!replaced) {
            throw new IllegalArgumentException("the test transform " + p + " has no crop-resize step to replace");
        }
        return new Pipeline(p.name() + "-motion-observed", steps);
    }

    /** Metres per dataset unit. */
    double scale() {
        return scale;
    }

    Batch prepare(SkeletonDataset.ClipSplit split, List<MotionWindows.Window> windows) {
        return build(split, windows, true);
    }

    /** As {@link #prepare} without the encoder input. */
    Batch prepareTargets(SkeletonDataset.ClipSplit split, List<MotionWindows.Window> windows) {
        return build(split, windows, false);
    }

    private Batch build(SkeletonDataset.ClipSplit split, List<MotionWindows.Window> windows, boolean withInput) {
        int n = windows.size();
        int t = split.frames();
        int v = split.joints();
        int m = split.persons();
        int pose = 3 * v;
        int clipSize = encoder.clipSize();
        float[] input = withInput ? new float[n * clipSize] : null;
        float[] last = new float[n * pose];
        float[] future = new float[n * cfg.predict() * pose];
        float[] data = new float[split.sampleSize()];
        for (int i = 0; i < n; i++) {
            MotionWindows.Window w = windows.get(i);
            split.read(w.clip(), data, 0);
            float[] p = MotionWindows.poses(data, t, v, m, w.start(), cfg.window(), scale);
            System.arraycopy(p, (cfg.observe() - 1) * pose, last, i * pose, pose);
            System.arraycopy(p, cfg.observe() * pose, future, i * cfg.predict() * pose, cfg.predict() * pose);
            if (withInput) {
                Clip c = transform.apply(MotionWindows.observed(data, t, v, m, w.start(), cfg.observe()),
                        new SplittableRandom(0)); // the test transform draws nothing
                if (c.data().length != clipSize) {
                    throw new IllegalStateException("encoder input has " + c.data().length + " values, the encoder "
                            + "expects " + clipSize);
                }
                System.arraycopy(c.data(), 0, input, i * clipSize, clipSize);
            }
        }
        return new Batch(input, last, future, pose);
    }

    /** The zero-velocity prediction: each window's last pose for every one of {@code predict} frames. */
    static float[] repeatLast(float[] lastPose, int n, int predict) {
        int pose = lastPose.length / n;
        float[] out = new float[n * predict * pose];
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < predict; f++) {
                System.arraycopy(lastPose, i * pose, out, (i * predict + f) * pose, pose);
            }
        }
        return out;
    }
}
