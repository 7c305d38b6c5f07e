# shellcheck shell=bash
# Preload libraries for the JVM that runs PyTorch, sourced by bin/skeleton-ssl and bin/java-native
# (Maven Surefire's test JVM). Built by src/main/native/build.sh into target/native; a library not
# built (no gcc) is skipped. LD_PRELOAD must be in the environment when the JVM starts: an
# embedding application sets the same variables in the script that starts its JVM.
#
#   libc10loglevel.so  makes TORCH_CPP_LOG_LEVEL work under DJL (libtorch alone ignores it); the
#                      launcher's default is ERROR, which hides c10's warnings such as DJL's
#                      "AutoNonVariableTypeMode is deprecated". Errors still reach Java as
#                      exceptions. SKELETON_SSL_C10_LOG_SHIM=0 leaves it out; TORCH_CPP_LOG_LEVEL=WARNING
#                      shows c10's warnings again.
#   libmklshim.so      MKL vendor shim: on a non-Intel x86 CPU (AMD) MKL uses its AVX2 kernels even
#                      when the CPU has AVX-512; with the shim it takes the AVX-512 ones. Preloaded
#                      when /proc/cpuinfo's vendor_id is present and not GenuineIntel;
#                      SKELETON_SSL_MKL_SHIM=0 never, =1 always (also on Intel, where it changes
#                      nothing), =auto (default) by vendor.

# The CPU vendor string (GenuineIntel, AuthenticAMD, ...), empty if unknown. SKELETON_SSL_CPUINFO
# names another file to read than /proc/cpuinfo (tests).
skeleton_ssl_cpu_vendor() {
  local line
  line="$(grep -m1 '^vendor_id' "${SKELETON_SSL_CPUINFO:-/proc/cpuinfo}" 2>/dev/null || true)"
  line="${line#*:}"
  echo "${line// /}"
}

# Whether the MKL vendor shim should be preloaded here: 0 or 1 (SKELETON_SSL_MKL_SHIM, else the vendor).
skeleton_ssl_want_mkl_shim() {
  case "${SKELETON_SSL_MKL_SHIM:-auto}" in
    0|off|no|false) echo 0 ;;
    1|on|yes|true) echo 1 ;;
    auto|"")
      local vendor
      vendor="$(skeleton_ssl_cpu_vendor)"
      if [ -n "$vendor" ] && [ "$vendor" != GenuineIntel ]; then echo 1; else echo 0; fi ;;
    *)
      echo "skeleton-ssl: SKELETON_SSL_MKL_SHIM must be 0, 1 or auto (got '$SKELETON_SSL_MKL_SHIM'); using auto" >&2
      SKELETON_SSL_MKL_SHIM=auto skeleton_ssl_want_mkl_shim ;;
  esac
}

# Prepends a library to LD_PRELOAD (kept: whatever was there before), once.
skeleton_ssl_preload() {
  case ":${LD_PRELOAD:-}:" in
    *":$1:"*) ;;
    *) export LD_PRELOAD="$1${LD_PRELOAD:+:$LD_PRELOAD}" ;;
  esac
}

# Sets TORCH_CPP_LOG_LEVEL (default ERROR) and LD_PRELOAD for the libraries in folder $1.
skeleton_ssl_native_env() {
  local native="$1"
  export TORCH_CPP_LOG_LEVEL="${TORCH_CPP_LOG_LEVEL-ERROR}"
  if [ "$(skeleton_ssl_want_mkl_shim)" = 1 ]; then
    if [ -f "$native/libmklshim.so" ]; then
      skeleton_ssl_preload "$native/libmklshim.so"
    else
      echo "skeleton-ssl: MKL vendor shim wanted but $native/libmklshim.so is not built (gcc missing?); running without it" >&2
    fi
  fi
  if [ "${SKELETON_SSL_C10_LOG_SHIM:-1}" != 0 ] && [ -f "$native/libc10loglevel.so" ]; then
    skeleton_ssl_preload "$native/libc10loglevel.so"
  fi
}
