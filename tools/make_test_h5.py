"""Writes hostile legacy Keras .h5 files for the parser tests, from a real Keras .h5 of the seed
CNN.

Usage: python tools/make_test_h5.py OUT_DIR

soft-link-loop.h5   a weight that is a soft link to a soft link back to it
external-link.h5    a weight that is an external link to /etc/passwd
outside-link.h5     a weight that is a soft link to a path that is not in the file
dense-1000000.h5    model_config asks for Dense(1000000)
units-2^32+10.h5    model_config says units: 4294967306 (10 when truncated to 32 bits)
units-2^40.h5       model_config says units: 1099511627776 (0 when truncated)

Prints one JSON line: file name -> path, and the weight path that was replaced.
"""

import json
import os
import shutil
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import h5py  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from keras_seed import build_model  # noqa: E402


def first_weight(f):
    """The path of the first weight dataset, as layer_names/weight_names name it."""
    group = f["model_weights"]
    for layer in group.attrs["layer_names"]:
        layer = layer.decode() if isinstance(layer, bytes) else layer
        names = group[layer].attrs.get("weight_names", [])
        if len(names):
            name = names[0].decode() if isinstance(names[0], bytes) else names[0]
            return f"/model_weights/{layer}/{name}"
    raise SystemExit("no weights in the file")


def with_link(base, out, make_link):
    shutil.copy(base, out)
    with h5py.File(out, "r+") as f:
        path = first_weight(f)
        del f[path]
        make_link(f, path)
    return path


def with_units(base, out, units):
    shutil.copy(base, out)
    with h5py.File(out, "r+") as f:
        config = json.loads(f.attrs["model_config"])
        for layer in config["config"]["layers"]:
            if layer["class_name"] == "Dense":
                layer["config"]["units"] = units
                break
        f.attrs["model_config"] = json.dumps(config)


def main(argv):
    out = argv[1]
    os.makedirs(out, exist_ok=True)
    base = os.path.join(out, "seed.h5")
    build_model().save(base)
    files = {"seed.h5": base}

    def path(name):
        files[name] = os.path.join(out, name)
        return files[name]

    def loop(f, p):
        f[p] = h5py.SoftLink(p + "_loop")
        f[p + "_loop"] = h5py.SoftLink(p)

    files["weight"] = with_link(base, path("soft-link-loop.h5"), loop)
    external = h5py.ExternalLink("/etc/passwd", "/")
    with_link(base, path("external-link.h5"), lambda f, p: f.__setitem__(p, external))
    outside = h5py.SoftLink("/no/such/dataset")
    with_link(base, path("outside-link.h5"), lambda f, p: f.__setitem__(p, outside))
    with_units(base, path("dense-1000000.h5"), 1000000)
    with_units(base, path("units-2^32+10.h5"), 2**32 + 10)
    with_units(base, path("units-2^40.h5"), 2**40)
    print(json.dumps(files))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
