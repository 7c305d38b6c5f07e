package io.skeletonssl.cli;

import io.skeletonssl.util.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real {@code synth} process stopped while it writes: SIGTERM leaves no {@code .partial-*} folder;
 * after SIGKILL the next run of the same command removes the one left behind.
 */
class KilledCommandTest {

    @BeforeAll
    static void quiet() {
        Progress.setEnabled(false);
    }

    private static Process startSynth(Path out, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "io.skeletonssl.cli.Main", "synth", "-o", out.toString(), "--subjects", "10", "-j", "2"));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static List<Path> partials(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().contains(".partial-")).toList();
        }
    }

    /** Waits until the process has created its temporary folder; false if it ended first. */
    private static boolean awaitPartial(Process p, Path dir) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (!partials(dir).isEmpty()) {
                return true;
            }
            Thread.sleep(5);
        }
        return false;
    }

    private static void assumeLinux() {
        // Process.destroy() is SIGTERM on Linux and macOS; elsewhere it may be a hard kill
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        assumeTrue(os.contains("linux") || os.contains("mac"), "SIGTERM semantics of Process.destroy()");
    }

    @Test
    void sigtermWhileWritingLeavesNoPartialFolder(@TempDir Path dir) throws Exception {
        assumeLinux();
        // at the start of writing, and further in (while worker threads produce samples)
        for (long delayMs : new long[]{0, 120, 450}) {
            Path sandbox = Files.createDirectories(dir.resolve("term-" + delayMs));
            Path out = sandbox.resolve("synth");
            Process p = startSynth(out, dir.resolve("term-" + delayMs + ".log"));
            try {
                assertThat(awaitPartial(p, sandbox)).as("the temporary folder appeared while running").isTrue();
                Thread.sleep(delayMs);
                p.destroy();
                assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
            } finally {
                p.destroyForcibly();
            }
            assertThat(partials(sandbox)).as("after SIGTERM %d ms into writing (exit %d)", delayMs, p.exitValue())
                    .isEmpty();
            if (p.exitValue() != 0) {
                assertThat(out).doesNotExist();
            }
        }
    }

    @Test
    void afterSigkillTheNextRunRemovesTheStalePartialFolder(@TempDir Path dir) throws Exception {
        assumeLinux();
        Path out = dir.resolve("synth");
        Process p = startSynth(out, dir.resolve("kill.log"));
        List<Path> left;
        try {
            assumeTrue(awaitPartial(p, dir), "synth ended before it could be killed");
            Thread.sleep(200);
            p.destroyForcibly();
            assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
            left = partials(dir);
        } finally {
            p.destroyForcibly();
        }
        assertThat(left).hasSize(1);
        // a folder of another (live) owner beside it must survive the cleanup
        Path foreign = Files.createDirectories(dir.resolve(".synth.partial-0000abcd"));
        CliTest.Result r = CliTest.run("synth", "-o", out.toString(), "--preset", "small", "--subjects", "2",
                "-j", "1");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("removed stale partial folder " + left.get(0) + " (left by process " + p.pid() + ")");
        assertThat(left.get(0)).doesNotExist();
        assertThat(foreign).exists();
        assertThat(out.resolve("manifest.json")).exists();
    }
}
