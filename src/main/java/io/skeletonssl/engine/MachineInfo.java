package io.skeletonssl.engine;

import ai.djl.engine.Engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The machine and engine facts every result records (as {@code "environment"} next to
 * {@code "code_version"} in each metrics.json and in the bench outputs), so that timings and
 * numbers from different machines can be told apart:
 *
 * <ul>
 *   <li>the engine: DJL version, engine name and version, its native build (e.g.
 *       {@code 2.7.1-20250812 cpu linux-x86_64}), the features it was built with (MKL, MKLDNN,
 *       OPENMP) and where its native library was loaded from;</li>
 *   <li>the CPU: model name and vendor from {@code /proc/cpuinfo}, the best instruction set its
 *       flags offer ({@code amx} &gt; {@code avx512_bf16} &gt; {@code avx512} &gt; {@code avx2}
 *       &gt; {@code sse4_2}) and the relevant flags themselves;</li>
 *   <li>what MKL dispatches by: MKL picks its kernels by the CPU flags only on a CPU it takes for
 *       Intel; on another vendor it stays at AVX2 unless the MKL vendor shim is preloaded. PyTorch
 *       does not report the instruction set its own (ATen, oneDNN) kernels use through DJL, so
 *       this is inferred from the vendor and whether the shim is mapped in this process
 *       ({@code /proc/self/maps});</li>
 *   <li>the settings that change the above when set (thread counts, ATEN_CPU_CAPABILITY,
 *       MKL_ENABLE_INSTRUCTIONS, ONEDNN_MAX_CPU_ISA, LD_PRELOAD, ...);</li>
 *   <li>PyTorch's intra-op and inter-op thread counts, the JVM's available processors, the
 *       machine's online CPUs, the OS and the Java runtime.</li>
 * </ul>
 *
 * Computed once per process; nothing here fails: a fact that cannot be read is "unknown".
 */
public record MachineInfo(
        String djlVersion,
        String engine,
        String engineVersion,
        String engineBuild,
        List<String> engineFeatures,
        String engineLibrary,
        String cpuModel,
        String cpuVendor,
        String isa,
        List<String> isaFlags,
        boolean mklShimActive,
        boolean c10LogLevelShimActive,
        String mklDispatch,
        int engineThreads,
        int engineInteropThreads,
        int logicalCores,
        int onlineCpus,
        String os,
        String java,
        Map<String, String> settings) {

    /** The preload library names of bin/native-env.sh, as they appear in /proc/self/maps. */
    public static final String MKL_SHIM_LIBRARY = "libmklshim.so";
    public static final String C10_LOG_LEVEL_LIBRARY = "libc10loglevel.so";

    static final String UNKNOWN = "unknown";

    /** Flags worth naming, in the order they are listed. */
    private static final List<String> ISA_FLAGS = List.of("sse4_2", "avx", "avx2", "fma", "avx_vnni", "avx512f",
            "avx512dq", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16", "avx512_fp16", "amx_tile", "amx_bf16",
            "amx_int8", "amx_fp16");

    /** Environment variables and system properties that change threads or kernels, recorded when set. */
    private static final List<String> SETTING_ENV = List.of("OMP_NUM_THREADS", "MKL_NUM_THREADS",
            "ATEN_CPU_CAPABILITY", "MKL_ENABLE_INSTRUCTIONS", "MKL_DEBUG_CPU_TYPE", "MKL_CBWR", "ONEDNN_MAX_CPU_ISA",
            "DNNL_MAX_CPU_ISA", "LD_PRELOAD", "TORCH_CPP_LOG_LEVEL", "SKELETON_SSL_MKL_SHIM", "GLIBC_TUNABLES");
    private static final List<String> SETTING_PROPERTIES = List.of("ai.djl.pytorch.num_threads",
            "ai.djl.pytorch.num_interop_threads");

    private static volatile MachineInfo cached;

    public MachineInfo {
        engineFeatures = List.copyOf(engineFeatures);
        isaFlags = List.copyOf(isaFlags);
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /** This process's facts (the PyTorch engine is loaded first if it is not yet). */
    public static MachineInfo current() {
        MachineInfo m = cached;
        if (m == null) {
            synchronized (MachineInfo.class) {
                m = cached;
                if (m == null) {
                    m = collect();
                    cached = m;
                }
            }
        }
        return m;
    }

    /** The facts as a JSON-ready map with snake_case keys, in a fixed order. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("djl_version", djlVersion);
        m.put("engine", engine);
        m.put("engine_version", engineVersion);
        m.put("engine_build", engineBuild);
        m.put("engine_features", engineFeatures);
        m.put("engine_library", engineLibrary);
        m.put("cpu_model", cpuModel);
        m.put("cpu_vendor", cpuVendor);
        m.put("isa", isa);
        m.put("isa_flags", isaFlags);
        m.put("mkl_shim_active", mklShimActive);
        m.put("c10_log_level_shim_active", c10LogLevelShimActive);
        m.put("mkl_dispatch", mklDispatch);
        m.put("engine_threads", engineThreads);
        m.put("engine_interop_threads", engineInteropThreads);
        m.put("logical_cores", logicalCores);
        m.put("online_cpus", onlineCpus);
        m.put("os", os);
        m.put("java", java);
        m.put("settings", settings);
        return Collections.unmodifiableMap(m);
    }

    /** One line for consoles: CPU, ISA, shim, threads. */
    public String summary() {
        return String.format(Locale.ROOT, "%s (%s, %s%s), %s %s (DJL %s, %s), %d engine threads, %d cores",
                cpuModel, cpuVendor, isa, mklShimActive ? ", MKL vendor shim" : "", engine, engineVersion, djlVersion,
                engineBuild, engineThreads, logicalCores);
    }

    private static MachineInfo collect() {
        CpuInfo cpu = CpuInfo.read(Path.of("/proc/cpuinfo"));
        String maps = read(Path.of("/proc/self/maps"));
        boolean mklShim = maps.contains("/" + MKL_SHIM_LIBRARY);
        boolean logShim = maps.contains("/" + C10_LOG_LEVEL_LIBRARY);

        String djl = UNKNOWN;
        String engineName = Engines.DEFAULT;
        String engineVersion = UNKNOWN;
        String library = UNKNOWN;
        List<String> features = List.of();
        int threads = -1;
        int interop = -1;
        try {
            Engines.cpu(); // loads the native library if nothing did yet
            Engine e = Engine.getEngine(Engines.DEFAULT);
            djl = Engine.getDjlVersion();
            engineName = e.getEngineName();
            engineVersion = e.getVersion();
            threads = ai.djl.pytorch.jni.JniUtils.getNumThreads();
            interop = ai.djl.pytorch.jni.JniUtils.getNumInteropThreads();
            features = new ArrayList<>(new java.util.TreeSet<>(ai.djl.pytorch.jni.JniUtils.getFeatures()));
            library = String.valueOf(ai.djl.pytorch.jni.LibUtils.getLibtorchPath());
        } catch (RuntimeException | LinkageError e) {
            engineVersion = "unavailable: " + e.getMessage();
        }

        return new MachineInfo(djl, engineName, engineVersion, nativeBuild(), features, library, cpu.model(),
                cpu.vendor(), bestIsa(cpu.flags()), presentFlags(cpu.flags()), mklShim, logShim,
                mklDispatch(cpu.vendor(), mklShim, features), threads, interop,
                Runtime.getRuntime().availableProcessors(), cpu.processors(), osDescription(), javaRuntime(), currentSettings());
    }

    /** The best of amx, avx512_bf16, avx512, avx2, sse4_2 the flags offer, or "baseline". */
    static String bestIsa(Set<String> flags) {
        if (flags.contains("amx_tile") && (flags.contains("amx_bf16") || flags.contains("amx_int8"))) {
            return "amx";
        }
        boolean avx512 = flags.contains("avx512f") && flags.contains("avx512bw") && flags.contains("avx512vl")
                && flags.contains("avx512dq");
        if (avx512 && flags.contains("avx512_bf16")) {
            return "avx512_bf16";
        }
        if (avx512) {
            return "avx512";
        }
        if (flags.contains("avx2")) {
            return "avx2";
        }
        if (flags.contains("sse4_2")) {
            return "sse4_2";
        }
        return flags.isEmpty() ? UNKNOWN : "baseline";
    }

    static List<String> presentFlags(Set<String> flags) {
        return ISA_FLAGS.stream().filter(flags::contains).toList();
    }

    /** What MKL's kernel choice follows here (see the class comment). */
    static String mklDispatch(String vendor, boolean shim, List<String> features) {
        if (!features.isEmpty() && !features.contains("MKL")) {
            return "no MKL in this engine build";
        }
        if (shim) {
            return "CPU flags (MKL vendor shim preloaded)";
        }
        if ("GenuineIntel".equals(vendor)) {
            return "CPU flags (Intel CPU)";
        }
        if (UNKNOWN.equals(vendor)) {
            return UNKNOWN;
        }
        return "AVX2 at most (non-Intel CPU, no MKL vendor shim)";
    }

    /** The bundled native build, e.g. "2.7.1-20250812 cpu linux-x86_64", from pytorch-native-*'s properties. */
    private static String nativeBuild() {
        try (InputStream in = MachineInfo.class.getResourceAsStream("/native/lib/pytorch.properties")) {
            if (in == null) {
                return UNKNOWN;
            }
            Properties p = new Properties();
            p.load(in);
            return (p.getProperty("version", "?") + " " + p.getProperty("flavor", "?") + " "
                    + p.getProperty("classifier", "?")).trim();
        } catch (IOException e) {
            return UNKNOWN;
        }
    }

    private static String osDescription() {
        String pretty = UNKNOWN;
        for (String line : read(Path.of("/etc/os-release")).split("\n")) {
            if (line.startsWith("PRETTY_NAME=")) {
                pretty = line.substring("PRETTY_NAME=".length()).replace("\"", "").trim();
            }
        }
        return System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch") + (UNKNOWN.equals(pretty) ? "" : " (" + pretty + ")");
    }

    private static String javaRuntime() {
        return System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ", "
                + System.getProperty("java.vendor") + ")";
    }

    private static Map<String, String> currentSettings() {
        Map<String, String> m = new TreeMap<>();
        for (String k : SETTING_ENV) {
            String v = System.getenv(k);
            if (v != null) {
                m.put(k, v);
            }
        }
        for (String k : SETTING_PROPERTIES) {
            String v = System.getProperty(k);
            if (v != null) {
                m.put("-D" + k, v);
            }
        }
        return m;
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** The first processor's model name, vendor and flags, and the processor count, of a /proc/cpuinfo text. */
    record CpuInfo(String model, String vendor, Set<String> flags, int processors) {

        static CpuInfo read(Path file) {
            return parse(MachineInfo.read(file));
        }

        static CpuInfo parse(String text) {
            String model = null;
            String vendor = null;
            Set<String> flags = null;
            int processors = 0;
            for (String line : text.split("\n")) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String key = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                switch (key) {
                    case "processor" -> processors++;
                    case "model name" -> model = model == null ? value : model;
                    case "vendor_id" -> vendor = vendor == null ? value : vendor;
                    case "flags" -> {
                        if (flags == null) {
                            flags = new LinkedHashSet<>(List.of(value.split("\\s+")));
                        }
                    }
                    default -> {
                    }
                }
            }
            return new CpuInfo(model == null || model.isEmpty() ? UNKNOWN : model,
                    vendor == null || vendor.isEmpty() ? UNKNOWN : vendor,
                    flags == null ? Set.of() : Collections.unmodifiableSet(flags),
                    processors == 0 ? Runtime.getRuntime().availableProcessors() : processors);
        }
    }
}
