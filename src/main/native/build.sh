#!/usr/bin/env bash
# Builds the preload libraries of src/main/native into OUT (default target/native), run by Maven
# in generate-resources. Without gcc (or on a non-Linux system) it warns and builds nothing: the
# launcher then simply runs without them.
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/../../../target/native}"
cc="${CC:-gcc}"
if [ "$(uname -s)" != "Linux" ]; then
  echo "[WARNING] skeleton-ssl native: not Linux, the preload libraries (MKL vendor shim, c10 log level) are not built"
  exit 0
fi
if ! command -v "$cc" >/dev/null 2>&1; then
  echo "[WARNING] skeleton-ssl native: no C compiler ($cc), the preload libraries (MKL vendor shim, c10 log level) are not built"
  exit 0
fi
mkdir -p "$out"
for pair in "mkl_vendor_shim.c:libmklshim.so" "c10_log_level.c:libc10loglevel.so"; do
  src="$here/${pair%%:*}"
  lib="$out/${pair##*:}"
  if [ -f "$lib" ] && [ "$lib" -nt "$src" ]; then
    continue
  fi
  log="$out/${pair##*:}.build.log"
  if "$cc" -O2 -Wall -Wextra -fPIC -shared -o "$lib.tmp" "$src" >"$log" 2>&1; then
    mv -f "$lib.tmp" "$lib"
    rm -f "$log"
  else
    rm -f "$lib.tmp"
    echo "[WARNING] skeleton-ssl native: $cc failed on $src (see $log); ${pair##*:} not built"
  fi
done
exit 0
