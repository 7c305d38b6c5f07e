package io.skeletonssl.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code eval <protocol>}: downstream evaluation of a frozen or finetuned encoder. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluates a pretrained encoder on a prepared dataset (protocols: linear, knn, finetune, semi, "
                + "transfer, occlusion, detection, motion-prediction, ensemble, suite).",
        subcommands = {EvalLinearCommand.class, EvalKnnCommand.class, EvalFinetuneCommand.class, EvalSemiCommand.class,
                EvalTransferCommand.class, EvalOcclusionCommand.class, EvalDetectionCommand.class,
                EvalMotionCommand.class, EvalEnsembleCommand.class, EvalSuiteCommand.class})
final class EvalCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a protocol: eval linear|knn|finetune|semi|"
                + "transfer|occlusion|detection|motion-prediction|ensemble|suite ...");
    }
}
