"""Writes the seed corpora of the Jazzer fuzz tests (committed under src/test/resources).

Usage: tools/.venv/bin/python tools/fuzz/make_fuzz_seeds.py   (from the repository root)

Small, valid inputs of each parser, so that mutations start from something that parses: IDX
files (raw and gzip), Keras model configs, tiny .keras and .h5 models written by Keras itself,
images in each accepted format, and TF Serving predict bodies.
"""

import gzip
import io
import json
import os
import shutil
import struct
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

ROOT = "src/test/resources/dev/mnistcnn"


def corpus(package, test_class, method):
    d = os.path.join(ROOT, package, test_class + "Inputs", method)
    os.makedirs(d, exist_ok=True)
    return d


def write(d, name, data):
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def idx(dims, data):
    header = struct.pack(">BBBB", 0, 0, 8, len(dims))
    return header + struct.pack(">" + "I" * len(dims), *dims) + data


def tiny_model():
    return keras.Sequential(
        [
            keras.Input((6, 6, 1)),
            keras.layers.Conv2D(2, 3, activation="relu"),
            keras.layers.MaxPooling2D(),
            keras.layers.Flatten(),
            keras.layers.Dropout(0.5),
            keras.layers.Dense(3, activation="softmax"),
        ]
    )


def digit(fmt, mode):
    image = Image.new(mode, (28, 28), "white")
    ImageDraw.Draw(image).line([(14, 4), (14, 24)], fill="black", width=3)
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def main():
    d = corpus("data", "IdxReaderFuzzTest", "idxFile")
    images = idx([2, 3, 3], bytes(range(18)))
    write(d, "images-raw", images)
    write(d, "images-gz", gzip.compress(images, mtime=0))
    write(d, "labels-raw", idx([4], bytes([5, 0, 4, 1])))

    model = tiny_model()
    d = corpus("keras", "KerasConfigFuzzTest", "modelConfig")
    write(d, "keras3.json", json.dumps(model.get_config() | {}).encode())
    wrapped = {"class_name": "Sequential", "config": model.get_config()}
    write(d, "keras3-wrapped.json", json.dumps(wrapped).encode())

    d = corpus("keras", "KerasFilesFuzzTest", "kerasArchive")
    path = os.path.join(d, "tiny.keras")
    model.save(path)
    d = corpus("keras", "KerasFilesFuzzTest", "legacyH5")
    model.save(os.path.join(d, "tiny.h5"))

    d = corpus("io", "SavedModelGuardFuzzTest", "savedModelPb")
    shutil.copy("saved_model/saved_model.pb", os.path.join(d, "shipped.pb"))
    with tempfile.TemporaryDirectory() as tmp:
        model.export(os.path.join(tmp, "export"), verbose=False)
        exported = os.path.join(tmp, "export", "saved_model.pb")
        shutil.copy(exported, os.path.join(d, "keras-export.pb"))

    d = corpus("inference", "ImageDecoderFuzzTest", "imageBytes")
    write(d, "digit.png", digit("PNG", "L"))
    write(d, "digit-rgba.png", digit("PNG", "RGBA"))
    write(d, "digit.jpg", digit("JPEG", "RGB"))
    write(d, "digit.gif", digit("GIF", "P"))
    write(d, "digit.bmp", digit("BMP", "RGB"))

    d = corpus("serve", "TfServingCodecFuzzTest", "predictBody")
    row = [[[0.0] for _ in range(28)] for _ in range(28)]
    write(d, "instances.json", json.dumps({"instances": [row]}).encode())
    flat = {"instances": [[0.5] * 784], "signature_name": "serving_default"}
    write(d, "instances-flat.json", json.dumps(flat).encode())
    write(d, "inputs.json", json.dumps({"inputs": {"x": [row, row]}}).encode())
    write(d, "named.json", json.dumps({"instances": [{"x": [[0] * 28] * 28}]}).encode())
    print(json.dumps({"written": ROOT}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
