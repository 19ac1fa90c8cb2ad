"""tools/bench.py really runs every training peer (the smoke mode CI runs) and fails loudly.

Each test launches real processes: our jar, Keras on TensorFlow, Keras on JAX, Deeplearning4j,
on real MNIST subsets. Needs `bash tools/setup.sh` (jar, venvs, DL4J module).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

TOOLS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, TOOLS)
from benchkit import contenders, flops, machine  # noqa: E402

BENCH = [sys.executable, os.path.join(TOOLS, "bench.py")]


def _bench(*args, env=None, timeout=900):
    return subprocess.run(BENCH + list(args), capture_output=True, text=True, timeout=timeout,
                          env=dict(os.environ, **(env or {})))


def test_smoke_trains_every_contender_and_writes_report(tmp_path):
    output = tmp_path / "benchmarks.md"
    proc = _bench("--smoke", "--output", str(output))
    assert proc.returncode == 0, proc.stderr + proc.stdout

    text = output.read_text()
    png = (tmp_path / "benchmarks" / "peers.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000
    assert "![training images/s per contender](benchmarks/peers.png)" in text
    result = json.loads((tmp_path / "benchmarks" / "peers.json").read_text())
    by_key = {r["key"]: r for r in result["contenders"]}
    assert set(by_key) == {c.key for c in contenders.ALL}
    bf16 = machine.has_bf16()
    for contender in contenders.ALL:
        record = by_key[contender.key]
        assert contender.label in text
        if contender.key.endswith("-bf16") and not bf16:
            assert record["unavailable"] == contenders.NOT_ON_THIS_CPU
            assert f"| {contender.label} | {contenders.NOT_ON_THIS_CPU} |" in text
            continue
        if contender.key == "jar-bf16" and record["unavailable"]:
            continue  # a jar without --precision: recorded, not run
        (run,) = record["runs"]
        assert run["train_samples"] == 1000
        # Really trained: one epoch on 1,000 images is far above chance (10%) on the test set.
        assert run["test_accuracy"] > 0.3, (contender.key, run)
        assert run["peak_rss_mib"] > 50
        summary = record["summary"]
        assert f"| {contender.label} | {summary['images_per_s']:,.0f} |" in text
    assert result["peak"]["float32"]["gflops_best"] > 0
    assert "Smoke run" in text and "## Machine and versions" in text


def test_crashing_contender_fails_the_run(tmp_path):
    output = tmp_path / "benchmarks.md"
    # A JVM that cannot start: the jar contender exits non-zero, so must the benchmark.
    proc = _bench("--smoke", "--only", "jar", "--output", str(output),
                  env={"JAVA_OPTS": "-Xmx1k"})
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: exit status 1: java -Xmx1k -jar ")
    assert "Traceback" not in proc.stderr
    assert not output.exists()


def test_unknown_contender_is_one_line_error(tmp_path):
    proc = _bench("--only", "jar,nope", "--output", str(tmp_path / "b.md"))
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        "error: unknown contender(s) nope; known: dl4j, jar, jar-bf16, jax, keras, keras-bf16"]


def test_seed_cnn_flops_from_layer_shapes():
    # 24x24x32 outputs of a 5x5x1 conv, 10x10x64 of a 3x3x32 conv, 1600->128, 128->10.
    conv1, conv2 = 2 * 24 * 24 * 32 * 25, 2 * 10 * 10 * 64 * 9 * 32
    dense = 2 * 1600 * 128 + 2 * 128 * 10
    assert flops.forward_flops() == conv1 + conv2 + dense == 5_020_160
    assert flops.training_flops() == 3 * (conv1 + conv2 + dense) - conv1 == 14_138_880
