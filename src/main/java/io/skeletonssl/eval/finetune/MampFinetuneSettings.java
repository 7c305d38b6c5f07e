package io.skeletonssl.eval.finetune;

import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import io.skeletonssl.training.AdamW;
import io.skeletonssl.training.LrSchedule;
import io.skeletonssl.training.ParamOptimizer;
import io.skeletonssl.training.WarmupCosine;
import io.skeletonssl.training.WeightDecayGroups;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * MAMP's {@code finetune} section (spec §2.10; official values in the comments).
 *
 * @param epochs         100
 * @param batchSize      48 (24 per GPU × 2); a labelled set smaller than this trains in one batch of all of it
 * @param lr             3e-4, reached after the warm-up
 * @param minLr          1e-5, the end of the half-cycle cosine
 * @param warmupEpochs   5 (linear from 0)
 * @param weightDecay    0.05 on parameters with more than one axis, 0 on the others
 * @param betas          AdamW (0.9, 0.999)
 * @param eps            AdamW 1e-8
 * @param layerDecay     0.8 (1.0 from scratch)
 * @param dropPath       0.3, the rate of the last block (linear from 0)
 * @param headDropout    0.3, dropout on the encoder tokens
 * @param headHidden     2048
 * @param labelSmoothing 0.1
 * @param precision      fp32, or bf16 products with float32 master weights (see engine.Autocast)
 * @param seed           head init, batch order, augmentation, drop path and dropout
 */
public record MampFinetuneSettings(int epochs, int batchSize, double lr, double minLr, double warmupEpochs,
                                   double weightDecay, List<Double> betas, double eps, double layerDecay,
                                   double dropPath, double headDropout, int headHidden, double labelSmoothing,
                                   String precision, long seed) implements FinetuneRecipe {

    public MampFinetuneSettings {
        io.skeletonssl.engine.Precision.parse(precision, "finetune.precision");
        if (epochs < 1 || batchSize < 2 || headHidden < 1) {
            throw new IllegalArgumentException("finetune.epochs and finetune.head_hidden must be >= 1 and "
                    + "finetune.batch_size >= 2 (BatchNorm), got " + epochs + ", " + headHidden + ", " + batchSize);
        }
        if (betas == null || betas.size() != 2) {
            throw new IllegalArgumentException("finetune.betas must be two numbers, got " + betas);
        }
        betas = List.copyOf(betas);
        if (!(layerDecay > 0 && layerDecay <= 1) || !(labelSmoothing >= 0 && labelSmoothing < 1)
                || !(dropPath >= 0 && dropPath < 1)) {
            throw new IllegalArgumentException("finetune.layer_decay must lie in (0, 1], label_smoothing and drop_path "
                    + "in [0, 1); got " + layerDecay + ", " + labelSmoothing + ", " + dropPath);
        }
    }

    @Override
    public LrSchedule schedule() {
        return new WarmupCosine(lr, minLr, warmupEpochs, epochs);
    }

    @Override
    public ParamOptimizer optimizer(PairList<String, Parameter> params, Map<String, Double> lrScales) {
        return new AdamW(params, WeightDecayGroups.timm(params, weightDecay, Set.of()), lrScales, betas.get(0),
                betas.get(1), eps);
    }

    @Override
    public FinetuneHead head(TrainableEncoder encoder, int classes, long headSeed) {
        if (!(encoder instanceof MampTrainableEncoder mamp)) {
            throw new IllegalArgumentException("the MAMP fine-tune head needs a MAMP encoder, got " + encoder.method());
        }
        return new MampFinetuneHead(mamp, headHidden, classes, headDropout, headSeed);
    }
}
