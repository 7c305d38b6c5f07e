#!/usr/bin/env bash
# Side-by-side speed of our pretraining step and the official MAMP / PCM3 code on this CPU.
#
# Usage: scripts/bench-official.sh --mamp-repo DIR --pcm3-repo DIR [options]
#   --mamp-repo DIR     checkout of github.com/maoyunyao/MAMP (omit to skip the MAMP rows)
#   --pcm3-repo DIR     checkout of github.com/JHang2020/PCM3 (omit to skip the PCM3 row)
#   --rounds N          alternating rounds, ours then official, per row (default 3)
#   --out DIR           where the round files, summary.json and summary.md go (default runs/bench-official)
#   --python PATH       Python with torch for the official side (default /usr/bin/python3, Debian's python3-torch)
#   --blas-dir DIR      put DIR first on LD_LIBRARY_PATH of the official side, e.g.
#                       /usr/lib/x86_64-linux-gnu/openblas-pthread (see the BLAS note below)
#   --mamp-warmup N --mamp-steps N    (default 2 and 5, both sides)
#   --pcm3-warmup N --pcm3-steps N    (default 2 and 3, both sides)
#   --mamp-batch N (default 8)  --pcm3-batch N (default 16)
#   --embed-batch N     clips per encoder call in the MAMP embed rows (default 16; 0 skips them)
#   --embed-batches N   measured encoder calls per side (default 2, after one warm-up call)
#   --no-bf16           skip the MAMP bf16 rows (ours --precision bf16 against the official code under
#                       torch.autocast; skipped anyway without avx512_bf16/amx_bf16)
#
# The embed rows time the frozen full MAMP encoder (all 750 tokens per person, no masking) as the
# linear probe and `embed` run it: ours `bench embed`, the official model.transformer.Transformer
# of its linear-probe config in eval mode under no_grad, in clips/s.
#
# Ours is `bin/skeleton-ssl bench train --preset mamp-ntu60-xsub|pcm3-ntu60-xsub`; the official
# steps run in scripts/bench_official_step.py, which imports the official model classes from the
# checkouts (nothing of theirs is copied into this project). Both sides get the same GLIBC_TUNABLES
# (the value bin/skeleton-ssl sets) and as many threads as there are cores. Each measurement is a
# fresh process; rounds alternate ours/official so that the machine's noise hits both sides.
#
# BLAS note: Debian's python3-torch links the generic libblas.so.3; if the system alternative is the
# reference BLAS (package libblas3, the default when no optimized BLAS is installed) its float32
# matmul runs at a few GFLOP/s and the official side is slowed down ~20x for reasons that have
# nothing to do with the official code. The sgemm row shows which case you measured; install
# libopenblas0-pthread (or pass --blas-dir to an extracted copy of it) for a fair comparison.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

mamp_repo="" pcm3_repo="" rounds=3 out="runs/bench-official" python=/usr/bin/python3 blas_dir=""
mamp_warmup=2 mamp_steps=5 pcm3_warmup=2 pcm3_steps=3 mamp_batch=8 pcm3_batch=16 bf16=auto
embed_batch=16 embed_batches=2
while [ $# -gt 0 ]; do
  case "$1" in
    --mamp-repo) mamp_repo="$2"; shift 2 ;;
    --pcm3-repo) pcm3_repo="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --python) python="$2"; shift 2 ;;
    --blas-dir) blas_dir="$2"; shift 2 ;;
    --mamp-warmup) mamp_warmup="$2"; shift 2 ;;
    --mamp-steps) mamp_steps="$2"; shift 2 ;;
    --pcm3-warmup) pcm3_warmup="$2"; shift 2 ;;
    --pcm3-steps) pcm3_steps="$2"; shift 2 ;;
    --mamp-batch) mamp_batch="$2"; shift 2 ;;
    --pcm3-batch) pcm3_batch="$2"; shift 2 ;;
    --embed-batch) embed_batch="$2"; shift 2 ;;
    --embed-batches) embed_batches="$2"; shift 2 ;;
    --no-bf16) bf16=no; shift ;;
    -h|--help) sed -n '2,34p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-official: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done
[ -n "$mamp_repo$pcm3_repo" ] || { echo "bench-official: give --mamp-repo and/or --pcm3-repo (try --help)" >&2; exit 2; }
"$python" -c 'import torch' 2>/dev/null || { echo "bench-official: $python cannot import torch (apt-get install python3-torch)" >&2; exit 2; }
for r in "$mamp_repo" "$pcm3_repo"; do
  [ -z "$r" ] || [ -d "$r" ] || { echo "bench-official: no such checkout: $r" >&2; exit 2; }
done
[ -z "$mamp_repo" ] || mamp_repo="$(cd "$mamp_repo" && pwd)"
[ -z "$pcm3_repo" ] || pcm3_repo="$(cd "$pcm3_repo" && pwd)"
helper="$here/scripts/bench_official_step.py"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
rm -f "$out"/ours-*.json "$out"/official-*.json "$out"/meta.json

# the same allocator settings as bin/skeleton-ssl, for both sides (taken from the launcher itself;
# a GLIBC_TUNABLES already in the environment wins there too)
eval "$(grep '^export GLIBC_TUNABLES=' "$here/bin/skeleton-ssl")"
cores="$(nproc)"
cpu="$(grep -m1 'model name' /proc/cpuinfo | sed 's/^[^:]*: *//')"
if [ "$bf16" = auto ]; then
  if grep -qwE 'avx512_bf16|amx_bf16' /proc/cpuinfo; then bf16=yes; else bf16=no; fi
fi

bench_ours() { # preset batch warmup steps file [more bench options]
  local preset="$1" batch="$2" warmup="$3" steps="$4" file="$5"; shift 5
  "$here/bin/skeleton-ssl" bench train --preset "$preset" --batch "$batch" --warmup "$warmup" --steps "$steps" \
    -o "$file" "$@" >&2
}
bench_official() { # which file args...
  local which="$1" file="$2"; shift 2
  env ${blas_dir:+LD_LIBRARY_PATH="$blas_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"} \
    OMP_NUM_THREADS="$cores" "$python" "$helper" "$which" --threads "$cores" -o "$file" "$@" >/dev/null
}

"$here/bin/skeleton-ssl" --version >/dev/null # builds our application first if needed
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "bench-official: $cpu, $cores cores, load $load_before, $rounds rounds -> $out" >&2
for ((k = 1; k <= rounds; k++)); do
  if [ -n "$mamp_repo" ]; then
    echo "== round $k/$rounds: MAMP ours" >&2
    bench_ours mamp-ntu60-xsub "$mamp_batch" "$mamp_warmup" "$mamp_steps" "$out/ours-mamp-ntu60-xsub-r$k.json"
    echo "== round $k/$rounds: MAMP official fp32" >&2
    bench_official mamp "$out/official-mamp-fp32-r$k.json" --repo "$mamp_repo" --batch "$mamp_batch" \
      --warmup "$mamp_warmup" --steps "$mamp_steps"
    if [ "$bf16" = yes ]; then
      echo "== round $k/$rounds: MAMP ours bf16" >&2
      bench_ours mamp-ntu60-xsub "$mamp_batch" "$mamp_warmup" "$mamp_steps" "$out/ours-mamp-bf16-r$k.json" \
        --precision bf16
      echo "== round $k/$rounds: MAMP official bf16 autocast" >&2
      bench_official mamp "$out/official-mamp-bf16-r$k.json" --repo "$mamp_repo" --batch "$mamp_batch" \
        --warmup "$mamp_warmup" --steps "$mamp_steps" --bf16
    fi
    if [ "$embed_batch" -gt 0 ]; then
      precisions="fp32"
      [ "$bf16" = yes ] && precisions="fp32 bf16"
      for p in $precisions; do
        echo "== round $k/$rounds: MAMP encoder forward (embed) ours $p" >&2
        "$here/bin/skeleton-ssl" bench embed --preset mamp-ntu60-xsub --batch "$embed_batch" --batches "$embed_batches" \
          --warmup 1 --precision "$p" -o "$out/ours-embed-$p-r$k.json" >&2
        echo "== round $k/$rounds: MAMP encoder forward (embed) official $p" >&2
        bench_official mamp-embed "$out/official-embed-$p-r$k.json" --repo "$mamp_repo" --batch "$embed_batch" \
          --warmup 1 --steps "$embed_batches" $([ "$p" = bf16 ] && echo --bf16)
      done
    fi
  fi
  if [ -n "$pcm3_repo" ]; then
    echo "== round $k/$rounds: PCM3 ours" >&2
    bench_ours pcm3-ntu60-xsub "$pcm3_batch" "$pcm3_warmup" "$pcm3_steps" "$out/ours-pcm3-ntu60-xsub-r$k.json"
    echo "== round $k/$rounds: PCM3 official" >&2
    bench_official pcm3 "$out/official-pcm3-r$k.json" --repo "$pcm3_repo" --batch "$pcm3_batch" \
      --warmup "$pcm3_warmup" --steps "$pcm3_steps"
  fi
  echo "== round $k/$rounds: sgemm official" >&2
  bench_official sgemm "$out/official-sgemm-r$k.json"
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

commit() { [ -n "$1" ] && git -C "$1" rev-parse HEAD 2>/dev/null || echo "-"; }
ours_torch="$(sed -n 's:.*<pytorch.version>\(.*\)</pytorch.version>.*:\1:p' "$here/pom.xml")"
"$python" - "$out/meta.json" <<EOF
import json, sys
json.dump({"cpu": """$cpu""", "cores": $cores, "rounds": $rounds, "glibc_tunables": "$GLIBC_TUNABLES",
           "load_before": "$load_before", "load_after": "$load_after", "ours_torch": "$ours_torch",
           "mamp_commit": "$(commit "$mamp_repo")", "pcm3_commit": "$(commit "$pcm3_repo")",
           "mamp_batch": $mamp_batch, "pcm3_batch": $pcm3_batch, "embed_batch": $embed_batch, "blas_dir": "$blas_dir",
           "mamp_warmup": $mamp_warmup, "mamp_steps": $mamp_steps,
           "pcm3_warmup": $pcm3_warmup, "pcm3_steps": $pcm3_steps}, open(sys.argv[1], "w"), indent=1)
EOF
"$python" "$helper" report --dir "$out"
