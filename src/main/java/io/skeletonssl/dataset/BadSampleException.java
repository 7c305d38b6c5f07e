package io.skeletonssl.dataset;

/** A sample that cannot be used; batch tools skip it and report {@link #getMessage()}. */
public class BadSampleException extends Exception {

    private final String sampleName;

    public BadSampleException(String sampleName, String reason) {
        super(reason);
        this.sampleName = sampleName;
    }

    public BadSampleException(String sampleName, String reason, Throwable cause) {
        super(reason, cause);
        this.sampleName = sampleName;
    }

    public String sampleName() {
        return sampleName;
    }
}
