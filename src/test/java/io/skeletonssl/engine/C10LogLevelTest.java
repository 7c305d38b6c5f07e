package io.skeletonssl.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * libc10loglevel.so (src/main/native) in a fresh JVM: DJL's NDArray.set(Buffer) makes c10 print
 * the "AutoNonVariableTypeMode is deprecated" warning; TORCH_CPP_LOG_LEVEL=ERROR alone does not
 * silence it under DJL, with the library preloaded it does, and PyTorch's errors still arrive.
 */
class C10LogLevelTest {

    private static final Path LIBRARY = Path.of("target/native/libc10loglevel.so").toAbsolutePath();
    private static final String WARNING = "AutoNonVariableTypeMode is deprecated";

    /** The child JVM: triggers the warning, then a PyTorch error, and prints what it got. */
    public static void main(String[] args) {
        try (NDManager m = Engines.cpu().newManager()) {
            NDArray a = m.zeros(new Shape(3));
            a.set(FloatBuffer.wrap(new float[]{1, 2, 3}));
            System.out.println("sum " + a.sum().getFloat());
            try {
                m.zeros(new Shape(2, 3)).matMul(m.zeros(new Shape(2, 3)));
            } catch (RuntimeException e) {
                System.out.println("error: " + e.getMessage().lines().findFirst().orElse(""));
            }
        }
    }

    private static String[] child(Map<String, String> env) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=error",
                "-cp", System.getProperty("java.class.path"), C10LogLevelTest.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("LD_PRELOAD");
        pb.environment().remove("TORCH_CPP_LOG_LEVEL");
        pb.environment().putAll(env);
        Path err = Files.createTempFile("c10-log-level", ".err");
        try {
            pb.redirectError(err.toFile());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String stderr = Files.readString(err);
            assertThat(p.exitValue()).as(stderr).isZero();
            return new String[]{out, stderr};
        } finally {
            Files.deleteIfExists(err);
        }
    }

    @Test
    void thePreloadedLibraryMakesTorchCppLogLevelWork() throws Exception {
        assumeTrue(Files.isRegularFile(LIBRARY), "libc10loglevel.so not built (no gcc)");
        String[] plain = child(Map.of("TORCH_CPP_LOG_LEVEL", "ERROR"));
        assertThat(plain[0]).contains("sum 6.0", "error: mat1 and mat2 shapes cannot be multiplied");
        assertThat(plain[1]).as("libtorch alone ignores TORCH_CPP_LOG_LEVEL").contains(WARNING);

        String[] quiet = child(Map.of("TORCH_CPP_LOG_LEVEL", "ERROR", "LD_PRELOAD", LIBRARY.toString()));
        assertThat(quiet[0]).contains("sum 6.0", "error: mat1 and mat2 shapes cannot be multiplied");
        assertThat(quiet[1]).doesNotContain(WARNING);

        String[] warning = child(Map.of("TORCH_CPP_LOG_LEVEL", "WARNING", "LD_PRELOAD", LIBRARY.toString()));
        assertThat(warning[1]).contains(WARNING);
    }
}
