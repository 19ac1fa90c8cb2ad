#!/bin/bash
# Per-epoch cost of the augmented recipe and of its augmentation alone: alternating rounds of one
# epoch on --limit N training images (+ the 10,000 validation images) each of --recipe seed,
# --recipe augmented --augmentation none, and --recipe augmented; prints each epoch's seconds
# (from the provenance) and the load average when it started.
#   usage: tools/bench/bench_recipe_cost.sh [ROUNDS=2] [LIMIT=20000]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-2}
limit=${2:-20000}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for round in $(seq "$rounds"); do
  for v in seed noaug aug; do
    case $v in
      seed) args=(--recipe seed) ;;
      noaug) args=(--recipe augmented --augmentation none) ;;
      aug) args=(--recipe augmented) ;;
    esac
    load=$(cut -d' ' -f1 /proc/loadavg)
    java -jar target/mnist-cnn.jar train "${args[@]}" --epochs 1 --limit "$limit" \
      --output "$out/$v-$round" > "$out/$v-$round.log" 2>&1
    secs=$(python3 -c "import json,sys; print(round(json.load(open(sys.argv[1]))['results']['history'][0]['seconds'], 2))" "$out/$v-$round/provenance.json")
    echo "round $round $v: $secs s (load $load)"
  done
done
