package io.skeletonssl.cli;

import io.skeletonssl.eval.Encoders;
import io.skeletonssl.io.OutputPaths;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/** Runs {@link OutputPaths#requireDisjoint} on a parsed {@link GuardedOutput} command, before it executes. */
final class OutputGuard {

    /** Options holding a run or checkpoint folder as text (they also accept {@code random} and {@code raw}). */
    static final Set<String> FOLDER_TEXT_OPTIONS = Set.of("--checkpoint", "--ensemble-run");

    private OutputGuard() {
    }

    static void check(CommandSpec spec) {
        if (!(spec.userObject() instanceof GuardedOutput)) {
            return;
        }
        OptionSpec outOption = spec.findOption("--out");
        if (outOption == null || outOption.getValue() == null) {
            return;
        }
        List<OutputPaths.Input> inputs = new ArrayList<>();
        for (OptionSpec o : spec.options()) {
            if (o != outOption) {
                collect(o, o.shortestName(), FOLDER_TEXT_OPTIONS.contains(o.longestName()), inputs);
            }
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            collect(p, p.paramLabel(), false, inputs);
        }
        OutputPaths.requireDisjoint(outOption.shortestName(), (Path) outOption.getValue(), inputs);
    }

    private static void collect(ArgSpec arg, String label, boolean folderText, List<OutputPaths.Input> into) {
        Object value = arg.getValue();
        Collection<?> values = value instanceof Collection<?> c ? c : value == null ? List.of() : List.of(value);
        for (Object v : values) {
            if (v instanceof Path p) {
                into.add(OutputPaths.input(label, p));
            } else if (folderText && v instanceof String s && !s.isBlank() && !Encoders.isNamed(s)) {
                into.add(OutputPaths.input(label, Path.of(s)));
            }
        }
    }
}
