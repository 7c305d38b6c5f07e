package io.skeletonssl.eval.suite;

import java.nio.file.Path;

/**
 * One protocol run of {@code eval suite}: it writes its own output folder ({@code metrics.json}
 * and the rest, atomically), which the suite reads back for the report.
 */
interface SuiteStep {

    /** Folder name under the suite's output and key in report.json, e.g. {@code linear}. */
    String id();

    /** The row heading in REPORT.md, e.g. {@code Linear evaluation}. */
    String title();

    /** Why the step does not apply to this checkpoint and data, or null when it does. */
    default String notApplicable(SuiteContext c) {
        return null;
    }

    /**
     * What this row alone depends on beyond the suite's identity (e.g. the second dataset of
     * transfer), as a JSON-able value, or null. A finished row whose inputs changed runs again.
     */
    default Object inputs(SuiteContext c) {
        return null;
    }

    /** Runs the protocol into {@code out} (which must not exist yet). */
    void run(SuiteContext c, Path out) throws Exception;
}
