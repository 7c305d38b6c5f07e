package io.skeletonssl.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code eval <protocol>}: downstream evaluation of a frozen or finetuned encoder. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluates a pretrained encoder on a prepared dataset (protocols: linear, knn, motion-prediction).",
        subcommands = {EvalLinearCommand.class, EvalKnnCommand.class, EvalMotionCommand.class})
final class EvalCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a protocol: eval linear|knn|motion-prediction ...");
    }
}
