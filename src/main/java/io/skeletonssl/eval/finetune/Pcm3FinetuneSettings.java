package io.skeletonssl.eval.finetune;

import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import io.skeletonssl.training.LrSchedule;
import io.skeletonssl.training.ParamOptimizer;
import io.skeletonssl.training.Sgd;
import io.skeletonssl.training.StepDecay;
import io.skeletonssl.training.WeightDecayGroups;

import java.util.List;
import java.util.Map;

/**
 * PCM3's {@code finetune} section: CMD's semi-supervised recipe (§3.13; PCM3 has none), the whole
 * network in train mode with a Linear(2H, C) head. Official values in the comments.
 *
 * @param epochs      80
 * @param batchSize   64
 * @param lr          0.01, × gamma from each milestone epoch on
 * @param momentum    0.9 (SGD)
 * @param weightDecay 0
 * @param milestones  [50, 70]
 * @param gamma       0.1
 * @param cropMin     train crop U[crop_min, crop_max) of the valid frames (0.5, 1.0), at least min_frames
 * @param cropMax     see cropMin
 * @param minFrames   64
 * @param testCrop    centre crop 0.95
 * @param precision   fp32, or bf16 products (not the GRU cells) with float32 master weights
 * @param seed        head init, batch order and augmentation
 */
public record Pcm3FinetuneSettings(int epochs, int batchSize, double lr, double momentum, double weightDecay,
                                   List<Integer> milestones, double gamma, double cropMin, double cropMax,
                                   int minFrames, double testCrop, String precision, long seed)
        implements FinetuneRecipe {

    public Pcm3FinetuneSettings {
        io.skeletonssl.engine.Precision.parse(precision, "finetune.precision");
        if (epochs < 1 || batchSize < 2 || minFrames < 1) {
            throw new IllegalArgumentException("finetune.epochs and finetune.min_frames must be >= 1 and "
                    + "finetune.batch_size >= 2 (input BatchNorm), got " + epochs + ", " + minFrames + ", " + batchSize);
        }
        if (!(cropMin > 0 && cropMin <= cropMax && cropMax <= 1) || !(testCrop > 0 && testCrop <= 1)) {
            throw new IllegalArgumentException("finetune crops must satisfy 0 < crop_min <= crop_max <= 1 and "
                    + "0 < test_crop <= 1, got " + cropMin + ", " + cropMax + ", " + testCrop);
        }
        milestones = List.copyOf(milestones);
    }

    @Override
    public LrSchedule schedule() {
        return new StepDecay(lr, milestones.stream().mapToInt(Integer::intValue).toArray(), gamma);
    }

    @Override
    public double labelSmoothing() {
        return 0;
    }

    @Override
    public double layerDecay() {
        return 1;
    }

    @Override
    public ParamOptimizer optimizer(PairList<String, Parameter> params, Map<String, Double> lrScales) {
        return new Sgd(params, WeightDecayGroups.uniform(params, weightDecay), momentum);
    }

    @Override
    public FinetuneHead head(TrainableEncoder encoder, int classes, long headSeed) {
        return new LinearFinetuneHead(encoder, classes, headSeed);
    }
}
