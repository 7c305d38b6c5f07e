package io.skeletonssl.testutil;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the real recorded datasets in {@code ../shared/data}. They are research-only and never
 * copied into the repository: tests that need them are skipped, with a message, where absent.
 */
public final class SharedData {

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
        Assumptions.assumeTrue(Files.isDirectory(p),
                "skipped: real data folder " + p.toAbsolutePath() + " is absent (it lives in ../shared/data, "
                        + "which a plain clone does not have)");
        return p;
    }
}
