#!/usr/bin/env python3
"""The seed MNIST CNN in PyTorch on the CPU, a training peer of tools/bench/bench.py.

The recipe of tools/reference/keras_seed.py, layer for layer::

    Conv2d(1->32, 5x5) relu -> MaxPool 2 -> Conv2d(32->64, 3x3) relu -> MaxPool 2
    -> Flatten -> Linear(1600->128) relu -> Linear(128->10) (softmax in the loss)

225,546 parameters, Keras's glorot_uniform weights and zero biases, Adam (lr 1e-3, betas
0.9/0.999, epsilon 1e-7 as Keras), categorical cross-entropy (``CrossEntropyLoss`` on the logits:
softmax and cross-entropy in one, the same maths), batch 200, the training set shuffled each
epoch from ``--seed``, pixels / 255, NCHW (PyTorch's layout). Every epoch ends with a pass over
the 10,000 test images, included in its time, as Keras's ``validation_data`` is.

Reads the raw MNIST IDX files (raw or .gz) in ``--data`` with mnist_idx.py beside it; nothing is
downloaded. With ``--json`` it ends with one JSON line with the keys of ``keras_seed.py --json``
(epoch_seconds, test_accuracy, train_samples, ...).

Installed by ``bash tools/setup.sh --peers`` into tools/.venv-torch::

    tools/.venv-torch/bin/python tools/reference/torch_seed.py --epochs 1 --limit 2000 --json

OpenMP threads wait by spinning unless ``OMP_WAIT_POLICY=PASSIVE``: on a shared machine that
costs several times the step time (tools/bench/bench.py sets it).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mnist_idx  # noqa: E402

PARAMS = 225_546


def build_model():
    import torch
    from torch import nn

    model = nn.Sequential(
        nn.Conv2d(1, 32, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(1600, 128), nn.ReLU(),
        nn.Linear(128, 10),
    )
    for layer in model:
        if isinstance(layer, (nn.Conv2d, nn.Linear)):
            glorot_uniform_(layer.weight)
            nn.init.zeros_(layer.bias)
    count = sum(p.numel() for p in model.parameters())
    if count != PARAMS:
        raise ValueError(f"the PyTorch model has {count} parameters, the seed CNN {PARAMS}")
    return model, torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)


def glorot_uniform_(weight):
    """Keras's glorot_uniform: U(-c, c), c = sqrt(6 / (fan_in + fan_out)), conv fans times kh*kw.

    PyTorch's weights are [out, in, kh, kw] (conv) and [out, in] (linear)."""
    import torch

    receptive = math.prod(weight.shape[2:])
    fan_in, fan_out = weight.shape[1] * receptive, weight.shape[0] * receptive
    limit = math.sqrt(6.0 / (fan_in + fan_out))
    with torch.no_grad():
        return weight.uniform_(-limit, limit)


def load(data_dir, limit):
    """(x_train, y_train), (x_test, y_test) as tensors: float32 [N,1,28,28] / 255, int64 labels."""
    import torch

    def images(name, n):
        raw = mnist_idx.read_idx(mnist_idx.find_idx(data_dir, name), n)
        return torch.from_numpy(raw).float().div_(255.0).unsqueeze(1).contiguous()

    def labels(name, n):
        return torch.from_numpy(mnist_idx.read_idx(mnist_idx.find_idx(data_dir, name), n)).long()

    return ((images(mnist_idx.TRAIN_IMAGES, limit), labels(mnist_idx.TRAIN_LABELS, limit)),
            (images(mnist_idx.TEST_IMAGES, None), labels(mnist_idx.TEST_LABELS, None)))


def evaluate(model, x, y, batch):
    """Test-set loss (mean cross-entropy) and accuracy, inference mode, in batches of `batch`
    (Keras validates at the training batch size too; larger batches were slower here)."""
    import torch
    from torch.nn import functional

    model.eval()
    loss, correct = 0.0, 0
    with torch.no_grad():
        for i in range(0, x.shape[0], batch):
            logits = model(x[i:i + batch])
            target = y[i:i + batch]
            loss += functional.cross_entropy(logits, target, reduction="sum").item()
            correct += (logits.argmax(1) == target).sum().item()
    model.train()
    return loss / x.shape[0], correct / x.shape[0]


def train(args):
    import torch
    from torch.nn import functional

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    shuffle = torch.Generator().manual_seed(args.seed)
    (x_train, y_train), (x_test, y_test) = load(args.data, args.limit)
    model, adam = build_model()
    n = x_train.shape[0]
    history = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}
    seconds = []
    t0 = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        start = time.perf_counter()
        order = torch.randperm(n, generator=shuffle)
        loss_sum, correct = 0.0, 0
        for i in range(0, n, args.batch_size):
            index = order[i:i + args.batch_size]
            x, y = x_train[index], y_train[index]
            logits = model(x)
            loss = functional.cross_entropy(logits, y)
            adam.zero_grad(set_to_none=True)
            loss.backward()
            adam.step()
            loss_sum += loss.item() * x.shape[0]
            correct += (logits.argmax(1) == y).sum().item()
        val_loss, val_accuracy = evaluate(model, x_test, y_test, args.batch_size)
        seconds.append(time.perf_counter() - start)
        for key, value in (("loss", loss_sum / n), ("accuracy", correct / n),
                           ("val_loss", val_loss), ("val_accuracy", val_accuracy)):
            history[key].append(value)
        print(f"Epoch {epoch}/{args.epochs} - {seconds[-1]:.1f}s - loss: {loss_sum / n:.4f} - "
              f"accuracy: {correct / n:.4f} - val_loss: {val_loss:.4f} - "
              f"val_accuracy: {val_accuracy:.4f}", flush=True)
    train_seconds = time.perf_counter() - t0
    test_loss, test_accuracy = history["val_loss"][-1], history["val_accuracy"][-1]
    print("CNN Error: %.2f%%" % (100 - test_accuracy * 100))
    if args.json:
        print(json.dumps({
            "framework": "pytorch",
            "torch_version": torch.__version__,
            "backend": "cpu",
            "threads": torch.get_num_threads(),
            "train_samples": n,
            "test_samples": int(x_test.shape[0]),
            "epochs": args.epochs,
            "batch_size": args.batch_size,
            "seed": args.seed,
            "params": sum(p.numel() for p in model.parameters()),
            "test_loss": test_loss,
            "test_accuracy": test_accuracy,
            "error_percent": round(100 - test_accuracy * 100, 4),
            "history": history,
            "epoch_seconds": [round(s, 3) for s in seconds],
            "train_seconds": round(train_seconds, 3),
        }))


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", default=str(mnist_idx.DEFAULT_DATA_DIR),
                   help="folder with the four MNIST IDX files (raw or .gz); default: %(default)s")
    p.add_argument("--epochs", type=int, default=10, help="training epochs (default 10)")
    p.add_argument("--batch-size", type=int, default=200, help="batch size (default 200)")
    p.add_argument("--limit", type=int, default=None,
                   help="use only the first N training images (default: all 60000)")
    p.add_argument("--seed", type=int, default=42, help="initial weights and shuffling")
    p.add_argument("--threads", type=int, default=os.cpu_count() or 1,
                   help="intra-op threads (default: one per core)")
    p.add_argument("--json", action="store_true",
                   help="print a final JSON line with accuracy/loss/seconds per epoch")
    args = p.parse_args(argv)
    if args.epochs < 1 or args.batch_size < 1 or args.threads < 1 or (
            args.limit is not None and args.limit < 1):
        p.error("--epochs, --batch-size, --threads and --limit must be positive")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        train(args)
    except (OSError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
