package io.skeletonssl.cli;

import io.skeletonssl.dataset.Manifest;
import io.skeletonssl.formats.ConcatSource;
import io.skeletonssl.formats.Converter;
import io.skeletonssl.formats.Normalization;
import io.skeletonssl.formats.NormalizedSource;
import io.skeletonssl.formats.Protocol;
import io.skeletonssl.formats.SampleSource;
import io.skeletonssl.formats.SplitAssigner;
import io.skeletonssl.formats.SplitFile;
import io.skeletonssl.formats.arrays.AgcnNpySource;
import io.skeletonssl.formats.arrays.NtuNpzSource;
import io.skeletonssl.formats.msr.MsrAction3dSource;
import io.skeletonssl.layout.Layouts;
import io.skeletonssl.layout.SkeletonLayout;
import io.skeletonssl.formats.ntu.NtuRawSource;
import io.skeletonssl.formats.ntu.Pcm3NtuPipeline;
import io.skeletonssl.formats.ntu.SecondActor;
import io.skeletonssl.formats.pku.PkuMmdSource;
import io.skeletonssl.formats.utkinect.UtKinectSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code prepare}: converts a dataset in one of the supported formats into our own on-disk format. */
@Command(name = "prepare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Convert a skeleton dataset into a prepared dataset folder (manifest.json + memory-mappable arrays).",
                "Formats: ntu-raw, ntu-npz, agcn-npy, pku-mmd, msr-action3d, utkinect.",
                "Coordinates: --normalize auto (default) centres raw camera coordinates and keeps",
                "what an official pipeline (ntu-raw, pku-mmd) writes; the manifest says what and why.",
                "Bad samples are skipped and listed; the output appears only when complete."})
final class PrepareCommand implements Callable<Integer>, GuardedOutput {

    enum Format { ntu_raw, ntu_npz, agcn_npy, pku_mmd, msr_action3d, utkinect }

    enum Mode { clips, streams, both }

    @Option(names = {"-f", "--format"}, required = true, converter = FormatConverter.class,
            description = "Input format: ntu-raw, ntu-npz, agcn-npy, pku-mmd, msr-action3d, utkinect.")
    Format format;

    @Option(names = {"-i", "--input"}, required = true,
            description = "Input folder or file (ntu-raw: folder of .skeleton files; ntu-npz: the .npz; agcn-npy: "
                    + "folder with train_data_joint.npy...; pku-mmd: root with skeleton/ and label/ folders; "
                    + "msr-action3d / utkinect: the dataset folder).")
    Path input;

    @Option(names = {"-o", "--out"}, required = true, description = "Output dataset folder.")
    Path out;

    @Option(names = "--protocol", description = "Split protocol: ntu60-xsub, ntu60-xview, ntu120-xsub, ntu120-xset, "
            + "pku1-xsub, pku2-xsub, pku2-xview, msr-xsub, utkinect-xsub, or 'none' for one split 'all'. "
            + "Default: the source's own splits (ntu-npz, agcn-npy), msr-xsub, utkinect-xsub.")
    String protocol;

    @Option(names = "--split-file", description = "Split by a file of sample names (one per line = training "
            + "names; 'name split' lines; or the PKU-MMD cross-subject/cross-view file format).")
    Path splitFile;

    @Option(names = "--allow-missing", description = "Accept a split file that names samples absent from the input (warned in the manifest).")
    boolean allowMissing;

    @Option(names = "--pipeline", defaultValue = "mamp",
            description = "Pre-processing for ntu-raw and pku-mmd: mamp (CTR-GCN denoising, SpineMid centring) or "
                    + "pcm3 (2s-AGCN body selection + pre_normalization). Default: ${DEFAULT-VALUE}.")
    String pipeline;

    @Option(names = "--second-actor", defaultValue = "auto",
            description = "ntu-raw mamp pipeline, single-actor sequences: zero (NTU-60), duplicate (NTU-120), or auto "
                    + "(duplicate for ntu120-* protocols, else zero). Default: ${DEFAULT-VALUE}.")
    String secondActor;

    @Option(names = "--layout", description = "Skeleton layout (ntu25, kinect-v1-20, msr20 or a .json/.yaml file) "
            + "for ntu-npz and agcn-npy. Default: ntu25.")
    String layout;

    @Option(names = "--num-classes", defaultValue = "0",
            description = "agcn-npy: number of classes (60, 120, 51...); default: the largest label + 1.")
    int numClasses;

    @Option(names = "--labels", description = "utkinect: the label file (default actionLabel_modified.txt if present); "
            + "pku-mmd: the label folder (default <input>/label).")
    Path labels;

    @Option(names = "--mode", defaultValue = "clips",
            description = "pku-mmd and utkinect: clips (trimmed, for classification), streams (untrimmed with "
                    + "per-frame labels, for detection) or both. Default: ${DEFAULT-VALUE}.")
    Mode mode;

    @Option(names = "--all-files", description = "msr-action3d: use every file, not only the CVPR'12 list.")
    boolean allFiles;

    @Option(names = "--max-frames", defaultValue = "0",
            description = "Frames T kept per clip (default: 300 for NTU/PKU/arrays, the longest clip for MSR/UTKinect).")
    int maxFrames;

    @Option(names = "--name", description = "Dataset name in the manifest (default: the output folder name).")
    String name;

    @Option(names = {"-j", "--threads"}, description = "Worker threads (default: all cores).")
    Integer threads;

    @Option(names = "--normalize", defaultValue = "auto", paramLabel = "MODE", description = {
            "auto (default): measure person 1's centre joint (the layout's) in its first frame over the first "
                    + Normalization.SAMPLE_UNITS + " units; a median beyond " + Normalization.RAW_OFFSET_M
                    + " m from the origin means raw camera coordinates, which are centred; data already centred "
                    + "is kept, and so is the output of the official ntu-raw and pku-mmd pipelines (mamp: SpineMid "
                    + "centring for NTU, none for PKU-MMD; pcm3: pre_normalization).",
            "none: keep the coordinates. centre: subtract that joint from every joint of every person and frame "
                    + "(absent all-zero joints stay zero). align: centre, then rotate as PCM3's pre_normalization "
                    + "does (spine bone onto +z, then left-to-right shoulder bone onto +x, from person 1's first "
                    + "frame; needs the layout's alignment joints).",
            "Both methods expect centred data: MAMP's input positions and PCM3's position reconstruction target."})
    String normalize;

    @Option(names = "--centre", description = "Deprecated: the same as --normalize centre.")
    boolean centre;

    @Option(names = "--scale-body", description = "After centring, divide every sequence by the mean length of the "
            + "layout's torso bone (alignment.torso, e.g. SpineBase-SpineShoulder for ntu25) over person 1's frames.")
    boolean scaleBody;

    @Option(names = "--force", description = "Replace an existing output folder.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        if (!Files.exists(input)) {
            throw new IOException(input + ": input not found");
        }
        SplitAssigner assigner = assigner();
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("format", format.name().replace('_', '-'));
        description.put("input", input.toAbsolutePath().toString());
        description.put("units", "metres"); // every supported input is Kinect camera space in metres
        description.put("split", splitDescription);
        description.put("mode", mode.name());
        int nThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        try (SampleSource source = normalized(open(), nThreads)) {
            description.put("options", source.info().options());
            Converter.Report r = new Converter(nThreads).convert(source, assigner, out,
                    name != null ? name : out.toAbsolutePath().getFileName().toString(), description, force,
                    allowMissing);
            print(r);
        }
        return 0;
    }

    /** {@code raw} wrapped in the normalisation {@code --normalize} asks for (measured first); prints what and why. */
    private SampleSource normalized(SampleSource raw, int nThreads) throws IOException {
        try {
            Normalization.Mode requested = Normalization.Mode.parse(normalize);
            if (centre) {
                if (requested != Normalization.Mode.AUTO && requested != Normalization.Mode.CENTRE) {
                    throw new IllegalArgumentException("--centre (deprecated) means --normalize centre; it contradicts "
                            + "--normalize " + normalize);
                }
                requested = Normalization.Mode.CENTRE;
                System.out.println("note: --centre is deprecated; it is --normalize centre");
            }
            Normalization.Offsets offsets = Normalization.measure(raw, Normalization.SAMPLE_UNITS, nThreads);
            Normalization.Plan plan = Normalization.decide(requested, officialPipeline(), offsets, scaleBody,
                    raw.info().layout());
            System.out.println(plan.summary());
            if (offsets.mixed() && plan.requested() == Normalization.Mode.AUTO) {
                System.out.printf(java.util.Locale.ROOT, "  warning: only %.0f%% of the measured sequences lie beyond "
                        + "%.1f m from the origin: the input mixes centred and raw sequences%n",
                        offsets.farFraction() * 100, Normalization.RAW_OFFSET_M);
            }
            return new NormalizedSource(raw, plan);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** The official pipeline whose output {@code --normalize auto} keeps, or null for inputs without one. */
    private String officialPipeline() {
        return switch (format) {
            case ntu_raw -> "ntu-raw " + pipeline + (pipeline.equals("pcm3") ? " pipeline (pre_normalization)"
                    : " pipeline (SpineMid centring)");
            case pku_mmd -> {
                String p = mode == Mode.streams ? "mamp" : pipeline; // streams always take MAMP's
                yield "pku-mmd " + p + (p.equals("pcm3") ? " pipeline (pre_normalization)"
                        : " pipeline (camera coordinates, as MAMP's script leaves them)");
            }
            default -> null;
        };
    }

    private void print(Converter.Report r) {
        Manifest m = r.manifest();
        System.out.printf("prepared %s in %.1f s: %d samples written, %d skipped, %d outside the protocol%n",
                out, r.seconds(), r.written(), r.skipped(), r.filtered());
        m.splits().forEach((k, v) -> System.out.printf("  %-16s %-7s %d%n", k, v.kind(), v.count()));
        int shown = 0;
        for (Manifest.Skipped s : m.skipped()) {
            if (shown++ == 10) {
                System.out.printf("  ... %d more skipped samples in %s%n", m.skipped().size() - 10,
                        out.resolve(Manifest.FILE));
                break;
            }
            System.out.printf("  skipped %s: %s%n", s.name(), s.reason());
        }
        if (m.warnings() != null) {
            m.warnings().forEach(w -> System.out.println("  warning: " + w));
        }
    }

    private String splitDescription;

    private SplitAssigner assigner() throws IOException {
        if (splitFile != null && protocol != null) {
            throw new IllegalArgumentException("give either --protocol or --split-file, not both");
        }
        SplitAssigner base = defaultAssigner();
        splitDescription = splitFile != null ? "file " + splitFile.toAbsolutePath()
                : base instanceof Protocol p ? "protocol " + p.id()
                : "none".equals(protocol) ? "one split 'all'" : "the source's own train/test parts";
        if (mode != Mode.both) {
            return base;
        }
        // clips and streams share one folder: streams get their own split names
        return SplitAssigner.withStreamSplits(base);
    }

    private SplitAssigner defaultAssigner() throws IOException {
        SplitAssigner base;
        if (splitFile != null) {
            base = SplitFile.load(splitFile);
        } else if ("none".equals(protocol)) {
            base = SplitAssigner.single("all");
        } else if (protocol != null) {
            base = Protocol.parse(protocol);
        } else {
            base = switch (format) {
                case ntu_npz, agcn_npy -> SplitAssigner.fromSource();
                case msr_action3d -> Protocol.MSR_XSUB;
                case utkinect -> Protocol.UTKINECT_XSUB;
                case ntu_raw -> throw new IllegalArgumentException(
                        "ntu-raw needs --protocol (ntu60-xsub, ntu60-xview, ntu120-xsub, ntu120-xset, none) or --split-file");
                case pku_mmd -> throw new IllegalArgumentException(
                        "pku-mmd needs --protocol (pku1-xsub, pku2-xsub, pku2-xview, none) or --split-file");
            };
        }
        return base;
    }

    private SampleSource open() throws IOException {
        return switch (format) {
            case ntu_raw -> {
                NtuRawSource.Pipeline p = NtuRawSource.Pipeline.parse(pipeline);
                int frames = maxFrames > 0 ? maxFrames : Pcm3NtuPipeline.DEFAULT_MAX_FRAMES;
                SecondActor second = switch (secondActor) {
                    case "auto" -> protocol != null && protocol.startsWith("ntu120") ? SecondActor.DUPLICATE
                            : protocol != null && protocol.startsWith("ntu60") ? SecondActor.ZERO
                            // otherwise as the official script of the detected dataset
                            : SecondActor.officialFor(NtuRawSource.official(input, p).info().numClasses());
                    default -> SecondActor.parse(secondActor);
                };
                yield new NtuRawSource(input, p, second, frames);
            }
            case ntu_npz -> new NtuNpzSource(input, layout());
            case agcn_npy -> new AgcnNpySource(input, layout(), numClasses);
            case msr_action3d -> MsrAction3dSource.open(input, !allFiles, maxFrames);
            case utkinect -> both(m -> UtKinectSource.open(input, m == Mode.streams
                    ? UtKinectSource.Mode.STREAMS : UtKinectSource.Mode.CLIPS, labels, maxFrames));
            case pku_mmd -> both(m -> {
                PkuMmdSource.Options o = new PkuMmdSource.Options(m == Mode.streams
                        ? PkuMmdSource.Mode.UNTRIMMED : PkuMmdSource.Mode.TRIMMED,
                        m == Mode.streams ? PkuMmdSource.Pipeline.MAMP : pkuPipeline(),
                        maxFrames > 0 ? maxFrames : PkuMmdSource.DEFAULT_MAX_FRAMES);
                return labels != null ? PkuMmdSource.open(input.resolve("skeleton"), labels, o)
                        : PkuMmdSource.openRoot(input, o);
            });
        };
    }

    private SkeletonLayout layout() {
        return layout == null ? Layouts.ntu25() : Layouts.resolve(layout);
    }

    private PkuMmdSource.Pipeline pkuPipeline() {
        return switch (pipeline) {
            case "mamp" -> PkuMmdSource.Pipeline.MAMP;
            case "pcm3" -> PkuMmdSource.Pipeline.PCM3;
            default -> throw new IllegalArgumentException("unknown --pipeline '" + pipeline + "': mamp or pcm3");
        };
    }

    @FunctionalInterface
    private interface Opener {
        SampleSource open(Mode m) throws IOException;
    }

    private SampleSource both(Opener opener) throws IOException {
        if (mode != Mode.both) {
            return opener.open(mode);
        }
        return new ConcatSource(List.of(opener.open(Mode.clips), opener.open(Mode.streams)));
    }

    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            try {
                return Format.valueOf(value.replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("unknown format '" + value
                        + "': expected ntu-raw, ntu-npz, agcn-npy, pku-mmd, msr-action3d or utkinect");
            }
        }
    }
}
