package io.skeletonssl.eval;

import io.skeletonssl.eval.finetune.Finetune;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A classification protocol that leaves the final epoch's {@link TestScores} in its output folder,
 * so that {@code eval ensemble} can run it once per checkpoint and fuse the results.
 *
 * <p>To plug in another protocol (e.g. fine-tuning), add one entry to {@link #REGISTRY}: a name and a
 * factory that builds, from the ensemble's shared settings, the call running the protocol on one
 * checkpoint into one output folder.
 */
@FunctionalInterface
public interface ScoringProtocol {

    /** Runs the protocol on {@code checkpoint}, writing the folder {@code out} (which must not exist). */
    void run(String checkpoint, Path out) throws Exception;

    /**
     * What every member run of an ensemble shares (see {@code eval linear}): model preset, overrides,
     * dataset and splits, epochs and seed overrides (null: the config's), loader threads, validation fraction.
     */
    record Shared(String preset, List<String> sets, Path data, Integer epochs, Long seed, int threads,
                  String trainSplit, String testSplit, double valFraction) {
        public Shared {
            sets = sets == null ? List.of() : List.copyOf(sets);
        }
    }

    /** Builds a protocol for the shared settings. */
    @FunctionalInterface
    interface Factory {
        ScoringProtocol create(Shared shared, PrintStream log);
    }

    /** The protocols {@code eval ensemble --protocol} accepts, by name. */
    Map<String, Factory> REGISTRY = Map.of(
            "linear", (s, log) -> (checkpoint, out) -> new LinearProbe(log).run(new LinearProbe.Options(checkpoint,
                    s.preset(), s.sets(), s.data(), out, s.epochs(), s.seed(), s.threads(), s.trainSplit(),
                    s.testSplit(), false, s.valFraction())),
            "finetune", (s, log) -> (checkpoint, out) -> new Finetune(log).run(new Finetune.Options(checkpoint,
                    s.preset(), s.sets(), s.data(), out, s.epochs(), s.seed(), false, s.valFraction(), s.threads(),
                    s.trainSplit(), s.testSplit(), false)));

    /** The protocol called {@code name}; a clear error naming the known ones otherwise. */
    static ScoringProtocol of(String name, Shared shared, PrintStream log) {
        Factory f = REGISTRY.get(name);
        if (f == null) {
            throw new IllegalArgumentException("--protocol " + name + " cannot be ensembled here (known: "
                    + String.join(", ", new java.util.TreeSet<>(REGISTRY.keySet())) + ")");
        }
        return f.create(shared, log);
    }
}
