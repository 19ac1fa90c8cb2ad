#!/usr/bin/env python3
"""Small Keras 3 / TensorFlow CLI helpers for the Java<->Python interop tests.

Sub-commands::

    predict  --model PATH --idx-images FILE [--idx-labels FILE] [--limit N]
             [--via keras|signature|tfsm] [--batch-size B] --out probs.npy
        Run inference and write the softmax probabilities ([N,10] float32) as
        .npy.  Images are read from a raw MNIST IDX file (raw or .gz) and fed
        as float32 [N,28,28,1] scaled by 1/255.  Prints a JSON summary line
        (plus accuracy when --idx-labels is given).

    describe --model PATH
        Print JSON describing the model: per layer the class name, layer
        name, output shape and parameter count, plus the total parameter
        count.  For a SavedModel directory the serving signature (input and
        output names, shapes, dtypes) is described instead.

    fit      --model PATH.keras [--epochs 1] [--data DIR] [--limit N]
             [--batch-size 200] [--seed S] [--compile] --out PATH
        Continue training a saved .keras/.h5 model (with its saved optimizer
        state and compile config) on MNIST, save it to --out (format chosen
        by the extension) and print test loss/accuracy as JSON.

Model kinds (chosen from PATH):

* ``*.keras`` (native Keras 3 zip) or ``*.h5``/``*.hdf5`` (legacy HDF5):
  loaded with ``keras.models.load_model``;
* a directory containing ``saved_model.pb`` (TF SavedModel, e.g. from
  ``model.export``): loaded with ``tf.saved_model.load(dir)
  .signatures["serving_default"]`` (``--via signature``, the default) or with
  ``keras.layers.TFSMLayer(dir, call_endpoint="serving_default")``
  (``--via tfsm``).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # hide TF C++ info logs

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mnist_idx  # noqa: E402
import numpy as np  # noqa: E402

KERAS_SUFFIXES = (".keras", ".h5", ".hdf5")


def model_kind(path: str) -> str:
    """Return ``'keras'`` for .keras/.h5 files, ``'savedmodel'`` for SavedModel dirs."""
    if os.path.isdir(path):
        if os.path.isfile(os.path.join(path, "saved_model.pb")):
            return "savedmodel"
        raise SystemExit(f"{path}: directory without saved_model.pb")
    if path.lower().endswith(KERAS_SUFFIXES):
        return "keras"
    raise SystemExit(f"{path}: unknown model kind (want .keras, .h5 or a SavedModel dir)")


def _single_output(out):
    """Unwrap a dict/list holding a single tensor (signature/TFSMLayer outputs)."""
    if isinstance(out, dict):
        if len(out) != 1:
            raise SystemExit(f"expected one output, got {sorted(out)}")
        out = next(iter(out.values()))
    if isinstance(out, (list, tuple)):
        if len(out) != 1:
            raise SystemExit(f"expected one output, got {len(out)}")
        out = out[0]
    return np.asarray(out)


def make_predictor(path: str, via: str | None):
    """Return ``(fn, via)`` where ``fn(x: float32[N,28,28,1]) -> np.ndarray[N,10]``."""
    kind = model_kind(path)
    if via is None:
        via = "keras" if kind == "keras" else "signature"
    if kind == "keras" and via != "keras":
        raise SystemExit(f"--via {via} needs a SavedModel directory")
    if kind == "savedmodel" and via == "keras":
        raise SystemExit("Keras 3 cannot load_model a SavedModel; use --via signature or tfsm")

    if via == "keras":
        import keras
        model = keras.models.load_model(path)
        return (lambda x: np.asarray(model.predict(x, verbose=0))), via

    import tensorflow as tf
    if via == "signature":
        loaded = tf.saved_model.load(path)
        sig = loaded.signatures["serving_default"]
        _, kwargs = sig.structured_input_signature
        if len(kwargs) != 1:
            raise SystemExit(f"expected one signature input, got {sorted(kwargs)}")
        in_name = next(iter(kwargs))

        def fn(x):
            return _single_output(sig(**{in_name: tf.constant(x)}))
        fn._keepalive = loaded  # keep the loaded object (and its variables) alive
        return fn, via

    if via == "tfsm":
        import keras
        layer = keras.layers.TFSMLayer(path, call_endpoint="serving_default")
        return (lambda x: _single_output(layer(tf.constant(x)))), via

    raise SystemExit(f"unknown --via {via}")


def cmd_predict(args) -> int:
    images = mnist_idx.read_idx(args.idx_images, args.limit)
    x = mnist_idx.images_to_float(images)
    fn, via = make_predictor(args.model, args.via)
    t0 = time.perf_counter()
    parts = [fn(x[i:i + args.batch_size]) for i in range(0, x.shape[0], args.batch_size)]
    probs = np.concatenate(parts, axis=0).astype(np.float32)
    seconds = time.perf_counter() - t0
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    np.save(args.out, probs)
    summary = {"model": args.model, "via": via, "n": int(probs.shape[0]),
               "shape": list(probs.shape), "out": args.out, "seconds": round(seconds, 3)}
    if args.idx_labels:
        labels = mnist_idx.read_idx(args.idx_labels, args.limit)
        summary["accuracy"] = float(np.mean(np.argmax(probs, axis=1) == labels))
    print(json.dumps(summary))
    return 0


def _shape(s):
    """Keras shapes are tuples (or lists of tuples); make them JSON lists."""
    if isinstance(s, (list, tuple)) and s and isinstance(s[0], (list, tuple)):
        return [_shape(x) for x in s]
    return list(s) if isinstance(s, (list, tuple)) else s


def _spec(t):
    return {"shape": t.shape.as_list(), "dtype": t.dtype.name}


def cmd_describe(args) -> int:
    kind = model_kind(args.model)
    if kind == "keras":
        import keras
        model = keras.models.load_model(args.model)
        layers = []
        for layer in model.layers:
            try:
                out_shape = _shape(layer.output.shape)
            except Exception:  # pragma: no cover - layer never called
                out_shape = None
            layers.append({"class_name": layer.__class__.__name__, "name": layer.name,
                           "output_shape": out_shape, "params": int(layer.count_params())})
        info = {
            "model": args.model, "kind": kind, "keras_version": keras.__version__,
            "class_name": model.__class__.__name__, "name": model.name,
            "input_shape": _shape(model.inputs[0].shape) if model.inputs else None,
            "layers": layers,
            "total_params": int(model.count_params()),
            "trainable_params": int(sum(np.prod(w.shape) for w in model.trainable_weights)),
            "optimizer": (model.optimizer.__class__.__name__
                          if getattr(model, "optimizer", None) is not None else None),
        }
    else:
        import tensorflow as tf
        loaded = tf.saved_model.load(args.model)
        sigs = {}
        for key, sig in loaded.signatures.items():
            _, kwargs = sig.structured_input_signature
            sigs[key] = {
                "inputs": {k: _spec(v) for k, v in kwargs.items()},
                "outputs": {k: _spec(v) for k, v in sig.structured_outputs.items()},
            }
        n_vars = sum(int(np.prod(v.shape)) for v in getattr(loaded, "variables", []))
        info = {"model": args.model, "kind": kind, "tensorflow_version": tf.__version__,
                "signatures": sigs, "total_params": n_vars}
    print(json.dumps(info, indent=None if args.compact else 2))
    return 0


def cmd_fit(args) -> int:
    if model_kind(args.model) != "keras":
        raise SystemExit("fit needs a .keras or .h5 model")
    import keras
    if args.seed is not None:
        keras.utils.set_random_seed(args.seed)
    (x_train, y_train), (x_test, y_test) = mnist_idx.load_mnist(args.data, limit=args.limit)
    model = keras.models.load_model(args.model)
    if args.compile:
        model.compile(loss="categorical_crossentropy", optimizer=keras.optimizers.Adam(),
                      metrics=["accuracy"])
    if getattr(model, "optimizer", None) is None or not model.compiled:
        raise SystemExit(f"{args.model}: model was saved without compile config"
                         " (use --compile)")
    t0 = time.perf_counter()
    hist = model.fit(x_train, y_train, epochs=args.epochs, batch_size=args.batch_size,
                     verbose=0)
    seconds = time.perf_counter() - t0
    loss, acc = model.evaluate(x_test, y_test, verbose=0)[:2]
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    model.save(args.out)
    print(json.dumps({
        "model": args.model, "out": args.out, "epochs": args.epochs,
        "train_samples": int(x_train.shape[0]),
        "optimizer_iterations": int(model.optimizer.iterations.numpy()),
        "history": {k: [float(v) for v in vals] for k, vals in hist.history.items()},
        "test_loss": float(loss), "test_accuracy": float(acc),
        "seconds": round(seconds, 3),
    }))
    return 0


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                epilog=__doc__.split("\n\n", 1)[1],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)

    pp = sub.add_parser("predict", help="write softmax probabilities as .npy")
    pp.add_argument("--model", required=True, help=".keras, .h5 or SavedModel directory")
    pp.add_argument("--idx-images", required=True, help="IDX image file (raw or .gz)")
    pp.add_argument("--idx-labels", help="optional IDX label file: also report accuracy")
    pp.add_argument("--limit", type=int, default=None, help="first N images only")
    pp.add_argument("--via", choices=("keras", "signature", "tfsm"), default=None,
                    help="loader: keras (load_model; default for files), signature "
                         "(tf.saved_model.load(...).signatures['serving_default']; default "
                         "for SavedModel dirs) or tfsm (keras.layers.TFSMLayer)")
    pp.add_argument("--batch-size", type=int, default=1000, help="inference batch size")
    pp.add_argument("--out", required=True, help="output .npy path")
    pp.set_defaults(func=cmd_predict)

    pd = sub.add_parser("describe", help="print JSON description of a model")
    pd.add_argument("--model", required=True, help=".keras, .h5 or SavedModel directory")
    pd.add_argument("--compact", action="store_true", help="single-line JSON")
    pd.set_defaults(func=cmd_describe)

    pf = sub.add_parser("fit", help="continue training a .keras/.h5 model and save it")
    pf.add_argument("--model", required=True, help="input .keras or .h5 model")
    pf.add_argument("--epochs", type=int, default=1, help="epochs (default 1)")
    pf.add_argument("--data", default=str(mnist_idx.DEFAULT_DATA_DIR),
                    help="MNIST IDX folder (default: %(default)s)")
    pf.add_argument("--limit", type=int, default=None, help="first N training images only")
    pf.add_argument("--batch-size", type=int, default=200, help="batch size (default 200)")
    pf.add_argument("--seed", type=int, default=None, help="keras.utils.set_random_seed")
    pf.add_argument("--out", required=True, help="output model path (.keras or .h5)")
    pf.add_argument("--compile", action="store_true",
                    help="compile with the seed recipe (Adam, categorical_crossentropy) first;"
                         " needed for models saved uncompiled (e.g. by mnist-cnn)")
    pf.set_defaults(func=cmd_fit)
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
