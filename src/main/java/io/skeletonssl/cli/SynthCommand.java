package io.skeletonssl.cli;

import io.skeletonssl.formats.CentredSource;
import io.skeletonssl.formats.Converter;
import io.skeletonssl.formats.SampleSource;
import io.skeletonssl.formats.Protocol;
import io.skeletonssl.formats.SplitAssigner;
import io.skeletonssl.synth.SynthConfig;
import io.skeletonssl.synth.SyntheticSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code synth}: the built-in synthetic NTU-25 dataset, written in the prepared format. */
@Command(name = "synth", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate the built-in synthetic NTU-25 skeleton action dataset (no download needed).",
                "Kinematic bodies of 40+ subjects, joint-angle action programs, 3 camera views, noise and dropouts;",
                "deterministic for a seed, written in the same format as `prepare`."})
final class SynthCommand implements Callable<Integer>, GuardedOutput {

    @Option(names = {"-o", "--out"}, required = true, description = "Output dataset folder.")
    Path out;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--subjects", description = "Number of subjects (default: the preset's).")
    Integer subjects;

    @Option(names = "--repetitions", description = "Repetitions per subject and class (default: the preset's).")
    Integer repetitions;

    @Option(names = "--classes", description = "Number of action classes, taken from the start of the class list (default: all).")
    Integer classes;

    @Option(names = "--noise", description = "Sensor jitter scale, 0..10 (1 = Kinect-like; default: the preset's).")
    Double noise;

    @Option(names = "--dropouts", description = "Tracking dropouts per frame, 0..0.2 (default: the preset's).")
    Double dropouts;

    @Option(names = "--preset", defaultValue = "default",
            description = "default (full size) or small (for quick tests). Default: ${DEFAULT-VALUE}.")
    String preset;

    @Option(names = "--protocol", defaultValue = "ntu60-xsub",
            description = "Split: ntu60-xsub (by subject, NTU's training ids) or ntu60-xview (cameras 2, 3 train). "
                    + "Default: ${DEFAULT-VALUE}.")
    String protocol;

    @Option(names = {"-j", "--threads"}, description = "Worker threads (default: all cores).")
    Integer threads;

    @Option(names = "--force", description = "Replace an existing output folder.")
    boolean force;

    @Option(names = "--centre", description = "Centre every sequence on person 1's centre joint in its first frame "
            + "(as PCM3's pre-normalisation; recommended for pcm3 runs).")
    boolean centre;

    @Option(names = "--streams", defaultValue = "0", description = {"Also write this many untrimmed streams for "
            + "action detection (`eval detection`): each joins --stream-actions single-person actions of different "
            + "classes by background frames, with per-frame labels; split by subject like the clips, into the splits "
            + "train_streams and test_streams. Default: ${DEFAULT-VALUE}."})
    int streams;

    @Option(names = "--stream-actions", defaultValue = "" + SyntheticSource.STREAM_ACTIONS,
            description = "Actions per stream (default ${DEFAULT-VALUE}).")
    int streamActions;

    @Option(names = "--stream-transition", defaultValue = "" + SyntheticSource.STREAM_TRANSITION,
            description = "Background frames between the actions of a stream, moving from one pose to the next "
                    + "(default ${DEFAULT-VALUE}).")
    int streamTransition;

    @Override
    public Integer call() throws Exception {
        SynthConfig config = switch (preset) {
            case "default" -> SynthConfig.defaults();
            case "small" -> SynthConfig.small();
            default -> throw new IllegalArgumentException("unknown --preset '" + preset + "': default or small");
        };
        config = config.withSeed(seed);
        if (subjects != null || repetitions != null) {
            config = config.withSize(subjects != null ? subjects : config.subjects(),
                    repetitions != null ? repetitions : config.repetitions());
        }
        if (classes != null) {
            config = config.withClasses(classes);
        }
        if (noise != null || dropouts != null) {
            config = config.withNoise(noise != null ? noise : config.noise(),
                    dropouts != null ? dropouts : config.dropoutRate());
        }
        Protocol p = Protocol.parse(protocol);
        if (p != Protocol.NTU60_XSUB && p != Protocol.NTU60_XVIEW) {
            throw new IllegalArgumentException("synth supports --protocol ntu60-xsub or ntu60-xview");
        }
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("format", "synthetic");
        description.put("units", "metres");
        description.put("split", "protocol " + p.id());
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        SyntheticSource synth = new SyntheticSource(config, streams, streamActions, streamTransition);
        SampleSource source = centre ? new CentredSource(synth) : synth;
        // streams share the folder with the clips: their own split names, as `prepare --mode both` writes
        SplitAssigner assigner = SplitAssigner.withStreamSplits(p);
        Converter.Report r = new Converter(n).convert(source, assigner, out,
                "synthetic-" + p.id(), description, force, false);
        System.out.printf("generated %s in %.1f s: %d sequences (%.0f/s), %d classes%n", out, r.seconds(),
                r.written(), r.written() / Math.max(r.seconds(), 1e-9), r.manifest().numClasses());
        r.manifest().splits().forEach((k, v) -> System.out.printf("  %-6s %d%n", k, v.count()));
        return 0;
    }
}
