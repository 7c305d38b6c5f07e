package io.skeletonssl.formats.utkinect;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One parsed {@code joints_sSS_eEE.txt}: rows {@code frameId x1 y1 z1 … x20 y20 z20}. Frame ids
 * are sparse and non-decreasing; a row repeating the previous id is dropped (the first one is
 * kept), a row whose id goes backwards is an error.
 */
final class UtKinectRecording {

    static final int JOINTS = 20;
    static final int COLUMNS = 1 + 3 * JOINTS;

    /** A line that breaks the format; the message names file and line. */
    static final class FormatException extends Exception {
        FormatException(String message) {
            super(message);
        }
    }

    private static final Pattern NUMBER =
            Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?|[+-]?(?i:nan|inf|infinity)");

    final Path file;
    /** Kept frame ids, strictly increasing. */
    final int[] ids;
    /** Per kept frame: 60 values, joint-major (x, y, z of joint 1, then joint 2, …). */
    final float[][] joints;
    /** 1-based file line of each kept frame. */
    final int[] lines;

    private UtKinectRecording(Path file, int[] ids, float[][] joints, int[] lines) {
        this.file = file;
        this.ids = ids;
        this.joints = joints;
        this.lines = lines;
    }

    int frames() {
        return ids.length;
    }

    static UtKinectRecording read(Path file) throws IOException, FormatException {
        List<String> text = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        List<float[]> rows = new ArrayList<>();
        List<Integer> idList = new ArrayList<>();
        List<Integer> lineList = new ArrayList<>();
        for (int i = 0; i < text.size(); i++) {
            String line = text.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            String where = file + " line " + (i + 1);
            String[] parts = line.split("\\s+");
            if (parts.length != COLUMNS) {
                throw new FormatException(where + ": expected " + COLUMNS + " columns (frame id, then x y z of "
                        + JOINTS + " joints), found " + parts.length);
            }
            int id = frameId(parts[0], where);
            if (!idList.isEmpty()) {
                int last = idList.get(idList.size() - 1);
                if (id == last) {
                    continue; // a repeated frame: keep the first row
                }
                if (id < last) {
                    throw new FormatException(where + ": frame id " + id + " after " + last
                            + " (ids must not decrease)");
                }
            }
            float[] row = new float[3 * JOINTS];
            for (int c = 0; c < row.length; c++) {
                row[c] = number(parts[c + 1], where);
            }
            rows.add(row);
            idList.add(id);
            lineList.add(i + 1);
        }
        return new UtKinectRecording(file, idList.stream().mapToInt(Integer::intValue).toArray(),
                rows.toArray(new float[0][]), lineList.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Only the kept frame ids (for sizing before the real parse); null if the file is malformed. */
    static int[] scanIds(Path file) throws IOException {
        List<Integer> ids = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            String line;
            while ((line = r.readLine()) != null) {
                line = line.trim();
                if (line.isEmpty()) {
                    continue;
                }
                int sp = 0;
                while (sp < line.length() && !Character.isWhitespace(line.charAt(sp))) {
                    sp++;
                }
                int id;
                try {
                    id = Integer.parseInt(line.substring(0, sp));
                } catch (NumberFormatException e) {
                    return null;
                }
                if (ids.isEmpty() || id > ids.get(ids.size() - 1)) {
                    ids.add(id);
                } else if (id < ids.get(ids.size() - 1)) {
                    return null;
                }
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Kept-frame index range [from, to) of the frames whose id lies in [start, end] (inclusive). */
    static int[] range(int[] ids, int start, int end) {
        int from = 0;
        while (from < ids.length && ids[from] < start) {
            from++;
        }
        int to = from;
        while (to < ids.length && ids[to] <= end) {
            to++;
        }
        return new int[]{from, to};
    }

    /** The first kept frame in [from, to) with a NaN or infinite value, or -1. */
    int firstNonFinite(int from, int to) {
        for (int f = from; f < to; f++) {
            for (float x : joints[f]) {
                if (!Float.isFinite(x)) {
                    return f;
                }
            }
        }
        return -1;
    }

    private static int frameId(String token, String where) throws FormatException {
        try {
            int v = Integer.parseInt(token);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new FormatException(where + ": frame id '" + token + "' is not a non-negative integer");
    }

    private static float number(String token, String where) throws FormatException {
        if (NUMBER.matcher(token).matches()) {
            String t = token.toLowerCase(Locale.ROOT);
            if (t.endsWith("nan")) {
                return Float.NaN;
            }
            if (t.endsWith("inf") || t.endsWith("infinity")) {
                return t.startsWith("-") ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
            }
            return (float) Double.parseDouble(token);
        }
        throw new FormatException(where + ": '" + token + "' is not a number");
    }
}
