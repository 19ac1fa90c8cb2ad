#!/usr/bin/env python3
"""Inference speed of the same model in Python Keras, for comparison with the Java figures.

Loads a .keras file (the jar's export of the shipped model:
``java -jar target/mnist-cnn.jar export --model saved_model --format keras --output m.keras``)
and times, on real MNIST test images:

- one image per call, as a direct call ``model(x, training=False)`` (the fast path for one
  input) and as ``model.predict(x)`` (what most code calls; it builds a dataset each call);
- batches of 1,000 images, as ``model.predict(x, batch_size=1000)`` and as a direct call.

Latencies are per call after a warm-up (p50, p99); throughput is images/s over repeated calls.

    tools/.venv/bin/python tools/bench/bench_keras_predict.py m.keras [--json out.json]
"""
import argparse
import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

# mnist_idx and keras_seed are in tools/reference/, with the seed recipe they serve.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference"))
import mnist_idx  # noqa: E402


def latencies(call, inputs, warmup, calls):
    """Seconds per call of call(x) over `calls` calls, after `warmup` untimed ones."""
    for i in range(warmup):
        call(inputs[i % len(inputs)])
    out = []
    for i in range(calls):
        start = time.perf_counter()
        call(inputs[i % len(inputs)])
        out.append(time.perf_counter() - start)
    return np.array(out)


def single(name, call, images, calls):
    t = latencies(call, [images[i : i + 1] for i in range(1000)], 100, calls) * 1e3
    return {"name": name, "p50_ms": float(np.percentile(t, 50)),
            "p99_ms": float(np.percentile(t, 99)), "calls": calls}


def batch(name, call, images, calls):
    t = latencies(call, [images[:1000]], 3, calls)
    return {"name": name, "images_per_s": float(1000 / np.median(t)),
            "best_images_per_s": float(1000 / t.min()), "calls": calls}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", help=".keras file of the model")
    parser.add_argument("--data", default=str(mnist_idx.DEFAULT_DATA_DIR))
    parser.add_argument("--single-calls", type=int, default=2000)
    parser.add_argument("--batch-calls", type=int, default=20)
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()

    import keras
    import tensorflow as tf

    model = keras.models.load_model(args.model)
    images = mnist_idx.images_to_float(
        mnist_idx.read_idx(mnist_idx.find_idx(args.data, mnist_idx.TEST_IMAGES), 1000))

    def direct(x):
        return model(x, training=False).numpy()

    results = {
        "versions": {"tensorflow": tf.__version__, "keras": keras.__version__},
        "single": [
            single("model(x) direct call", direct, images, args.single_calls),
            single("model.predict(x)", lambda x: model.predict(x, verbose=0), images,
                   max(1, args.single_calls // 4)),
        ],
        "batch_1000": [
            batch("model.predict(x, batch_size=1000)",
                  lambda x: model.predict(x, batch_size=1000, verbose=0), images, args.batch_calls),
            batch("model(x) direct call", direct, images, args.batch_calls),
        ],
    }
    v = results["versions"]
    print(f"Keras {v['keras']} on TensorFlow {v['tensorflow']}, same model (.keras export)")
    for r in results["single"]:
        print(f"  1 image, {r['name']}: p50 {r['p50_ms']:.3f} ms, p99 {r['p99_ms']:.3f} ms")
    for r in results["batch_1000"]:
        print(f"  batch 1000, {r['name']}: {r['images_per_s']:,.0f} images/s"
              f" (best call {r['best_images_per_s']:,.0f})")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
