package io.skeletonssl.eval.suite;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * What every suite step needs: the suite's options and facts about the data read once.
 *
 * @param method        the checkpoint's method (mamp or pcm3)
 * @param streamSplits  the dataset's untrimmed-stream splits (empty: no detection data)
 */
record SuiteContext(EvalSuite.Options options, String method, List<String> clipSplits, List<String> streamSplits,
                    PrintStream log) {

    Path data() {
        return options.data();
    }

    /** Where detection reads its streams. */
    Path detectionData() {
        return options.detectionData() != null ? options.detectionData() : options.data();
    }

    String checkpoint() {
        return options.checkpoint();
    }
}
