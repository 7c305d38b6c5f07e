package io.skeletonssl.formats.utkinect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The UTKinect label file: a line {@code sSS_eEE}, then lines {@code action: start end} with
 * inclusive frame ids, {@code NaN NaN} where the boundaries are missing. A malformed line is an
 * error naming file and line: the labels of every recording depend on this one file.
 */
final class UtKinectLabels {

    /**
     * One labelled action; start and end are inclusive frame ids, both -1 when the file says NaN.
     */
    record Entry(int action, int start, int end, int line) {
        boolean missing() {
            return start < 0;
        }
    }

    private static final Pattern RECORDING = Pattern.compile("s(\\d+)_e(\\d+)");
    private static final Pattern ACTION = Pattern.compile("(\\w+)\\s*:\\s*(\\S+)\\s+(\\S+)");

    private UtKinectLabels() {
    }

    /** Recording name ({@code s01_e01}) → its entries in file order. */
    static Map<String, List<Entry>> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        Map<String, List<Entry>> out = new LinkedHashMap<>();
        Map<String, Integer> blockLine = new LinkedHashMap<>();
        List<Entry> current = null;
        String currentName = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            String where = file + " line " + (i + 1);
            if (line.isEmpty()) {
                continue;
            }
            if (RECORDING.matcher(line).matches()) {
                if (out.containsKey(line)) {
                    throw new IOException(where + ": recording " + line + " appears twice (first at line "
                            + blockLine.get(line) + ")");
                }
                currentName = line;
                current = new ArrayList<>();
                out.put(line, current);
                blockLine.put(line, i + 1);
                continue;
            }
            Matcher m = ACTION.matcher(line);
            if (!m.matches()) {
                throw new IOException(where + ": expected 'sSS_eEE' or 'action: start end', found '" + line + "'");
            }
            if (current == null) {
                throw new IOException(where + ": action line before the first 'sSS_eEE' line");
            }
            int action = actionIndex(m.group(1));
            if (action < 0) {
                throw new IOException(where + ": unknown action '" + m.group(1) + "' (known: "
                        + String.join(", ", UtKinectSource.CLASS_NAMES) + ")");
            }
            for (Entry e : current) {
                if (e.action() == action) {
                    throw new IOException(where + ": action " + m.group(1) + " of " + currentName
                            + " is already labelled at line " + e.line());
                }
            }
            boolean nanStart = isNaN(m.group(2));
            boolean nanEnd = isNaN(m.group(3));
            if (nanStart || nanEnd) {
                current.add(new Entry(action, -1, -1, i + 1));
                continue;
            }
            int start = frameId(m.group(2), where);
            int end = frameId(m.group(3), where);
            current.add(new Entry(action, start, end, i + 1));
        }
        if (out.isEmpty()) {
            throw new IOException(file + ": no 'sSS_eEE' block found");
        }
        return out;
    }

    static int actionIndex(String name) {
        for (int k = 0; k < UtKinectSource.CLASS_NAMES.size(); k++) {
            if (UtKinectSource.CLASS_NAMES.get(k).equalsIgnoreCase(name)) {
                return k;
            }
        }
        return -1;
    }

    private static boolean isNaN(String token) {
        return token.toLowerCase(Locale.ROOT).equals("nan");
    }

    private static int frameId(String token, String where) throws IOException {
        try {
            int v = Integer.parseInt(token);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IOException(where + ": frame id '" + token + "' is not a non-negative integer or NaN");
    }
}
