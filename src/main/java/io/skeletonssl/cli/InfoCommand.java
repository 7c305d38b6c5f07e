package io.skeletonssl.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.skeletonssl.dataset.Manifest;
import io.skeletonssl.dataset.SkeletonDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code info DATASET}: what a prepared dataset holds. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Print counts per split and class, shapes, layout and skipped samples of a prepared dataset.")
final class InfoCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DATASET", description = "A folder made by `prepare` or `synth`.")
    Path dataset;

    @Option(names = "--json", description = "Print the manifest as JSON instead of a summary.")
    boolean json;

    @Option(names = "--max-skipped", defaultValue = "20", description = "How many skipped samples to list (default ${DEFAULT-VALUE}).")
    int maxSkipped;

    @Override
    public Integer call() throws Exception {
        try (SkeletonDataset ds = SkeletonDataset.open(dataset)) {
            Manifest m = ds.manifest();
            if (json) {
                System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
                return 0;
            }
            System.out.printf("dataset   %s (%s)%n", m.name(), dataset.toAbsolutePath());
            System.out.printf("source    %s%n", m.source());
            System.out.printf("layout    %s: V=%d joints, M=%d persons, C=%d, T=%d frames%n",
                    m.layout().name(), m.joints(), m.persons(), m.channels(), m.maxFrames());
            System.out.printf("classes   %d%n", m.numClasses());
            for (Map.Entry<String, Manifest.SplitInfo> e : m.splits().entrySet()) {
                Manifest.SplitInfo s = e.getValue();
                String shape = s.kind() == Manifest.Kind.clips
                        ? String.format("(%d, %d, %d, %d, %d)", s.count(), m.channels(), m.maxFrames(), m.joints(), m.persons())
                        : String.format("%d streams, %d frames of (%d, %d, %d)", s.count(), s.totalFrames(),
                                m.channels(), m.joints(), m.persons());
                System.out.printf("split     %-10s %-7s %6d samples  %s  mean %.1f frames%n", e.getKey(), s.kind(),
                        s.count(), shape, s.count() == 0 ? 0.0 : (double) s.totalFrames() / s.count());
                System.out.printf("          per class: %s%n", perClass(s.classCounts(), m.classNames()));
            }
            List<Manifest.Skipped> skipped = m.skipped() == null ? List.of() : m.skipped();
            System.out.printf("skipped   %d%n", skipped.size());
            for (int i = 0; i < Math.min(maxSkipped, skipped.size()); i++) {
                System.out.printf("          %s: %s%n", skipped.get(i).name(), skipped.get(i).reason());
            }
            if (skipped.size() > maxSkipped) {
                System.out.printf("          ... %d more (see manifest.json)%n", skipped.size() - maxSkipped);
            }
            if (m.warnings() != null) {
                for (String w : m.warnings()) {
                    System.out.printf("warning   %s%n", w);
                }
            }
        }
        return 0;
    }

    private static String perClass(int[] counts, List<String> names) {
        if (counts == null) {
            return "-";
        }
        // classes without samples are counted, not listed, so that 120-class datasets stay readable
        StringBuilder sb = new StringBuilder();
        int empty = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                empty++;
                continue;
            }
            if (sb.length() > 0) {
                sb.append(", ");
            }
            String n = names != null && i < names.size() ? names.get(i) : "class " + i;
            sb.append(i).append(' ').append(n).append('=').append(counts[i]);
        }
        if (empty > 0) {
            sb.append(sb.length() > 0 ? "; " : "").append(empty).append(" class(es) without samples");
        }
        return sb.toString();
    }
}
