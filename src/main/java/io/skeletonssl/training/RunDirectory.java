package io.skeletonssl.training;

import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.skeletonssl.io.AtomicDirectory;
import io.skeletonssl.io.AtomicFiles;
import io.skeletonssl.io.WriteFailure;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A run's output folder:
 * <pre>
 *   config.yaml        resolved configuration
 *   metrics.csv        one row per epoch (header from the first row)
 *   metrics.json       summary, replaced atomically
 *   checkpoint-E/      see {@link Checkpoint}; E is the 0-based epoch just finished
 *   last               text file naming the newest checkpoint folder
 * </pre>
 * Retention follows the official code: after each save, older checkpoints are kept only if
 * {@code E % keepEvery == 0} or E is the final epoch; the newest one is always kept.
 */
public final class RunDirectory {

    public static final String CONFIG = "config.yaml";
    public static final String METRICS_CSV = "metrics.csv";
    public static final String METRICS_JSON = "metrics.json";
    public static final String LAST = "last";
    private static final Pattern CHECKPOINT = Pattern.compile("checkpoint-(\\d+)");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;

    private RunDirectory(Path root) {
        this.root = root;
    }

    /** Opens (creating if needed) a run folder. */
    public static RunDirectory open(Path root) throws IOException {
        Path abs = root.toAbsolutePath().normalize();
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new IOException(abs + ": exists and is not a folder");
        }
        AtomicDirectory.requireNotAborted(abs); // never recreate the folder of an abandoned output
        try {
            Files.createDirectories(abs);
        } catch (IOException e) {
            throw new IOException("cannot create folder " + AtomicDirectory.shown(abs) + ": "
                    + WriteFailure.reason(e), e);
        }
        return new RunDirectory(abs);
    }

    public Path root() {
        return root;
    }

    public Path checkpointDir(int epoch) {
        return root.resolve("checkpoint-" + epoch);
    }

    // ---- config -------------------------------------------------------------------------------

    public void writeConfig(JsonNode config) throws IOException {
        Path f = root.resolve(CONFIG);
        try {
            AtomicFiles.write(f, out -> YAML.writerWithDefaultPrettyPrinter().writeValue(out, config));
        } catch (IOException e) {
            throw WriteFailure.writing("the resolved config", f, e);
        }
    }

    public JsonNode readConfig() throws IOException {
        Path f = root.resolve(CONFIG);
        if (!Files.isRegularFile(f)) {
            throw new IOException(f + ": no resolved config in this run folder");
        }
        return readYaml(f);
    }

    /** A configuration file as a tree; an error naming the file when it is not a YAML mapping. */
    public static JsonNode readYaml(Path f) throws IOException {
        JsonNode tree;
        try {
            tree = YAML.readTree(f.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(f + ": not valid YAML: " + e.getOriginalMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new IOException(f + ": expected a mapping of configuration keys");
        }
        return tree;
    }

    // ---- metrics ------------------------------------------------------------------------------

    /**
     * Appends one row to metrics.csv. The first row fixes the header; later rows (also after a
     * resume, read back from the file) must have the same keys in any order.
     */
    public synchronized void appendMetrics(Map<String, ?> row) throws IOException {
        if (row.isEmpty()) {
            throw new IllegalArgumentException("empty metrics row");
        }
        Path f = root.resolve(METRICS_CSV);
        List<String> header;
        boolean fresh = !Files.exists(f) || Files.size(f) == 0;
        if (fresh) {
            header = new ArrayList<>(row.keySet());
        } else {
            header = Arrays.asList(firstLine(f).split(",", -1));
            if (!new java.util.HashSet<>(header).equals(row.keySet())) {
                throw new IllegalArgumentException(f + ": row has columns " + row.keySet()
                        + ", the file's header is " + header);
            }
        }
        StringBuilder sb = new StringBuilder();
        if (fresh) {
            sb.append(String.join(",", header)).append('\n');
        }
        for (int i = 0; i < header.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(csvCell(row.get(header.get(i))));
        }
        sb.append('\n');
        AtomicDirectory.requireNotAborted(f);
        try (Writer w = Files.newBufferedWriter(f, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            w.write(sb.toString());
        } catch (IOException e) {
            throw WriteFailure.writing("a metrics row", f, e);
        }
    }

    /** The columns of metrics.csv's header, in order; empty when there is no file or it is empty. */
    public List<String> metricsColumns() throws IOException {
        Path f = root.resolve(METRICS_CSV);
        if (!Files.exists(f) || Files.size(f) == 0) {
            return List.of();
        }
        return List.of(firstLine(f).split(",", -1));
    }

    private static String firstLine(Path f) throws IOException {
        try (var r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            String line = r.readLine();
            return line == null ? "" : line;
        }
    }

    private static String csvCell(Object v) {
        String s = v == null ? "" : v.toString();
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
            s = "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }

    /** Rows of metrics.csv as column → text (cells with commas are not split back; ours are numbers). */
    public List<Map<String, String>> readMetrics() throws IOException {
        Path f = root.resolve(METRICS_CSV);
        List<Map<String, String>> rows = new ArrayList<>();
        if (!Files.exists(f)) {
            return rows;
        }
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            return rows;
        }
        String[] header = lines.get(0).split(",", -1);
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isEmpty()) {
                continue;
            }
            String[] cells = lines.get(i).split(",", -1);
            if (cells.length != header.length) {
                throw new IOException(f + ":" + (i + 1) + ": " + cells.length + " cells, header has " + header.length);
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < header.length; c++) {
                row.put(header[c], cells[c]);
            }
            rows.add(row);
        }
        return rows;
    }

    /**
     * On resume: drops metrics rows whose {@code epoch} column is greater than {@code epoch} (rows
     * written after the checkpoint that the run resumes from), so that re-run epochs are not doubled.
     */
    public synchronized void truncateMetricsAfter(int epoch) throws IOException {
        Path f = root.resolve(METRICS_CSV);
        if (!Files.exists(f)) {
            return;
        }
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            return;
        }
        List<String> header = Arrays.asList(lines.get(0).split(",", -1));
        int col = header.indexOf("epoch");
        if (col < 0) {
            throw new IOException(f + ": no 'epoch' column to resume by (header " + header + ")");
        }
        List<String> kept = new ArrayList<>();
        kept.add(lines.get(0));
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isEmpty()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            try {
                if (cells.length == header.size() && Integer.parseInt(cells[col].trim()) <= epoch) {
                    kept.add(line);
                }
            } catch (NumberFormatException e) {
                throw new IOException(f + ":" + (i + 1) + ": epoch '" + cells[col] + "' is not an integer");
            }
        }
        AtomicFiles.write(f, out -> out.write((String.join("\n", kept) + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    /** Writes metrics.json atomically (any Jackson-serialisable value). */
    public void writeMetricsJson(Object value) throws IOException {
        Path f = root.resolve(METRICS_JSON);
        try {
            AtomicFiles.write(f, out -> JSON.writerWithDefaultPrettyPrinter().writeValue(out, value));
        } catch (IOException e) {
            throw WriteFailure.writing("the metrics summary", f, e);
        }
    }

    // ---- checkpoints --------------------------------------------------------------------------

    /**
     * Saves {@code checkpoint-epoch} atomically, points {@code last} at it and prunes older ones
     * (see class comment). {@code keepEvery <= 0} keeps all.
     */
    public Checkpoint saveCheckpoint(int epoch, long globalStep, long seed, PairList<String, Parameter> params,
                                     ParamOptimizer optimizer, JsonNode config, Map<String, ?> extra,
                                     int keepEvery, int totalEpochs) throws IOException {
        Checkpoint c = Checkpoint.write(checkpointDir(epoch), epoch, globalStep, seed, params, optimizer, config, extra);
        AtomicFiles.write(root.resolve(LAST), out -> out.write(("checkpoint-" + epoch + "\n").getBytes(StandardCharsets.UTF_8)));
        if (keepEvery > 0) {
            for (int e : checkpointEpochs()) {
                if (e < epoch && e % keepEvery != 0 && e != totalEpochs - 1) {
                    AtomicDirectory.deleteQuietly(checkpointDir(e));
                }
            }
        }
        return c;
    }

    /** Epochs of the complete checkpoint folders, ascending. */
    public List<Integer> checkpointEpochs() throws IOException {
        List<Integer> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            s.forEach(p -> {
                Matcher m = CHECKPOINT.matcher(p.getFileName().toString());
                if (m.matches() && Files.isRegularFile(p.resolve(Checkpoint.INDEX))) {
                    out.add(Integer.parseInt(m.group(1)));
                }
            });
        }
        out.sort(null);
        return out;
    }

    /**
     * The newest complete checkpoint: the one {@code last} names if it is complete, else the highest
     * complete {@code checkpoint-E}; empty if there is none.
     */
    public Optional<Checkpoint> latest() throws IOException {
        Path last = root.resolve(LAST);
        if (Files.isRegularFile(last)) {
            String name = Files.readString(last, StandardCharsets.UTF_8).trim();
            Path dir = root.resolve(name);
            if (CHECKPOINT.matcher(name).matches() && Files.isRegularFile(dir.resolve(Checkpoint.INDEX))) {
                List<Integer> all = checkpointEpochs();
                int named = Integer.parseInt(name.substring("checkpoint-".length()));
                if (all.isEmpty() || all.get(all.size() - 1) <= named) {
                    return Optional.of(Checkpoint.open(dir));
                }
            }
        }
        List<Integer> all = checkpointEpochs();
        return all.isEmpty() ? Optional.empty() : Optional.of(Checkpoint.open(checkpointDir(all.get(all.size() - 1))));
    }

    /** Like {@link #latest()} but an error naming the folder when there is none (for {@code --resume}). */
    public Checkpoint requireLatest() throws IOException {
        return latest().orElseThrow(() -> new IOException(root + ": no complete checkpoint to resume from"));
    }
}
