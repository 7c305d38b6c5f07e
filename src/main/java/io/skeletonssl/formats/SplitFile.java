package io.skeletonssl.formats;

import io.skeletonssl.dataset.Record;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A split given as a file of sample names. Accepted forms:
 * <ul>
 *   <li>one name per line: those samples train, all others test;</li>
 *   <li>{@code name split} per line (whitespace or comma separated): explicit splits;</li>
 *   <li>the PKU-MMD form: line 1 a header, line 2 a comma-separated list of training names,
 *       optionally line 3 a header and line 4 the test names.</li>
 * </ul>
 * A name matches a record's name or its group (e.g. a PKU-MMD video). Lines starting with '#' are
 * comments. Names the data never produced are reported by {@link #unmatched()}.
 */
public final class SplitFile implements SplitAssigner {

    private record Entry(String split, int line) {
    }

    private final Path file;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Map<String, Boolean> matched = new java.util.concurrent.ConcurrentHashMap<>();
    private final String rest;

    private SplitFile(Path file, String rest) {
        this.file = file;
        this.rest = rest;
    }

    public static SplitFile load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "split file not found");
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        boolean pku = lines.size() >= 2 && lines.get(1).contains(",") && !lines.get(0).contains(",")
                && lines.get(0).trim().split("\\s+").length > 1;
        if (pku) {
            SplitFile sf = new SplitFile(file, lines.size() >= 4 ? null : "test");
            sf.addList(lines.get(1), "train", 2);
            if (lines.size() >= 4) {
                sf.addList(lines.get(3), "test", 4);
            }
            return sf;
        }
        SplitFile sf = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("[\\s,]+");
            if (parts.length > 2) {
                throw new IOException(file + " line " + (i + 1) + ": expected 'name' or 'name split', found '"
                        + line + "'");
            }
            if (sf == null) {
                sf = new SplitFile(file, parts.length == 1 ? "test" : null);
            }
            if ((parts.length == 1) != (sf.rest != null)) {
                throw new IOException(file + " line " + (i + 1) + ": mixes 'name' and 'name split' lines");
            }
            sf.put(parts[0], parts.length == 1 ? "train" : parts[1], i + 1);
        }
        if (sf == null) {
            throw new IOException(file + ": split file lists no samples");
        }
        return sf;
    }

    private void addList(String line, String split, int lineNo) throws IOException {
        for (String name : line.split(",")) {
            String n = name.trim();
            if (!n.isEmpty()) {
                put(n, split, lineNo);
            }
        }
    }

    private void put(String name, String split, int line) throws IOException {
        Entry prev = entries.put(name, new Entry(split, line));
        if (prev != null && !prev.split.equals(split)) {
            throw new IOException(file + " line " + line + ": '" + name + "' is already in split '" + prev.split
                    + "' (line " + prev.line + ")");
        }
    }

    @Override
    public String assign(Record record) {
        Entry e = entries.get(record.name());
        String key = record.name();
        if (e == null && record.meta().group() != null) {
            e = entries.get(record.meta().group());
            key = record.meta().group();
        }
        if (e == null) {
            return rest;
        }
        matched.put(key, Boolean.TRUE);
        return e.split;
    }

    @Override
    public List<String> splitNames() {
        List<String> out = new ArrayList<>();
        entries.values().forEach(e -> {
            if (!out.contains(e.split)) {
                out.add(e.split);
            }
        });
        if (rest != null && !out.contains(rest)) {
            out.add(rest);
        }
        return out;
    }

    /** Listed names that matched no record, each with its line: "name (line N)". */
    public List<String> unmatched() {
        List<String> out = new ArrayList<>();
        entries.forEach((name, e) -> {
            if (!matched.containsKey(name)) {
                out.add(name + " (line " + e.line + ")");
            }
        });
        return out;
    }

    public Path file() {
        return file;
    }
}
