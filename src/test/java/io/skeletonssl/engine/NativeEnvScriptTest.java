package io.skeletonssl.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** bin/native-env.sh: which preload libraries the launcher and the test JVM get, by CPU vendor and settings. */
class NativeEnvScriptTest {

    private static final Path SCRIPT = Path.of("bin/native-env.sh").toAbsolutePath();

    /** Runs the script's setup in bash for a fake cpuinfo and library folder; returns "LD_PRELOAD|TORCH_CPP_LOG_LEVEL|stderr". */
    private static String[] env(Path dir, String vendor, Map<String, String> vars) throws Exception {
        Path cpuinfo = dir.resolve("cpuinfo-" + vendor);
        Files.writeString(cpuinfo, vendor.isEmpty() ? "processor\t: 0\n" : "processor\t: 0\nvendor_id\t: " + vendor + "\n");
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "set -euo pipefail; . \"$0\"; skeleton_ssl_native_env \"$1\"; "
                + "printf '%s|%s' \"${LD_PRELOAD:-}\" \"$TORCH_CPP_LOG_LEVEL\"", SCRIPT.toString(), dir.resolve("native").toString());
        pb.environment().remove("LD_PRELOAD");
        pb.environment().remove("TORCH_CPP_LOG_LEVEL");
        pb.environment().remove("SKELETON_SSL_MKL_SHIM");
        pb.environment().remove("SKELETON_SSL_C10_LOG_SHIM");
        pb.environment().put("SKELETON_SSL_CPUINFO", cpuinfo.toString());
        pb.environment().putAll(vars);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(err).isZero();
        String[] parts = out.split("\\|", -1);
        return new String[]{parts[0], parts[1], err};
    }

    @Test
    void preloadsTheMklShimOnNonIntelCpusOnlyUnlessTold(@TempDir Path dir) throws Exception {
        Path native_ = Files.createDirectories(dir.resolve("native"));
        String mkl = native_.resolve("libmklshim.so").toString();
        String log = native_.resolve("libc10loglevel.so").toString();
        Files.writeString(Path.of(mkl), "");
        Files.writeString(Path.of(log), "");

        assertThat(env(dir, "GenuineIntel", Map.of())[0]).isEqualTo(log);
        assertThat(env(dir, "AuthenticAMD", Map.of())[0]).isEqualTo(log + ":" + mkl);
        assertThat(env(dir, "", Map.of())[0]).as("vendor unknown: no shim").isEqualTo(log);
        assertThat(env(dir, "AuthenticAMD", Map.of("SKELETON_SSL_MKL_SHIM", "0"))[0]).isEqualTo(log);
        assertThat(env(dir, "GenuineIntel", Map.of("SKELETON_SSL_MKL_SHIM", "1"))[0]).isEqualTo(log + ":" + mkl);
        String[] odd = env(dir, "AuthenticAMD", Map.of("SKELETON_SSL_MKL_SHIM", "maybe"));
        assertThat(odd[0]).isEqualTo(log + ":" + mkl);
        assertThat(odd[2]).contains("SKELETON_SSL_MKL_SHIM must be 0, 1 or auto");

        // an existing LD_PRELOAD is kept, after ours; ours is not added twice
        assertThat(env(dir, "AuthenticAMD", Map.of("LD_PRELOAD", "/opt/x/libother.so"))[0])
                .isEqualTo(log + ":" + mkl + ":/opt/x/libother.so");
        assertThat(env(dir, "AuthenticAMD", Map.of("LD_PRELOAD", mkl))[0]).isEqualTo(log + ":" + mkl);

        // the log level: ERROR unless set; the c10 library can be left out
        assertThat(env(dir, "GenuineIntel", Map.of())[1]).isEqualTo("ERROR");
        assertThat(env(dir, "GenuineIntel", Map.of("TORCH_CPP_LOG_LEVEL", "WARNING"))[1]).isEqualTo("WARNING");
        assertThat(env(dir, "GenuineIntel", Map.of("SKELETON_SSL_C10_LOG_SHIM", "0"))[0]).isEmpty();
    }

    @Test
    void runsWithoutTheLibrariesWhenTheyWereNotBuilt(@TempDir Path dir) throws Exception {
        String[] amd = env(dir, "AuthenticAMD", Map.of());
        assertThat(amd[0]).isEmpty();
        assertThat(amd[2]).contains("libmklshim.so is not built");
        String[] intel = env(dir, "GenuineIntel", Map.of());
        assertThat(intel[0]).isEmpty();
        assertThat(intel[2]).isEmpty();
        assertThat(List.of(intel[1])).containsExactly("ERROR");
    }
}
