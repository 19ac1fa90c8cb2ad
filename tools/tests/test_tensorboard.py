"""`train --logdir`: the jar's TensorBoard event files, read back with TensorBoard's own reader.

Trains the real CNN on 2,000 real MNIST images for 2 epochs (about 15 s) and checks the event
files against what the run recorded in its provenance.json and its SavedModel's variables.

Run:  tools/.venv/bin/python -m pytest -q tools/tests/test_tensorboard.py
"""
from __future__ import annotations

import json
import os
import subprocess

import numpy as np
import pytest
from tensorboard.backend.event_processing import event_accumulator as ea

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
JAR = os.path.join(ROOT, "target", "mnist-cnn.jar")
LIMIT, EPOCHS, BATCH = 2000, 2, 200
STEPS = LIMIT // BATCH
WEIGHTS = ["conv2d/kernel", "conv2d/bias", "conv2d_1/kernel", "conv2d_1/bias",
           "dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias"]


def jar(*args: str) -> subprocess.CompletedProcess:
    assert os.path.isfile(JAR), "build the jar first: bash tools/setup.sh"
    return subprocess.run(["java", "-jar", JAR, *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}, timeout=600)


def read_run(path: str) -> ea.EventAccumulator:
    everything = {ea.SCALARS: 0, ea.HISTOGRAMS: 0, ea.TENSORS: 0}
    acc = ea.EventAccumulator(path, size_guidance=everything)
    acc.Reload()
    return acc


def scalars(acc: ea.EventAccumulator, tag: str) -> list[tuple[int, float]]:
    return [(e.step, e.value) for e in acc.Scalars(tag)]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("tensorboard")
    logdir, model = tmp / "logs", tmp / "model"
    logdir.mkdir()
    (logdir / "notes.txt").write_text("the user's own file")
    proc = jar("train", "--limit", str(LIMIT), "--epochs", str(EPOCHS), "--seed", "3",
               "--logdir", str(logdir), "--output", str(model))
    assert proc.returncode == 0, proc.stderr
    history = json.loads((model / "provenance.json").read_text())["results"]["history"]
    return logdir, model, history


def test_epoch_scalars_equal_the_provenance_history(run):
    logdir, _, history = run
    assert len(history) == EPOCHS
    train, validation = read_run(str(logdir / "train")), read_run(str(logdir / "validation"))
    # Keras's layout and tags: epoch steps count from 0; float32 in the event files.
    expected = {
        (train, "epoch_loss"): [h["loss"] for h in history],
        (train, "epoch_accuracy"): [h["accuracy"] for h in history],
        (validation, "epoch_loss"): [h["valLoss"] for h in history],
        (validation, "epoch_accuracy"): [h["valAccuracy"] for h in history],
    }
    for (acc, tag), values in expected.items():
        got = scalars(acc, tag)
        assert [s for s, _ in got] == list(range(EPOCHS)), tag
        assert [v for _, v in got] == pytest.approx(values, rel=1e-6, abs=1e-7), tag
    vs_steps = scalars(validation, "evaluation_loss_vs_iterations")
    assert [s for s, _ in vs_steps] == [STEPS * (e + 1) for e in range(EPOCHS)]
    assert [v for _, v in vs_steps] == pytest.approx([h["valLoss"] for h in history], rel=1e-6)


def test_step_scalars_run_through_each_epoch(run):
    logdir, _, history = run
    train = read_run(str(logdir / "train"))
    for tag, key in (("batch_loss", "loss"), ("batch_accuracy", "accuracy")):
        got = scalars(train, tag)
        assert [s for s, _ in got] == list(range(1, STEPS * EPOCHS + 1)), tag
        # The running mean after an epoch's last step is the epoch's figure.
        last_of_epoch = [got[STEPS * (e + 1) - 1][1] for e in range(EPOCHS)]
        assert last_of_epoch == pytest.approx([h[key] for h in history], rel=1e-6), tag
    losses = [v for _, v in scalars(train, "batch_loss")]
    assert losses[-1] < losses[0], "training lowers the loss"


def test_histograms_hold_every_weight_as_trained(run):
    logdir, model, _ = run
    import tensorflow as tf

    train = read_run(str(logdir / "train"))
    assert sorted(train.Tags()["histograms"]) == sorted(WEIGHTS)
    checkpoint = tf.train.load_checkpoint(str(model / "variables" / "variables"))
    for tag in WEIGHTS:
        events = train.Histograms(tag)
        assert [e.step for e in events] == list(range(EPOCHS)), tag
        # After the last epoch the histogram describes exactly the exported weights.
        exported = checkpoint.get_tensor(tag.replace("/", "."))
        h = events[-1].histogram_value
        assert h.num == exported.size, tag
        assert h.min == pytest.approx(float(np.min(exported)), abs=1e-7), tag
        assert h.max == pytest.approx(float(np.max(exported)), abs=1e-7), tag
        assert h.sum == pytest.approx(float(np.sum(exported.astype(np.float64))), abs=1e-3), tag
    # Kernels move between epochs (biases of a dead unit may not).
    first, last = train.Histograms("dense/kernel")[0], train.Histograms("dense/kernel")[-1]
    assert first.histogram_value.sum_squares != last.histogram_value.sum_squares


def test_graph_is_the_training_graph(run):
    logdir, _, _ = run
    train = read_run(str(logdir / "train"))
    assert train.Tags()["graph"]
    ops = {node.op for node in train.Graph().node}
    assert {"Conv2D", "MaxPool", "MatMul", "SoftmaxCrossEntropyWithLogits"} <= ops
    assert any("Adam" in op for op in ops), sorted(ops)
    assert not read_run(str(logdir / "validation")).Tags()["graph"]


def test_logdir_keeps_what_was_there(run):
    logdir, _, _ = run
    assert (logdir / "notes.txt").read_text() == "the user's own file"
    events = [n for n in os.listdir(logdir / "train") if n.startswith("events.out.tfevents.")]
    assert len(events) == 1 and events[0].endswith(".v2")


def test_logdir_that_is_a_file_is_refused_in_one_line(tmp_path):
    not_a_dir = tmp_path / "logs"
    not_a_dir.write_text("keep me")
    proc = jar("train", "--limit", "200", "--epochs", "1", "--logdir", str(not_a_dir),
               "--output", str(tmp_path / "model"))
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    # Checked with every other output before training starts (cli/TrainOutputs).
    assert lines == [f"error: --logdir {not_a_dir} is not a folder"], proc.stderr
    assert "Training on" not in proc.stdout
    assert "Exception" not in proc.stderr and "\tat " not in proc.stderr
    assert not_a_dir.read_text() == "keep me"
    assert not (tmp_path / "model").exists()
