package io.skeletonssl.report;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class CodeVersionTest {

    @Test
    void projectVersionComesFromTheBuild() {
        // the filtered resource holds the pom's version, not the placeholder
        assertThat(CodeVersion.projectVersion()).matches("\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void versionNamesACommitWhenRunFromACheckout() {
        Path root = CodeVersion.checkoutRoot();
        String v = CodeVersion.current();
        assertThat(v).startsWith(CodeVersion.projectVersion() + "+");
        if (root != null && gitAvailable()) {
            assertThat(v).matches(".*\\+[0-9a-f]{7,40}(-dirty)?");
        }
    }

    @Test
    void noCheckoutMeansUnknownCommit(@org.junit.jupiter.api.io.TempDir Path dir) {
        assertThat(CodeVersion.commit(null)).isEqualTo("unknown-commit");
        assertThat(CodeVersion.commit(dir)).isEqualTo("unknown-commit");
    }

    private static boolean gitAvailable() {
        for (String p : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(p, "git"))) {
                return true;
            }
        }
        return false;
    }
}
