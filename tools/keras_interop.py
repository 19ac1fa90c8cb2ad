#!/usr/bin/env python3
"""Batch helpers for the Java<->Keras interop tests: one TensorFlow start-up for many models.

Sub-commands (each prints one JSON line on stdout)::

    predict --idx-images FILE --out-dir DIR MODEL[@via] ...
        For the i-th model write DIR/<i>.npy with its softmax probabilities
        ([N,10] float32) on the IDX images (scaled by 1/255).  ``via`` is
        keras (load_model, default for files), signature or tfsm (SavedModel
        directories).  Keras models are also described: class, name, output
        shape and parameter count of every layer.

    same-weights REFERENCE MODEL ...
        Load every model with keras.models.load_model and report, per model,
        whether each weight array is np.array_equal to REFERENCE's.
"""
from __future__ import annotations

import argparse
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import keras_tool  # noqa: E402
import mnist_idx  # noqa: E402
import numpy as np  # noqa: E402


def _describe(model):
    return {
        "class_name": type(model).__name__,
        "layers": [{"class_name": type(layer).__name__, "name": layer.name,
                    "output_shape": list(layer.output.shape),
                    "params": int(layer.count_params())} for layer in model.layers],
        "total_params": int(model.count_params()),
    }


def cmd_predict(args) -> int:
    import keras
    x = mnist_idx.images_to_float(mnist_idx.read_idx(args.idx_images))
    os.makedirs(args.out_dir, exist_ok=True)
    results = []
    for i, spec in enumerate(args.models):
        path, _, via = spec.partition("@")
        info = {"model": path}
        if keras_tool.model_kind(path) == "keras" and via in ("", "keras"):
            model = keras.models.load_model(path)
            info.update(_describe(model))
            probs = model.predict(x, batch_size=1000, verbose=0)
            info["via"] = "keras"
        else:
            fn, info["via"] = keras_tool.make_predictor(path, via or None)
            probs = np.concatenate([fn(x[j:j + 1000]) for j in range(0, len(x), 1000)])
        out = os.path.join(args.out_dir, f"{i}.npy")
        np.save(out, np.asarray(probs, dtype=np.float32))
        info["out"] = out
        results.append(info)
    print(json.dumps({"keras_version": keras.__version__, "models": results}))
    return 0


def cmd_same_weights(args) -> int:
    import keras
    reference = keras.models.load_model(args.reference).get_weights()
    same = {}
    for path in args.models:
        weights = keras.models.load_model(path).get_weights()
        same[path] = len(weights) == len(reference) and all(
            a.dtype == b.dtype and np.array_equal(a, b)
            for a, b in zip(reference, weights, strict=True))
    print(json.dumps({"keras_version": keras.__version__, "same": same}))
    return 0


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    pp = sub.add_parser("predict")
    pp.add_argument("--idx-images", required=True)
    pp.add_argument("--out-dir", required=True)
    pp.add_argument("models", nargs="+")
    pp.set_defaults(func=cmd_predict)
    ps = sub.add_parser("same-weights")
    ps.add_argument("reference")
    ps.add_argument("models", nargs="+")
    ps.set_defaults(func=cmd_same_weights)
    args = p.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
