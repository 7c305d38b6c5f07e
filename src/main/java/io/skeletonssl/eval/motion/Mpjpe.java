package io.skeletonssl.eval.motion;

/**
 * Mean per-joint position error, accumulated over batches of predicted sequences: for every
 * predicted frame, the mean over windows and joints of the Euclidean distance between predicted
 * and true joint positions. Inputs are in metres, results in millimetres. Frames are numbered from
 * 1 (frame 1 is the first predicted frame), as in Martinez et al.'s tables.
 */
public final class Mpjpe {

    /** Frames reported besides the mean (1-based), as PCM3 Table 6. */
    public static final int[] REPORTED_FRAMES = {2, 4, 8, 10};

    private final int frames;
    private final int joints;
    private final double[] sum;
    private long windows;

    public Mpjpe(int frames, int joints) {
        this.frames = frames;
        this.joints = joints;
        this.sum = new double[frames];
    }

    /**
     * Adds {@code n} windows: {@code pred} and {@code truth} hold n·frames·joints·3 values in
     * (window, frame, joint, xyz) order, metres.
     */
    public void add(float[] pred, float[] truth, int n) {
        long expected = (long) n * frames * joints * 3;
        if (pred.length != expected || truth.length != expected) {
            throw new IllegalArgumentException("expected " + expected + " values (" + n + " windows x " + frames
                    + " frames x " + joints + " joints x 3), got " + pred.length + " and " + truth.length);
        }
        for (int w = 0; w < n; w++) {
            for (int t = 0; t < frames; t++) {
                double s = 0;
                for (int v = 0; v < joints; v++) {
                    int o = ((w * frames + t) * joints + v) * 3;
                    double dx = pred[o] - truth[o];
                    double dy = pred[o + 1] - truth[o + 1];
                    double dz = pred[o + 2] - truth[o + 2];
                    s += Math.sqrt(dx * dx + dy * dy + dz * dz);
                }
                sum[t] += s;
            }
        }
        windows += n;
    }

    public long windows() {
        return windows;
    }

    /** Per predicted frame (index 0 = frame 1), millimetres. */
    public double[] perFrameMm() {
        if (windows == 0) {
            throw new IllegalStateException("no windows were added");
        }
        double[] out = new double[frames];
        for (int t = 0; t < frames; t++) {
            out[t] = 1000.0 * sum[t] / ((double) windows * joints);
        }
        return out;
    }

    /** Mean over all predicted frames and joints, millimetres (the headline). */
    public double meanMm() {
        double s = 0;
        for (double d : perFrameMm()) {
            s += d;
        }
        return s / frames;
    }

    /** At 1-based predicted frame {@code frame}, millimetres. */
    public double atFrameMm(int frame) {
        if (frame < 1 || frame > frames) {
            throw new IllegalArgumentException("frame " + frame + " outside 1.." + frames);
        }
        return perFrameMm()[frame - 1];
    }
}
