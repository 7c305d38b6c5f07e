#!/usr/bin/env bash
# PCM3 ablations on the built-in synthetic data (README, "PCM3 ablations"): the PCM3 demo, once per
# variant, same seed and data; prints a Markdown table of the final-epoch linear top-1 and the 1-NN
# top-1 of every variant. Usage: scripts/pcm3-ablations.sh [OUT_DIR] [SEED]
# Variants run one after the other; each is a full `demo --method pcm3` (about 10 minutes on 2 cores).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-runs/pcm3-ablations}"
seed="${2:-0}"
mkdir -p "$out"

variants=(
  "baseline|"
  "gru-bidirectional|model.gru_mode=bidirectional"
  "prompts-effective|prompts.mode=effective"
  "prompts-none|prompts.mode=none"
  "no-masked-positive|loss.masked_positive=false"
  "no-predicted-positive|loss.predicted_positive=false"
  "no-extra-positives|loss.masked_positive=false,loss.predicted_positive=false"
)

for v in "${variants[@]}"; do
  name="${v%%|*}"
  sets="${v#*|}"
  [ -f "$out/$name/metrics.json" ] && continue # done before: resumable
  args=()
  IFS=',' read -ra kv <<< "$sets"
  for s in "${kv[@]}"; do
    [ -n "$s" ] && args+=(--set "$s")
  done
  echo "== $name ${sets:-(official PCM3)}" >&2
  "$here/bin/skeleton-ssl" demo --method pcm3 --seed "$seed" --out "$out/$name" "${args[@]}" >&2
done

echo "| variant | overrides | linear top-1 | 1-NN top-1 | random init linear / 1-NN |"
echo "|---|---|---|---|---|"
for v in "${variants[@]}"; do
  name="${v%%|*}"
  sets="${v#*|}"
  m="$out/$name/metrics.json"
  val() { sed -n "s/.*\"$1\" : \([0-9.]*\).*/\1/p" "$m" | head -1 | xargs printf '%.1f'; }
  echo "| $name | ${sets:-—} | $(val pretrained_linear_top1)% | $(val pretrained_knn_top1)% | $(val random_linear_top1)% / $(val random_knn_top1)% |"
done
