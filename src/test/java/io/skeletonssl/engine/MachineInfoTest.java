package io.skeletonssl.engine;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class MachineInfoTest {

    @Test
    void namesThisMachineAndEngine() throws Exception {
        MachineInfo m = MachineInfo.current();
        assertThat(m.engine()).isEqualTo("PyTorch");
        assertThat(m.engineVersion()).isEqualTo("2.7.1");
        assertThat(m.djlVersion()).isEqualTo("0.34.0");
        assertThat(m.engineBuild()).startsWith("2.7.1").contains("cpu", "linux-x86_64");
        assertThat(m.engineFeatures()).contains("MKL");
        assertThat(m.engineLibrary()).isNotEqualTo(MachineInfo.UNKNOWN);
        assertThat(m.cpuModel()).isNotBlank().isNotEqualTo(MachineInfo.UNKNOWN);
        assertThat(m.cpuVendor()).isNotBlank().isNotEqualTo(MachineInfo.UNKNOWN);
        assertThat(m.isa()).isIn("amx", "avx512_bf16", "avx512", "avx2", "sse4_2", "baseline");
        assertThat(m.engineThreads()).isGreaterThanOrEqualTo(1);
        assertThat(m.engineInteropThreads()).isGreaterThanOrEqualTo(1);
        assertThat(m.logicalCores()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(m.onlineCpus()).isGreaterThanOrEqualTo(m.logicalCores());
        assertThat(m.os()).startsWith("Linux");
        assertThat(m.java()).startsWith(System.getProperty("java.version"));

        // the facts agree with /proc/cpuinfo as read independently
        String cpuinfo = Files.readString(Path.of("/proc/cpuinfo"));
        assertThat(cpuinfo).contains(m.cpuModel(), m.cpuVendor());
        for (String f : m.isaFlags()) {
            assertThat(cpuinfo).containsPattern("\\s" + f + "(\\s|$)");
        }

        // the shims are reported active exactly when this JVM has them mapped (LD_PRELOAD of bin/java-native)
        String maps = Files.readString(Path.of("/proc/self/maps"));
        String preload = System.getenv().getOrDefault("LD_PRELOAD", "");
        assertThat(m.mklShimActive()).isEqualTo(maps.contains("/libmklshim.so"));
        assertThat(m.c10LogLevelShimActive()).isEqualTo(maps.contains("/libc10loglevel.so"));
        if (preload.contains("libmklshim.so")) {
            assertThat(m.mklShimActive()).as("LD_PRELOAD names the MKL shim, so it must be mapped").isTrue();
            assertThat(m.mklDispatch()).contains("shim");
        }
        if (preload.contains("libc10loglevel.so")) {
            assertThat(m.c10LogLevelShimActive()).isTrue();
        }
        if (!m.cpuVendor().equals("GenuineIntel") && Files.exists(Path.of("target/native/libmklshim.so"))
                && !"0".equals(System.getenv("SKELETON_SSL_MKL_SHIM"))) {
            assertThat(m.mklShimActive()).as("non-Intel CPU with the shim built: the tests run under it").isTrue();
        }

        Map<String, Object> map = m.toMap();
        assertThat(map).containsKeys("djl_version", "engine", "engine_version", "engine_build", "cpu_model",
                "cpu_vendor", "isa", "isa_flags", "mkl_shim_active", "mkl_dispatch", "engine_threads",
                "logical_cores", "os", "settings");
        assertThat(map.get("engine_threads")).isEqualTo(m.engineThreads());
        assertThat(MachineInfo.current()).isSameAs(m);
        assertThat(m.summary()).contains(m.cpuModel(), m.isa());
    }

    @Test
    void parsesCpuinfoAndRanksTheInstructionSets() {
        String text = """
                processor\t: 0
                vendor_id\t: AuthenticAMD
                model name\t: AMD EPYC 9B45 128-Core Processor
                flags\t\t: fpu sse4_2 avx avx2 fma avx512f avx512dq avx512bw avx512vl avx512_bf16 avx512_vnni

                processor\t: 1
                vendor_id\t: AuthenticAMD
                model name\t: AMD EPYC 9B45 128-Core Processor
                flags\t\t: fpu sse4_2 avx avx2 fma avx512f avx512dq avx512bw avx512vl avx512_bf16 avx512_vnni
                """;
        MachineInfo.CpuInfo cpu = MachineInfo.CpuInfo.parse(text);
        assertThat(cpu.vendor()).isEqualTo("AuthenticAMD");
        assertThat(cpu.model()).isEqualTo("AMD EPYC 9B45 128-Core Processor");
        assertThat(cpu.processors()).isEqualTo(2);
        assertThat(MachineInfo.bestIsa(cpu.flags())).isEqualTo("avx512_bf16");
        assertThat(MachineInfo.presentFlags(cpu.flags()))
                .containsExactly("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512bw", "avx512vl",
                        "avx512_vnni", "avx512_bf16");

        assertThat(MachineInfo.bestIsa(Set.of("avx2", "avx512f", "avx512dq", "avx512bw", "avx512vl", "amx_tile",
                "amx_bf16"))).isEqualTo("amx");
        assertThat(MachineInfo.bestIsa(Set.of("avx2", "avx512f", "avx512dq", "avx512bw", "avx512vl"))).isEqualTo("avx512");
        assertThat(MachineInfo.bestIsa(Set.of("avx2", "avx512f"))).isEqualTo("avx2");
        assertThat(MachineInfo.bestIsa(Set.of("sse2"))).isEqualTo("baseline");
        assertThat(MachineInfo.bestIsa(Set.of())).isEqualTo(MachineInfo.UNKNOWN);

        MachineInfo.CpuInfo none = MachineInfo.CpuInfo.parse("");
        assertThat(none.model()).isEqualTo(MachineInfo.UNKNOWN);
        assertThat(none.processors()).isGreaterThanOrEqualTo(1);

        List<String> mkl = List.of("MKL", "MKLDNN", "OPENMP");
        assertThat(MachineInfo.mklDispatch("AuthenticAMD", false, mkl)).startsWith("AVX2 at most");
        assertThat(MachineInfo.mklDispatch("AuthenticAMD", true, mkl)).contains("shim");
        assertThat(MachineInfo.mklDispatch("GenuineIntel", false, mkl)).contains("Intel CPU");
        assertThat(MachineInfo.mklDispatch("AuthenticAMD", false, List.of("OPENMP"))).contains("no MKL");
    }
}
