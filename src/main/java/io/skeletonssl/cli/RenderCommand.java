package io.skeletonssl.cli;

import io.skeletonssl.dataset.Manifest;
import io.skeletonssl.dataset.Record;
import io.skeletonssl.dataset.SkeletonDataset;
import io.skeletonssl.io.AtomicFiles;
import io.skeletonssl.render.SkeletonRenderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code render}: draws one sequence as an animated GIF or a PNG strip of frames. */
@Command(name = "render", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Draw a skeleton sequence (front and side view) as an animated GIF or a PNG strip.",
                "--out x.gif animates every --stride-th frame; --out x.png shows --frames evenly spaced frames."})
final class RenderCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DATASET", description = "A prepared dataset folder.")
    Path dataset;

    @Option(names = "--split", defaultValue = "train", description = "Split (default ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--index", defaultValue = "0", description = "Sample index within the split (default ${DEFAULT-VALUE}).")
    int index;

    @Option(names = {"-o", "--out"}, required = true, description = "Output file, .gif or .png.")
    Path out;

    @Option(names = "--frames", defaultValue = "8", description = "PNG: number of frames in the strip (default ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--stride", defaultValue = "2", description = "GIF: draw every n-th frame (default ${DEFAULT-VALUE}).")
    int stride;

    @Option(names = "--size", defaultValue = "320", description = "Panel size in pixels (default ${DEFAULT-VALUE}).")
    int size;

    @Override
    public Integer call() throws Exception {
        String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean gif = name.endsWith(".gif");
        if (!gif && !name.endsWith(".png")) {
            throw new IllegalArgumentException("--out must end in .gif or .png, got " + out);
        }
        try (SkeletonDataset ds = SkeletonDataset.open(dataset)) {
            Manifest m = ds.manifest();
            SkeletonRenderer renderer = new SkeletonRenderer(m.layout(), m.classNames(),
                    new SkeletonRenderer.Options(size, size, stride));
            Manifest.SplitInfo info = m.splits().get(split);
            if (info == null) {
                throw new IllegalArgumentException("dataset has no split '" + split + "' (it has "
                        + String.join(", ", m.splits().keySet()) + ")");
            }
            if (index < 0 || index >= info.count()) {
                throw new IllegalArgumentException("--index " + index + " outside 0.." + (info.count() - 1)
                        + " of split '" + split + "'");
            }
            if (out.toAbsolutePath().getParent() != null) {
                Files.createDirectories(out.toAbsolutePath().getParent());
            }
            Record record = info.kind() == Manifest.Kind.clips ? ds.clips(split).sample(index)
                    : ds.streams(split).stream(index);
            AtomicFiles.writeFile(out, tmp -> renderer.write(record, tmp, frames));
            String what = record.name();
            System.out.printf("rendered %s [%s %d] to %s%n", what, split, index, out);
        }
        return 0;
    }
}
