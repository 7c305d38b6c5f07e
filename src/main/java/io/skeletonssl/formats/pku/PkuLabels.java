package io.skeletonssl.formats.pku;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A PKU-MMD label file: rows {@code label,start,end,confidence}, label 1-based. */
final class PkuLabels {

    /** One labelled action instance as written in the file (not yet checked against the video). */
    record Row(int label, int start, int end, double confidence, int line) {
    }

    private PkuLabels() {
    }

    /**
     * Reads the rows; a line that is not four comma-separated numbers (integers for the first three)
     * is a format error naming file and line. Range checks happen later, against the video.
     */
    static List<Row> read(Path file) throws IOException, NumberRows.FormatException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            String where = file + " line " + (i + 1);
            String[] parts = line.split("\\s*,\\s*");
            if (parts.length != 4) {
                throw new NumberRows.FormatException(where + ": expected 4 comma-separated values "
                        + "'label,start,end,confidence', found " + parts.length + " ('" + line + "')");
            }
            int label = integer(parts[0], "label", where);
            int start = integer(parts[1], "start frame", where);
            int end = integer(parts[2], "end frame", where);
            double confidence;
            try {
                confidence = Double.parseDouble(parts[3]);
            } catch (NumberFormatException e) {
                throw new NumberRows.FormatException(where + ": confidence '" + parts[3] + "' is not a number");
            }
            rows.add(new Row(label, start, end, confidence, i + 1));
        }
        return rows;
    }

    /** An integer, also when written as a float with zero fraction (the official code casts with int()). */
    private static int integer(String token, String what, String where) throws NumberRows.FormatException {
        try {
            double v = Double.parseDouble(token);
            if (v == Math.rint(v) && Math.abs(v) <= Integer.MAX_VALUE) {
                return (int) v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new NumberRows.FormatException(where + ": " + what + " '" + token + "' is not an integer");
    }
}
