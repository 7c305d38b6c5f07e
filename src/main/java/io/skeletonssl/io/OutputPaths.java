package io.skeletonssl.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Refuses an output folder that overlaps an input: one that equals an input, contains it, or lies
 * inside it. Replacing such an output ({@code --force}) would delete the input, and writing into
 * an input folder changes what is being read. Call it before anything is created or deleted.
 *
 * <p>Paths are compared twice: lexically after {@code toAbsolutePath().normalize()}, and after
 * resolving symbolic links through the nearest existing ancestor (so {@code -o link} where
 * {@code link -> input} is caught too, even when the output does not exist yet).
 */
public final class OutputPaths {

    private OutputPaths() {
    }

    /** An input path and the option that named it (for the message), e.g. {@code ("--data", path)}. */
    public record Input(String option, Path path) {
        public Input {
            Objects.requireNonNull(option, "option");
        }
    }

    /** Shorthand for {@code new Input(option, path)}; a null path is allowed and ignored by the check. */
    public static Input input(String option, Path path) {
        return new Input(option, path);
    }

    /**
     * Throws {@link IllegalArgumentException} if {@code out} equals, contains or lies inside one of
     * the inputs; null inputs are skipped. Nothing is created or changed on disk. The message names
     * both options and paths, e.g. {@code -o /x contains the input -i /x/raw; choose an output
     * folder outside the input}.
     *
     * <p>For {@code pretrain}: {@code OutputPaths.requireDisjoint("-o", out, OutputPaths.input("--data", data))}.
     *
     * @param outOption the output option as the user knows it ({@code -o}, {@code --out})
     */
    public static void requireDisjoint(String outOption, Path out, Input... inputs) {
        requireDisjoint(outOption, out, List.of(inputs));
    }

    /** As {@link #requireDisjoint(String, Path, Input...)}, for a list. */
    public static void requireDisjoint(String outOption, Path out, List<Input> inputs) {
        Objects.requireNonNull(out, "out");
        List<Path> outForms = forms(out);
        for (Input in : inputs) {
            if (in == null || in.path() == null) {
                continue;
            }
            String relation = null;
            for (Path o : outForms) {
                for (Path i : forms(in.path())) {
                    if (o.equals(i)) {
                        relation = "is the input";
                    } else if (i.startsWith(o) && relation == null) {
                        relation = "contains the input";
                    } else if (o.startsWith(i) && relation == null) {
                        relation = "lies inside the input";
                    }
                }
            }
            if (relation != null) {
                throw new IllegalArgumentException(outOption + " " + out + " " + relation + " " + in.option() + " "
                        + in.path() + "; choose an output folder outside the input");
            }
        }
    }

    /** The lexical absolute form and, where it differs, the form with symbolic links resolved. */
    private static List<Path> forms(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        List<Path> out = new ArrayList<>(2);
        out.add(abs);
        Path real = realThroughExistingAncestor(abs);
        if (real != null && !real.equals(abs)) {
            out.add(real);
        }
        return out;
    }

    /** toRealPath of the nearest existing ancestor, with the not-yet-existing rest appended; null if none. */
    static Path realThroughExistingAncestor(Path abs) {
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return null;
        }
        try {
            Path real = existing.toRealPath();
            return real.resolve(existing.relativize(abs)).normalize();
        } catch (IOException e) {
            return null; // unreadable: the lexical comparison still applies
        }
    }
}
