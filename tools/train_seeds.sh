#!/usr/bin/env bash
# Trains the seed recipe once per seed and tabulates the test accuracy of each run, so the
# recipe's accuracy is reported as a spread over seeds, not as one lucky run.
#   usage: tools/train_seeds.sh OUT_DIR SEED...
# Each run lands in OUT_DIR/seed-N (SavedModel + provenance.json, log in OUT_DIR/seed-N.log).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: tools/train_seeds.sh OUT_DIR SEED...}
shift
mkdir -p "$out"
for seed in "$@"; do
  java -jar target/mnist-cnn.jar train --seed "$seed" --output "$out/seed-$seed" \
    > "$out/seed-$seed.log" 2>&1
  grep -E "^Epoch 10/|CNN Error" "$out/seed-$seed.log" | sed "s/^/seed $seed: /"
done
python3 - "$out" "$@" <<'PY'
import json, statistics, sys
out, seeds = sys.argv[1], sys.argv[2:]
acc = {s: json.load(open(f"{out}/seed-{s}/provenance.json"))["results"]["test_accuracy"] for s in seeds}
for s, a in acc.items():
    print(f"seed {s}: test accuracy {a:.4f}")
v = list(acc.values())
sd = statistics.stdev(v) if len(v) > 1 else 0.0
print(f"recipe over {len(v)} seeds: mean {statistics.mean(v):.4f}, sd {sd:.4f}, min {min(v):.4f}, max {max(v):.4f}")
PY
