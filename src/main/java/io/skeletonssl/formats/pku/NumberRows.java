package io.skeletonssl.formats.pku;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A text file of whitespace-separated numbers, a fixed count per line, parsed into one float
 * array. Blank lines are skipped (as numpy's {@code loadtxt} does), so row {@code r} is the r-th
 * non-blank line; {@link #line(int)} gives its 1-based line in the file for error messages.
 *
 * <p>Values are rounded decimal → double → float, which is what the official pipelines get from
 * {@code np.loadtxt} (float64) followed by a float32 array. PKU-MMD phase I holds close to a
 * billion numbers, so plain decimals take an exact fast path; anything else goes through
 * {@link Double#parseDouble}.
 */
final class NumberRows {

    /** A line that is not {@code width} numbers; the message names file, line and expectation. */
    static final class FormatException extends Exception {
        FormatException(String message) {
            super(message);
        }
    }

    private static final double[] POW10 = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    private final float[] values;
    private final int[] lines;
    private final int rows;
    private final int width;

    private NumberRows(float[] values, int[] lines, int rows, int width) {
        this.values = values;
        this.lines = lines;
        this.rows = rows;
        this.width = width;
    }

    static NumberRows read(Path file, int width) throws IOException, FormatException {
        return parse(Files.readAllBytes(file), width, file.toString());
    }

    static NumberRows parse(byte[] text, int width, String origin) throws FormatException {
        float[] values = new float[Math.max(width, 1) * 64];
        int[] lines = new int[64];
        int rows = 0;
        int line = 0;
        int pos = 0;
        int n = text.length;
        float[] row = new float[width];
        while (pos < n) {
            line++;
            int end = pos;
            while (end < n && text[end] != '\n') {
                end++;
            }
            int count = 0;
            int i = pos;
            while (true) {
                while (i < end && isSpace(text[i])) {
                    i++;
                }
                if (i >= end) {
                    break;
                }
                int start = i;
                while (i < end && !isSpace(text[i])) {
                    i++;
                }
                if (count < width) {
                    row[count] = parseNumber(text, start, i, origin, line);
                }
                count++;
            }
            if (count > 0) {
                if (count != width) {
                    throw new FormatException(origin + " line " + line + ": expected " + width
                            + " numbers, found " + count);
                }
                if ((rows + 1) * width > values.length) {
                    values = Arrays.copyOf(values, values.length * 2);
                }
                if (rows == lines.length) {
                    lines = Arrays.copyOf(lines, lines.length * 2);
                }
                System.arraycopy(row, 0, values, rows * width, width);
                lines[rows++] = line;
            }
            pos = end + 1;
        }
        return new NumberRows(values, lines, rows, width);
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\f';
    }

    /** Parses one token; NaN and infinities are returned as such (callers report them). */
    static float parseNumber(byte[] s, int from, int to, String origin, int line) throws FormatException {
        int i = from;
        boolean negative = false;
        if (s[i] == '-' || s[i] == '+') {
            negative = s[i] == '-';
            i++;
        }
        long mantissa = 0;
        int fraction = 0;
        boolean exact = true;
        boolean seenDot = false;
        int start = i;
        for (; i < to; i++) {
            byte b = s[i];
            if (b >= '0' && b <= '9') {
                if (mantissa < 100_000_000_000_000_000L) {
                    mantissa = mantissa * 10 + (b - '0');
                    if (seenDot) {
                        fraction++;
                    }
                } else {
                    exact = false;
                }
            } else if (b == '.' && !seenDot) {
                seenDot = true;
            } else {
                break;
            }
        }
        boolean hasDigits = i > start + (seenDot ? 1 : 0);
        if (i == to && hasDigits && exact && mantissa < (1L << 53) && fraction <= 22) {
            // Both operands are exact doubles, so one IEEE division is correctly rounded.
            double v = mantissa / POW10[fraction];
            return (float) (negative ? -v : v);
        }
        return slow(new String(s, from, to - from, java.nio.charset.StandardCharsets.US_ASCII), origin, line);
    }

    private static final java.util.regex.Pattern DECIMAL =
            java.util.regex.Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private static float slow(String token, String origin, int line) throws FormatException {
        String t = token.toLowerCase(java.util.Locale.ROOT);
        String body = t.startsWith("-") || t.startsWith("+") ? t.substring(1) : t;
        if (body.equals("nan")) {
            return Float.NaN;
        }
        if (body.equals("inf") || body.equals("infinity")) {
            return t.startsWith("-") ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
        }
        if (DECIMAL.matcher(token).matches()) {
            return (float) Double.parseDouble(token);
        }
        throw new FormatException(origin + " line " + line + ": '" + token + "' is not a number");
    }

    int rows() {
        return rows;
    }

    int width() {
        return width;
    }

    float get(int row, int column) {
        return values[row * width + column];
    }

    /** 1-based line in the file of row {@code row}. */
    int line(int row) {
        return lines[row];
    }

    /** The first row in [from, to) holding a NaN or infinity, or -1. */
    int firstNonFinite(int from, int to) {
        for (int r = from; r < to; r++) {
            for (int c = 0; c < width; c++) {
                if (!Float.isFinite(values[r * width + c])) {
                    return r;
                }
            }
        }
        return -1;
    }

    /** Whether every value in rows [from, to) is zero. */
    boolean allZero(int from, int to) {
        for (int i = from * width; i < to * width; i++) {
            if (values[i] != 0f) {
                return false;
            }
        }
        return true;
    }
}
