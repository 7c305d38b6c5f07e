package io.skeletonssl.eval.detection;

import io.skeletonssl.dataset.SkeletonDataset;
import io.skeletonssl.dataset.StreamSample;
import io.skeletonssl.eval.HeadTrainer;
import io.skeletonssl.eval.ProbeHead;
import io.skeletonssl.training.NanGuard;
import io.skeletonssl.training.ParamOptimizer;
import io.skeletonssl.training.TrainingProgress;

import java.util.List;
import java.util.SplittableRandom;

/**
 * One epoch's training windows (DET: {@code windows_per_stream} per stream and epoch): a uniform
 * random centre frame in each stream, a stride drawn from {@code train_strides}, label = the
 * centre frame's label (0 = background); drawn from (seed, epoch) only.
 */
record TrainWindows(float[][] features, int[] labels) {

    static TrainWindows draw(SkeletonDataset.StreamSplit split, List<Integer> streams, WindowEncoder we,
                             DetectionConfig dc, int epoch) {
        SplittableRandom rng = new SplittableRandom(dc.seed() * 0x9E3779B97F4A7C15L + epoch * 0xD1B54A32D192ED03L + 7);
        int per = dc.windowsPerStream();
        float[][] x = new float[streams.size() * per][];
        int[] y = new int[x.length];
        int k = 0;
        for (int i : streams) {
            StreamSample s = split.stream(i);
            int[] centres = new int[per];
            int[] strides = new int[per];
            for (int w = 0; w < per; w++) {
                centres[w] = rng.nextInt(s.frames());
                strides[w] = dc.trainStrides().get(rng.nextInt(dc.trainStrides().size()));
                y[k + w] = s.frameLabels()[centres[w]];
            }
            System.arraycopy(we.encode(s, centres, strides), 0, x, k, per);
            k += per;
        }
        return new TrainWindows(x, y);
    }

    /** One pass in batches of {@code batch_size} (the last may be short): {mean loss, accuracy in percent}. */
    double[] fit(ProbeHead head, ParamOptimizer opt, double lr, DetectionConfig dc, int epoch, TrainingProgress bar) {
        int[] order = HeadTrainer.permutation(labels.length, dc.seed(), epoch);
        int dim = features[0].length;
        double lossSum = 0;
        long correct = 0;
        int steps = 0;
        int seen = 0;
        // a NaN head scores every frame alike: stop instead of recording a meaningless mAP
        NanGuard guard = NanGuard.forProtocol("detection", "lower detection.lr");
        long stepsPerEpoch = (order.length + dc.batchSize() - 1) / dc.batchSize();
        for (int from = 0; from < order.length; from += dc.batchSize()) {
            int n = Math.min(dc.batchSize(), order.length - from);
            if (n < 2 && head.batchNorm() != null) {
                break; // BatchNorm needs two rows
            }
            float[] xb = new float[n * dim];
            int[] yb = new int[n];
            for (int i = 0; i < n; i++) {
                System.arraycopy(features[order[from + i]], 0, xb, i * dim, dim);
                yb[i] = labels[order[from + i]];
            }
            ProbeHead.Step s = head.trainStep(xb, yb, opt, lr);
            guard.check(s.loss(), epoch, epoch * stepsPerEpoch + steps);
            lossSum += s.loss();
            correct += s.correct();
            steps++;
            seen += n;
            bar.step(epoch, s.loss(), lr, n);
        }
        return new double[] {lossSum / steps, 100.0 * correct / Math.min(labels.length, seen)};
    }
}
