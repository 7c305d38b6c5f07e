package io.skeletonssl.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * A scope in which the model's linear layers run their products in bfloat16, like
 * {@code torch.autocast("cpu", torch.bfloat16)}: per thread, nestable, closed to restore the
 * previous precision. Only the forward pass needs the scope; the casts are recorded in the
 * autograd graph, so the backward products run in bfloat16 as well and gradients of the float32
 * weights come back in float32. Layer norms, attention (see {@link ScaledDotProduct}), element-wise
 * work and losses stay in float32. The ops that honour it: {@link LinearOp#apply}, the transformer
 * MLP ({@link MlpOp}, whose GELU runs in bfloat16 between its two products, as under torch's
 * autocast) and the GRU layers ({@link GruOp}).
 */
public final class Autocast implements AutoCloseable {

    private static final ThreadLocal<Precision> CURRENT = ThreadLocal.withInitial(() -> Precision.FP32);
    private static volatile Boolean supported; // read from /proc/cpuinfo once

    private final Precision previous;

    private Autocast(Precision previous) {
        this.previous = previous;
    }

    /**
     * Enters {@code precision} on this thread. BF16 needs a CPU with native bfloat16 arithmetic
     * (AVX512-BF16 or AMX-BF16): elsewhere it is an error naming the CPU, since emulated bfloat16
     * is slower than float32 and would only change the numbers.
     */
    public static Autocast enter(Precision precision) {
        if (precision == Precision.BF16) {
            requireBf16Support();
        }
        Autocast scope = new Autocast(CURRENT.get());
        CURRENT.set(precision);
        return scope;
    }

    /** Whether this thread is in a bf16 scope. */
    public static boolean bf16() {
        return CURRENT.get() == Precision.BF16;
    }

    @Override
    public void close() {
        CURRENT.set(previous);
    }

    /** Whether this CPU has AVX512-BF16 or AMX-BF16, i.e. whether {@code enter(BF16)} may be used. */
    public static boolean bf16Supported() {
        return supportsBf16(cpuFlags());
    }

    /** Throws unless this CPU has AVX512-BF16 or AMX-BF16 (read from /proc/cpuinfo). */
    public static void requireBf16Support() {
        if (Boolean.TRUE.equals(supported)) {
            return;
        }
        Set<String> flags = cpuFlags();
        supported = supportsBf16(flags);
        if (!supported) {
            throw new IllegalArgumentException("--precision bf16 needs a CPU with AVX512-BF16 or AMX-BF16; this one ("
                    + cpuModel() + ") has " + (flags.isEmpty() ? "no readable CPU flags" : "neither")
                    + ": use --precision fp32");
        }
    }

    /** Whether a CPU with these /proc/cpuinfo flags computes bfloat16 products natively. */
    static boolean supportsBf16(Set<String> flags) {
        return flags.contains("avx512_bf16") || flags.contains("amx_bf16");
    }

    /** The flags of the first CPU in /proc/cpuinfo (empty where unreadable). */
    static Set<String> cpuFlags() {
        Set<String> out = new TreeSet<>();
        String flags = cpuInfoField("flags");
        if (flags != null) {
            out.addAll(java.util.Arrays.asList(flags.trim().split("\\s+")));
        }
        return out;
    }

    static String cpuModel() {
        String m = cpuInfoField("model name");
        return m == null ? "unknown CPU" : m.trim();
    }

    private static String cpuInfoField(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                    return line.substring(colon + 1);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no flags
        }
        return null;
    }
}
