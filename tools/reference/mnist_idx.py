"""Minimal reader for the raw MNIST IDX files (no downloads, numpy only).

The IDX format (http://yann.lecun.com/exdb/mnist/) is a big-endian header
``00 00 <dtype> <ndim>`` followed by ``ndim`` uint32 dimension sizes and the
raw data.  MNIST uses dtype 0x08 (unsigned byte): images are
``[N, 28, 28]`` (magic 0x00000803) and labels ``[N]`` (magic 0x00000801).

Files may be stored raw or gzip-compressed (``.gz``); :func:`find_idx` accepts
either spelling, so ``train-images-idx3-ubyte`` resolves to
``train-images-idx3-ubyte.gz`` when only the compressed file exists.

Shared by the scripts in tools/reference, tools/fixtures and tools/bench.
"""
from __future__ import annotations

import gzip
import os
from pathlib import Path

import numpy as np

#: Default data folder: ``<repo root>/mnist-data`` (the repo root is the
#: parent of this ``tools/`` folder).
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "mnist-data"

TRAIN_IMAGES = "train-images-idx3-ubyte"
TRAIN_LABELS = "train-labels-idx1-ubyte"
TEST_IMAGES = "t10k-images-idx3-ubyte"
TEST_LABELS = "t10k-labels-idx1-ubyte"

# IDX type code -> numpy big-endian dtype
_IDX_DTYPES = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}


def find_idx(data_dir: os.PathLike | str, name: str) -> Path:
    """Return the path of IDX file ``name`` in ``data_dir`` (raw or ``.gz``)."""
    d = Path(data_dir)
    for candidate in (d / name, d / (name + ".gz")):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"{name}[.gz] not found in {d}")


def read_idx(path: os.PathLike | str, limit: int | None = None) -> np.ndarray:
    """Read an IDX file (raw or gzip) into a numpy array in native byte order.

    ``limit`` keeps only the first ``limit`` items along axis 0.
    """
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        data = f.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0:
        raise ValueError(f"{path}: not an IDX file (bad magic {data[:4].hex()})")
    dtype = _IDX_DTYPES.get(data[2])
    if dtype is None:
        raise ValueError(f"{path}: unknown IDX type code 0x{data[2]:02x}")
    ndim = data[3]
    dims = tuple(int(x) for x in np.frombuffer(data, ">u4", ndim, offset=4))
    offset = 4 + 4 * ndim
    count = int(np.prod(dims)) if dims else 1
    if len(data) - offset < count * dtype.itemsize:
        raise ValueError(f"{path}: truncated, header says {dims}")
    arr = np.frombuffer(data, dtype, count, offset=offset).reshape(dims)
    if limit is not None:
        arr = arr[:limit]
    return arr.astype(dtype.newbyteorder("="))


def images_to_float(images: np.ndarray) -> np.ndarray:
    """uint8 ``[N,28,28]`` -> float32 ``[N,28,28,1]`` scaled to [0, 1] (channels last)."""
    return (images.astype(np.float32) / 255.0)[..., np.newaxis]


def one_hot(labels: np.ndarray, num_classes: int = 10) -> np.ndarray:
    """int labels ``[N]`` -> float32 one-hot ``[N, num_classes]``."""
    out = np.zeros((labels.shape[0], num_classes), dtype=np.float32)
    out[np.arange(labels.shape[0]), labels.astype(np.int64)] = 1.0
    return out


def load_mnist(data_dir: os.PathLike | str = DEFAULT_DATA_DIR,
               limit: int | None = None,
               test_limit: int | None = None):
    """Load MNIST as ``(x_train, y_train), (x_test, y_test)``.

    x: float32 ``[N,28,28,1]`` in [0,1]; y: float32 one-hot ``[N,10]``.
    ``limit`` keeps the first N training images, ``test_limit`` the first N
    test images.
    """
    x_train = images_to_float(read_idx(find_idx(data_dir, TRAIN_IMAGES), limit))
    y_train = one_hot(read_idx(find_idx(data_dir, TRAIN_LABELS), limit))
    x_test = images_to_float(read_idx(find_idx(data_dir, TEST_IMAGES), test_limit))
    y_test = one_hot(read_idx(find_idx(data_dir, TEST_LABELS), test_limit))
    return (x_train, y_train), (x_test, y_test)
