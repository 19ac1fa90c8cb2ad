#!/usr/bin/env bash
# In-process inference benchmark of the shipped model, with JMH (tools/bench/jmh), plus the same
# model in Python Keras (tools/bench/bench_keras_predict.py) and process start to first prediction.
#
#   tools/bench/bench_inference.sh            short settings (about 8 minutes)
#   JMH_ARGS="-f 3 -wi 5 -i 10" tools/bench/bench_inference.sh     longer, steadier
#
# The JMH run is repeated for each TF_ENABLE_ONEDNN_OPTS value in ONEDNN_MODES ("1 0"): the
# native runtime reads it once per process, TensorFlow leaves oneDNN off by default on CPUs
# without AVX512_VNNI/AVX512_BF16/AMX, and it moves the figures both ways (faster batches,
# slower single images on AVX2). Writes target/bench-inference/{jmh-onednn-*.json,keras.json,
# startup.txt,summary.txt} and prints the summary: single-image p50/p99 (JMH SampleTime),
# images/s per batch size (JMH Throughput x size), Keras predict figures, and start-up seconds
# (median of STARTS runs, TF_CPP_MIN_LOG_LEVEL=2 set and unset).
# POOL_MODES ("1") likewise runs it for each TF_OVERRIDE_GLOBAL_THREADPOOL value: 1 (what the
# jar's launcher sets) gives each session its own intra-op pool, so that single images run on a
# one-thread session of their own; POOL_MODES="1 0" compares with one pool for the process.
# Environment: JMH_ARGS, ONEDNN_MODES, POOL_MODES, STARTS (5), SKIP_KERAS=1, SKIP_STARTUP=1.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=target/bench-inference
mkdir -p "$out"

mvn -B -q package -DskipTests
(cd tools/bench/jmh && mvn -B -q package && mvn -B -q dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime)
cp="tools/bench/jmh/target/classes:$(cat tools/bench/jmh/target/classpath.txt):target/mnist-cnn.jar"

# Short but not careless: a fork per benchmark, warm-up until the session's kernels are chosen.
rm -f "$out"/jmh-onednn-*
for onednn in ${ONEDNN_MODES:-1 0}; do
  for pools in ${POOL_MODES:-1}; do
    name="jmh-onednn-$onednn-pools-$pools"
    # shellcheck disable=SC2086
    TF_ENABLE_ONEDNN_OPTS=$onednn TF_OVERRIDE_GLOBAL_THREADPOOL=$pools TF_CPP_MIN_LOG_LEVEL=2 \
      java -cp "$cp" org.openjdk.jmh.Main PredictorBenchmark \
      ${JMH_ARGS:--f 1 -wi 3 -w 2s -i 5 -r 2s} -rf json -rff "$out/$name.json" | tee "$out/$name.txt"
  done
done

if [ -z "${SKIP_KERAS:-}" ] && [ -x tools/.venv/bin/python ]; then
  java -jar target/mnist-cnn.jar export --model saved_model --format keras \
    --output "$out/model.keras" >/dev/null
  tools/.venv/bin/python tools/bench/bench_keras_predict.py "$out/model.keras" \
    --json "$out/keras.json" | tee "$out/keras.txt"
fi

if [ -z "${SKIP_STARTUP:-}" ]; then
  predict=(java -jar target/mnist-cnn.jar predict --idx mnist-data/t10k-images-idx3-ubyte --limit 1)
  starts() {  # median wall seconds of STARTS runs of the predict command, in environment "$@"
    for _ in $(seq "${STARTS:-5}"); do
      /usr/bin/time -f %e -o /dev/stdout env "$@" "${predict[@]}" 2>/dev/null | tail -1
    done | sort -n | awk '{a[NR]=$1} END {printf "median %.2f s, fastest %.2f s (%d runs)", a[int((NR+1)/2)], a[1], NR}'
  }
  {
    # With both variables set the jar runs in one JVM; without, it relaunches itself once to set
    # them (cli/TensorFlowLauncher), as a user's plain `java -jar` does.
    echo "start to first prediction, one JVM (TF_CPP_MIN_LOG_LEVEL=2 TF_ENABLE_ONEDNN_OPTS=1):" \
      "$(starts TF_CPP_MIN_LOG_LEVEL=2 TF_ENABLE_ONEDNN_OPTS=1 TF_OVERRIDE_GLOBAL_THREADPOOL=1)"
    echo "start to first prediction, plain (both unset, relaunch):" \
      "$(starts -u TF_CPP_MIN_LOG_LEVEL -u TF_ENABLE_ONEDNN_OPTS)"
  } | tee "$out/startup.txt"
fi

python3 - "$out" <<'PY' | tee "$out/summary.txt"
import glob, json, os, sys
out = sys.argv[1]
print(f"CPU: {next(l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name'))}, {os.cpu_count()} cores")
for f in sorted(glob.glob(f"{out}/jmh-onednn-*.json"), reverse=True):
    onednn, pools = f[:-5].split("jmh-onednn-")[1].split("-pools-")
    print(f"TF_ENABLE_ONEDNN_OPTS={onednn} TF_OVERRIDE_GLOBAL_THREADPOOL={pools}:")
    for r in json.load(open(f)):
        name, m = r["benchmark"].rsplit(".", 1)[1], r["primaryMetric"]
        if name == "singleImage":
            p = m["scorePercentiles"]
            print(f"  single image: p50 {p['50.0']:.3f} {m['scoreUnit']}, p99 {p['99.0']:.3f}, mean {m['score']:.3f}")
        else:
            size = int(r["params"]["size"])
            print(f"  batch {size:>4}: {m['score'] * size:>9,.0f} images/s (+-{m['scoreError'] * size:,.0f})")
for f in ("keras.txt", "startup.txt"):
    if os.path.exists(f"{out}/{f}"):
        print(open(f"{out}/{f}").read().rstrip())
PY
