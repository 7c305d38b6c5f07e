/*
 * MKL vendor shim for skeleton-ssl.
 *
 * The libtorch_cpu.so bundled with DJL's pytorch-native-cpu links Intel MKL statically and exports
 * MKL's internal vendor test, mkl_serv_intel_cpu_true(), called through the library's PLT. On a
 * CPU whose vendor string is not "GenuineIntel" (AMD) it answers 0 and MKL then dispatches to its
 * AVX2 code paths even when the CPU has AVX-512. Loaded with LD_PRELOAD, this definition comes
 * first in symbol lookup, so MKL sees an Intel CPU and picks its kernels by the CPU's feature
 * flags (AVX-512 where present). It changes nothing on an Intel CPU.
 *
 * bin/skeleton-ssl (through bin/native-env.sh) preloads it on non-Intel CPUs only.
 */

__attribute__((visibility("default")))
int mkl_serv_intel_cpu_true(void) {
    return 1;
}
