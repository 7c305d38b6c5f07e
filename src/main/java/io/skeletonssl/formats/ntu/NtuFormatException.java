package io.skeletonssl.formats.ntu;

import java.io.IOException;

/** A raw NTU {@code .skeleton} file that does not follow the format; the message names file and line. */
public class NtuFormatException extends IOException {

    private final String source;
    private final int line;

    public NtuFormatException(String source, int line, String message) {
        super(line > 0 ? source + ":" + line + ": " + message : source + ": " + message);
        this.source = source;
        this.line = line;
    }

    /** The file (or other source) that failed to parse. */
    public String source() {
        return source;
    }

    /** 1-based line number of the problem, or 0 when it concerns the whole file. */
    public int line() {
        return line;
    }
}
