package io.skeletonssl.formats.ntu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * One raw NTU RGB+D {@code .skeleton} file (Kinect v2 export), parsed.
 *
 * <p>Format: line 1 the frame count F; per frame a line with the body count B; per body a line of
 * 10 body fields whose first token is the bodyID, a line with the joint count (always 25), then 25
 * lines of 12 numbers ({@code x y z depthX depthY colorX colorY orientationW orientationX
 * orientationY orientationZ trackingState}). Lines may end in LF or CRLF, tokens are separated by
 * spaces or tabs, trailing whitespace and blank lines after the last frame are allowed.
 *
 * <p>Kept per body and frame: the bodyID (as text, as the official scripts compare it), x y z as
 * doubles (exactly what Python's {@code float()} gives; the pipelines round to float32 where the
 * official code does) and colorX/colorY. All 12 fields are checked to be numbers; x y z must be
 * finite (the other fields may be {@code nan}/{@code inf}, which Python accepts and no pipeline
 * reads). The parser is a hand-written byte scanner: NTU-120 has 114k files.
 */
public final class NtuSkeletonFile {

    /** Joints of a Kinect v2 body. */
    public static final int JOINTS = 25;
    /** Numbers on a joint line. */
    public static final int JOINT_FIELDS = 12;

    private static final String[] FIELD_NAMES = {"x", "y", "z", "depthX", "depthY", "colorX", "colorY",
            "orientationW", "orientationX", "orientationY", "orientationZ", "trackingState"};

    /** One tracked body in one frame. */
    public static final class Body {
        private final String bodyId;
        private final double[] xyz;
        private final float[] color;

        Body(String bodyId, double[] xyz, float[] color) {
            this.bodyId = bodyId;
            this.xyz = xyz;
            this.color = color;
        }

        /** The Kinect tracking id, e.g. {@code 72057594037931101}, as written in the file. */
        public String bodyId() {
            return bodyId;
        }

        /** Camera-space coordinate {@code axis} (0 = x, 1 = y, 2 = z, metres) of 0-based {@code joint}. */
        public double coord(int joint, int axis) {
            return xyz[joint * 3 + axis];
        }

        public float colorX(int joint) {
            return color[joint * 2];
        }

        public float colorY(int joint) {
            return color[joint * 2 + 1];
        }

        /** x y z of the 25 joints, joint-major (75 values); a copy. */
        public double[] coordinates() {
            return xyz.clone();
        }

        /** The backing array, for the pipelines; must not be modified. */
        double[] xyzArray() {
            return xyz;
        }
    }

    private static final Body[] NO_BODIES = new Body[0];

    private final String source;
    private final Body[][] frames;

    private NtuSkeletonFile(String source, Body[][] frames) {
        this.source = source;
        this.frames = frames;
    }

    /** Reads and parses a file; format errors are {@link NtuFormatException}s naming file and line. */
    public static NtuSkeletonFile read(Path file) throws IOException {
        return parse(Files.readAllBytes(file), file.toString());
    }

    /** Parses the bytes of a file; {@code source} names it in error messages. */
    public static NtuSkeletonFile parse(byte[] content, String source) throws NtuFormatException {
        return new Parser(content, source).parse();
    }

    /** The file this was read from (as given to {@link #parse}). */
    public String source() {
        return source;
    }

    /** F, the frame count of the header (every frame is kept, also those without bodies). */
    public int frameCount() {
        return frames.length;
    }

    public int bodyCount(int frame) {
        return frames[frame].length;
    }

    /** The {@code index}-th body of a frame, in file order. */
    public Body body(int frame, int index) {
        return frames[frame][index];
    }

    public List<Body> bodies(int frame) {
        return List.of(frames[frame]);
    }

    /** Number of frames with at least one body. */
    public int framesWithBodies() {
        int n = 0;
        for (Body[] f : frames) {
            if (f.length > 0) {
                n++;
            }
        }
        return n;
    }

    /** Byte-level scanner; one instance per file. */
    private static final class Parser {
        private static final long MAX_EXACT = 1L << 53;
        private static final double[] POW10 = new double[23];

        static {
            double p = 1;
            for (int i = 0; i < POW10.length; i++) {
                POW10[i] = p;
                p *= 10;
            }
        }

        private final byte[] b;
        private final String source;
        private int pos;
        private int line;
        private int lineEnd;
        private int cursor;
        private int tokStart;
        private int tokEnd;

        Parser(byte[] b, String source) {
            this.b = b;
            this.source = source;
        }

        NtuSkeletonFile parse() throws NtuFormatException {
            int frameCount = readCount("the frame count (one integer)");
            Body[][] frames = new Body[frameCount][];
            for (int f = 0; f < frameCount; f++) {
                int bodies = readCountOrTruncated(f, frameCount, "the body count of frame " + (f + 1));
                if (bodies == 0) {
                    frames[f] = NO_BODIES;
                    continue;
                }
                Body[] row = new Body[bodies];
                for (int k = 0; k < bodies; k++) {
                    row[k] = readBody(f, k);
                }
                frames[f] = row;
            }
            while (pos < b.length) {
                nextLine();
                if (nextToken()) {
                    throw error("expected the end of the file after " + frameCount
                            + " frames (the header's frame count), found '" + token() + "'");
                }
            }
            return new NtuSkeletonFile(source, frames);
        }

        private Body readBody(int f, int k) throws NtuFormatException {
            requireLine(f, k, -1, "the body line (bodyID and 9 more fields)");
            if (!nextToken()) {
                throw error("expected the body line of body " + (k + 1) + " in frame " + (f + 1)
                        + " (bodyID and 9 more fields), found an empty line");
            }
            String bodyId = new String(b, tokStart, tokEnd - tokStart, StandardCharsets.ISO_8859_1);
            int joints = readCountOrTruncated(f, -1, "the joint count of body " + (k + 1) + " in frame " + (f + 1));
            if (joints != JOINTS) {
                throw error("expected " + JOINTS + " joints (Kinect v2) for body " + (k + 1) + " in frame "
                        + (f + 1) + ", found " + joints);
            }
            double[] xyz = new double[JOINTS * 3];
            float[] color = new float[JOINTS * 2];
            for (int j = 0; j < JOINTS; j++) {
                requireLine(f, k, j, null);
                for (int field = 0; field < JOINT_FIELDS; field++) {
                    if (!nextToken()) {
                        throw error("expected " + JOINT_FIELDS + " numbers for joint " + (j + 1) + " of body "
                                + (k + 1) + " in frame " + (f + 1) + ", found " + field);
                    }
                    double v = number(f, k, j, field);
                    if (field < 3) {
                        if (!Double.isFinite(v)) {
                            throw error("expected a finite " + FIELD_NAMES[field] + " coordinate for joint "
                                    + (j + 1) + " of body " + (k + 1) + " in frame " + (f + 1) + ", found '"
                                    + token() + "'");
                        }
                        xyz[j * 3 + field] = v;
                    } else if (field == 5 || field == 6) {
                        color[j * 2 + field - 5] = (float) v;
                    }
                }
                if (nextToken()) {
                    throw error("expected " + JOINT_FIELDS + " numbers for joint " + (j + 1) + " of body "
                            + (k + 1) + " in frame " + (f + 1) + ", found more ('" + token() + "')");
                }
            }
            return new Body(bodyId, xyz, color);
        }

        /** Moves to the next line or reports where the file was cut short. */
        private void requireLine(int f, int k, int j, String what) throws NtuFormatException {
            if (pos >= b.length) {
                String expected = what != null ? what
                        : JOINT_FIELDS + " numbers for joint " + (j + 1) + " of body " + (k + 1);
                throw new NtuFormatException(source, line + 1, "truncated file: expected " + expected
                        + " in frame " + (f + 1) + ", but the file ends after line " + line);
            }
            nextLine();
        }

        private int readCount(String what) throws NtuFormatException {
            if (pos >= b.length) {
                throw new NtuFormatException(source, 1, "empty file: expected " + what);
            }
            nextLine();
            return count(what);
        }

        private int readCountOrTruncated(int f, int frameCount, String what) throws NtuFormatException {
            if (pos >= b.length) {
                String of = frameCount > 0 ? " (the header announces " + frameCount + " frames)" : "";
                throw new NtuFormatException(source, line + 1, "truncated file: expected " + what
                        + ", but the file ends after line " + line + of);
            }
            nextLine();
            return count(what);
        }

        /** The single non-negative integer on the current line. */
        private int count(String what) throws NtuFormatException {
            if (!nextToken()) {
                throw error("expected " + what + ", found an empty line");
            }
            int i = tokStart;
            if (b[i] == '+') {
                i++;
            }
            long v = 0;
            boolean ok = i < tokEnd;
            for (; i < tokEnd && ok; i++) {
                int d = b[i] - '0';
                ok = d >= 0 && d <= 9;
                v = v * 10 + d;
                ok &= v <= Integer.MAX_VALUE;
            }
            if (!ok) {
                throw error("expected " + what + ", found '" + token() + "'");
            }
            String first = token();
            if (nextToken()) {
                throw error("expected " + what + " alone on the line, found '" + first + "' followed by '"
                        + token() + "'");
            }
            return (int) v;
        }

        private void nextLine() {
            int start = pos;
            int end = start;
            while (end < b.length && b[end] != '\n') {
                end++;
            }
            pos = end < b.length ? end + 1 : end;
            while (end > start && (b[end - 1] == '\r' || b[end - 1] == ' ' || b[end - 1] == '\t')) {
                end--;
            }
            line++;
            cursor = start;
            lineEnd = end;
        }

        private boolean nextToken() {
            int i = cursor;
            while (i < lineEnd && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r')) {
                i++;
            }
            if (i >= lineEnd) {
                cursor = i;
                return false;
            }
            tokStart = i;
            while (i < lineEnd && b[i] != ' ' && b[i] != '\t' && b[i] != '\r') {
                i++;
            }
            tokEnd = i;
            cursor = i;
            return true;
        }

        private String token() {
            int len = Math.min(tokEnd - tokStart, 40);
            String t = new String(b, tokStart, len, StandardCharsets.ISO_8859_1);
            return len < tokEnd - tokStart ? t + "..." : t;
        }

        private NtuFormatException error(String message) {
            return new NtuFormatException(source, line, message);
        }

        /**
         * The current token as a double, rounded exactly as Python's {@code float()} (Clinger's fast
         * path for up to 18 significant digits and |exponent| ≤ 22, else {@link Double#parseDouble}).
         */
        private double number(int f, int k, int j, int field) throws NtuFormatException {
            int i = tokStart;
            int e = tokEnd;
            boolean neg = false;
            if (b[i] == '-' || b[i] == '+') {
                neg = b[i] == '-';
                i++;
            }
            if (i < e && (b[i] | 0x20) >= 'a' && (b[i] | 0x20) <= 'z') {
                String word = new String(b, i, e - i, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
                if (word.equals("nan")) {
                    return Double.NaN;
                }
                if (word.equals("inf") || word.equals("infinity")) {
                    return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                }
                throw malformed(f, k, j, field);
            }
            long mant = 0;
            int sig = 0;
            int scale = 0;
            boolean digits = false;
            boolean overflow = false;
            for (; i < e && b[i] >= '0' && b[i] <= '9'; i++) {
                digits = true;
                int d = b[i] - '0';
                if (mant != 0 || d != 0) {
                    if (sig < 18) {
                        mant = mant * 10 + d;
                        sig++;
                    } else {
                        overflow = true;
                    }
                }
            }
            if (i < e && b[i] == '.') {
                i++;
                for (; i < e && b[i] >= '0' && b[i] <= '9'; i++) {
                    digits = true;
                    int d = b[i] - '0';
                    if (mant != 0 || d != 0) {
                        if (sig < 18) {
                            mant = mant * 10 + d;
                            sig++;
                            scale--;
                        } else {
                            overflow = true;
                        }
                    } else {
                        scale--;
                    }
                }
            }
            if (!digits) {
                throw malformed(f, k, j, field);
            }
            if (i < e && (b[i] == 'e' || b[i] == 'E')) {
                i++;
                boolean expNeg = false;
                if (i < e && (b[i] == '-' || b[i] == '+')) {
                    expNeg = b[i] == '-';
                    i++;
                }
                if (i >= e) {
                    throw malformed(f, k, j, field);
                }
                int exp = 0;
                for (; i < e && b[i] >= '0' && b[i] <= '9'; i++) {
                    exp = Math.min(exp * 10 + (b[i] - '0'), 100_000);
                }
                scale += expNeg ? -exp : exp;
            }
            if (i != e) {
                throw malformed(f, k, j, field);
            }
            double v;
            if (mant == 0) {
                v = 0.0;
            } else if (!overflow && mant < MAX_EXACT && scale >= -22 && scale <= 22) {
                v = scale < 0 ? mant / POW10[-scale] : mant * POW10[scale];
            } else {
                v = Math.abs(Double.parseDouble(new String(b, tokStart, e - tokStart, StandardCharsets.ISO_8859_1)));
            }
            return neg ? -v : v;
        }

        private NtuFormatException malformed(int f, int k, int j, int field) {
            return error("expected a number for " + FIELD_NAMES[field] + " (field " + (field + 1) + " of "
                    + JOINT_FIELDS + ") of joint " + (j + 1) + " of body " + (k + 1) + " in frame " + (f + 1)
                    + ", found '" + token() + "'");
        }
    }

    @Override
    public String toString() {
        return "NtuSkeletonFile[" + source + ", " + frames.length + " frames, "
                + Arrays.stream(frames).mapToInt(f -> f.length).max().orElse(0) + " bodies max]";
    }
}
