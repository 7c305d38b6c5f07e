package io.skeletonssl.formats.ntu;

import io.skeletonssl.dataset.BadSampleException;
import io.skeletonssl.formats.SampleSource;
import io.skeletonssl.formats.Units;
import io.skeletonssl.layout.Layouts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A folder of raw NTU RGB+D {@code .skeleton} files (searched recursively, so the NTU-120 layout
 * with two raw folders works), one unit per file in file-name order. Each file runs through the
 * MAMP or the PCM3 pipeline. Files whose name does not end in {@code .skeleton} are ignored; a
 * {@code .skeleton} file with a name that is not {@code SsssCcccPpppRrrrAaaa}, a malformed file or
 * one without any skeleton is a bad sample (skipped and reported by the converter).
 *
 * <p>The dataset has 120 classes if any file belongs to NTU-120 only (action &gt; 60 or setup &gt;
 * 17), else 60, with the official NTU action names.
 */
public final class NtuRawSource implements SampleSource {

    /** Which official generator to reproduce. */
    public enum Pipeline {
        /** CTR-GCN / SGN denoising used by MAMP (spec §1.1). */
        MAMP,
        /** 2s-AGCN generator with pre_normalization used by PCM3 (spec §1.3). */
        PCM3;

        public static Pipeline parse(String id) {
            for (Pipeline p : values()) {
                if (p.name().equalsIgnoreCase(id)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("unknown NTU pipeline '" + id + "': expected mamp or pcm3");
        }
    }

    public static final String FORMAT = "ntu-raw";

    private final Path folder;
    private final List<Path> files;
    private final NtuPipeline pipeline;
    private final Pipeline kind;
    private final SecondActor secondActor;
    private final int maxFrames;
    private final int numClasses;

    /**
     * @param folder      folder holding the {@code .skeleton} files (sub-folders included)
     * @param pipeline    MAMP or PCM3
     * @param secondActor second actor of single-actor sequences in the MAMP pipeline (not used by PCM3)
     * @param maxFrames   frames per sample in the dataset (300 officially); PCM3 loop-pads to it
     * @throws IOException if the folder is missing, unreadable or holds no .skeleton file, or two files have the same name
     */
    public NtuRawSource(Path folder, Pipeline pipeline, SecondActor secondActor, int maxFrames) throws IOException {
        this(folder, list(folder), pipeline, secondActor, maxFrames);
    }

    private NtuRawSource(Path folder, List<Path> files, Pipeline pipeline, SecondActor secondActor, int maxFrames) {
        if (maxFrames < 1) {
            throw new IllegalArgumentException("maxFrames must be positive, got " + maxFrames);
        }
        this.folder = folder;
        this.files = files;
        this.kind = java.util.Objects.requireNonNull(pipeline, "pipeline");
        this.secondActor = java.util.Objects.requireNonNull(secondActor, "secondActor");
        this.maxFrames = maxFrames;
        this.pipeline = pipeline == Pipeline.MAMP ? new MampNtuPipeline(secondActor) : new Pcm3NtuPipeline(maxFrames);
        this.numClasses = numClasses(files);
    }

    /**
     * The official settings: 300 frames, and for MAMP the second actor of the official script of
     * the detected dataset (zeros for NTU-60, a copy for NTU-120).
     */
    public static NtuRawSource official(Path folder, Pipeline pipeline) throws IOException {
        List<Path> files = list(folder);
        return new NtuRawSource(folder, files, pipeline, SecondActor.officialFor(numClasses(files)),
                Pcm3NtuPipeline.DEFAULT_MAX_FRAMES);
    }

    /** 120 if any file belongs to NTU-120 only (action &gt; 60 or setup &gt; 17), else 60. */
    private static int numClasses(List<Path> files) {
        for (Path f : files) {
            if (NtuName.tryParse(f.getFileName().toString()).map(NtuName::ntu120Only).orElse(false)) {
                return 120;
            }
        }
        return 60;
    }

    private static List<Path> list(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            throw new NoSuchFileException(folder.toString(), null, "NTU skeleton folder not found");
        }
        if (!Files.isDirectory(folder)) {
            throw new NotDirectoryException(folder + " (expected a folder of NTU .skeleton files)");
        }
        List<Path> found;
        try (Stream<Path> walk = Files.walk(folder)) {
            found = new ArrayList<>(walk.filter(p -> p.getFileName().toString().endsWith(NtuName.EXTENSION))
                    .filter(Files::isRegularFile).toList());
        }
        if (found.isEmpty()) {
            throw new IOException("no NTU " + NtuName.EXTENSION + " files found in " + folder
                    + " (sub-folders included)");
        }
        found.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).thenComparing(Path::toString));
        Map<String, Path> seen = new HashMap<>();
        for (Path p : found) {
            Path before = seen.put(p.getFileName().toString(), p);
            if (before != null) {
                throw new IOException("two files named " + p.getFileName() + " under " + folder + ": " + before
                        + " and " + p);
            }
        }
        return List.copyOf(found);
    }

    public Path folder() {
        return folder;
    }

    /** The {@code .skeleton} files, in unit order. */
    public List<Path> files() {
        return files;
    }

    public NtuPipeline pipeline() {
        return pipeline;
    }

    @Override
    public Info info() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("pipeline", kind.name().toLowerCase(java.util.Locale.ROOT));
        if (kind == Pipeline.MAMP) {
            options.put("secondActor", secondActor.id());
        }
        options.put("maxFrames", maxFrames);
        return new Info(FORMAT, Layouts.ntu25(), 2, maxFrames, numClasses, NtuActions.names(numClasses), options);
    }

    @Override
    public long size() {
        return files.size();
    }

    @Override
    public Iterator<Unit> units() {
        return Units.map(files.iterator(),
                file -> Units.of(file.getFileName().toString(), () -> List.of(readSample(file))));
    }

    /** Parses and processes one file; format errors become {@link BadSampleException}s. */
    public io.skeletonssl.dataset.Sample readSample(Path file) throws IOException, BadSampleException {
        String fileName = file.getFileName().toString();
        NtuName name = NtuName.tryParse(fileName).orElse(null);
        if (name == null) {
            throw new BadSampleException(fileName, file + ": file name is not an NTU sample name "
                    + "SsssCcccPpppRrrrAaaa.skeleton");
        }
        NtuSkeletonFile parsed;
        try {
            parsed = NtuSkeletonFile.read(file);
        } catch (NtuFormatException e) {
            throw new BadSampleException(name.name(), e.getMessage(), e);
        }
        return pipeline.process(parsed, name.meta(file.toString()), name.label());
    }
}
