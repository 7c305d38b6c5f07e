package io.skeletonssl.testutil;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the real recorded datasets in {@code ../shared/data}. They are research-only and never
 * copied into the repository: tests that need them are skipped, with a message, where absent.
 */
public final class SharedData {

    private static final java.util.Set<String> WARNED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private SharedData() {
    }

    public static Path root() {
        String prop = System.getProperty("shared.dir");
        Path base = prop != null ? Path.of(prop) : Path.of("..", "shared");
        return base.resolve("data");
    }

    /** The named sub-folder of the shared data, or the test is skipped with a clear message. */
    public static Path require(String folder) {
        Path p = root().resolve(folder);
        if (!Files.isDirectory(p)) {
            String message = "skipped: real data folder " + p.toAbsolutePath() + " is absent (it lives in "
                    + "../shared/data, which a plain clone does not have)";
            if (WARNED.add(folder)) {
                System.err.println("[SharedData] " + message);
            }
            Assumptions.assumeTrue(false, message);
        }
        return p;
    }
}
