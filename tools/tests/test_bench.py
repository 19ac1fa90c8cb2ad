"""tools/bench/bench.py really runs every training peer (the smoke mode CI runs) and fails loudly.

The smoke test launches real processes: our jar, Keras on TensorFlow, and each peer of
`bash tools/setup.sh --peers` that is installed (Keras on JAX, PyTorch, DJL, Deeplearning4j), on
real MNIST subsets; a peer not installed must be recorded as such, with the command that installs
it. Needs `bash tools/setup.sh` (jar, venv). The other tests check the contenders' settings, the
version probes and the per-CPU-family report without training.
"""
from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest

TOOLS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOOLS, "bench"))
from benchkit import contenders, flops, machine, paths, report, runs  # noqa: E402

# The contenders that only `tools/setup.sh --peers` installs.
PEERS_ONLY = {"jax", "torch", "djl", "dl4j"}

BENCH = [sys.executable, os.path.join(TOOLS, "bench", "bench.py")]


def _bench(*args, env=None, timeout=900):
    return subprocess.run(BENCH + list(args), capture_output=True, text=True, timeout=timeout,
                          env=dict(os.environ, **(env or {})))


def test_smoke_trains_every_contender_and_writes_report(tmp_path):
    output = tmp_path / "benchmarks.md"
    proc = _bench("--smoke", "--output", str(output))
    assert proc.returncode == 0, proc.stderr + proc.stdout

    text = output.read_text()
    family, slug = machine.cpu_family()
    png = (tmp_path / "benchmarks" / f"peers-{slug}.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000
    assert f"![training images/s per contender, {family}](benchmarks/peers-{slug}.png)" in text
    result = json.loads((tmp_path / "benchmarks" / f"peers-{slug}.json").read_text())
    by_key = {r["key"]: r for r in result["contenders"]}
    assert set(by_key) == {c.key for c in contenders.ALL}
    bf16 = machine.has_bf16()
    for contender in contenders.ALL:
        record = by_key[contender.key]
        assert contender.label in text
        if contender.key in PEERS_ONLY and record["unavailable"]:
            assert contenders.PEERS_SETUP in record["unavailable"], record
            assert f"| {contender.label} | {record['unavailable']} |" in text
            continue
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
        "error: unknown contender(s) nope; known: djl, dl4j, jar, jar-bf16, jax, keras, keras-bf16,"
        " keras-tfdefault, keras-xla, torch"]


def test_seed_cnn_flops_from_layer_shapes():
    # 24x24x32 outputs of a 5x5x1 conv, 10x10x64 of a 3x3x32 conv, 1600->128, 128->10.
    conv1, conv2 = 2 * 24 * 24 * 32 * 25, 2 * 10 * 10 * 64 * 9 * 32
    dense = 2 * 1600 * 128 + 2 * 128 * 10
    assert flops.forward_flops() == conv1 + conv2 + dense == 5_020_160
    assert flops.training_flops() == 3 * (conv1 + conv2 + dense) - conv1 == 14_138_880


def _command(key, **kwargs):
    (contender,) = [c for c in contenders.ALL if c.key == key]
    return contender.command(3, 2000, 1, 200, "/tmp/w")


def test_tensorflow_contenders_run_with_onednn_on_and_tfdefault_unsets_it():
    for key in ("jar", "jar-bf16", "keras", "keras-bf16", "keras-xla"):
        _, env = _command(key)
        assert env["TF_ENABLE_ONEDNN_OPTS"] == "1", key
    argv, _ = _command("keras-xla")
    assert "--jit-compile" in argv and "--jit-compile" not in _command("keras")[0]
    _, env = _command("keras-tfdefault")
    assert "TF_ENABLE_ONEDNN_OPTS" in env and env["TF_ENABLE_ONEDNN_OPTS"] is None
    (tfdefault,) = [c for c in contenders.ALL if c.key == "keras-tfdefault"]
    assert tfdefault.label.endswith("(TensorFlow default oneDNN setting)")
    assert tfdefault.not_comparable
    assert tfdefault.display_command(3, 0, 1, 200).startswith("env -u TF_ENABLE_ONEDNN_OPTS ")


def test_unset_variable_really_leaves_the_child_environment(monkeypatch):
    monkeypatch.setenv("TF_ENABLE_ONEDNN_OPTS", "1")
    probe = [sys.executable, "-c", "import os; print(os.environ.get('TF_ENABLE_ONEDNN_OPTS'))"]
    stdout, _, _ = runs.run(probe, env={"TF_ENABLE_ONEDNN_OPTS": None})
    assert stdout.strip() == "None"
    stdout, _, _ = runs.run(probe, env={"TF_ENABLE_ONEDNN_OPTS": "1"})
    assert stdout.strip() == "1"


def test_jar_says_its_precision():
    argv, env = _command("jar")
    assert argv[argv.index("--precision") + 1] == "fp32"  # auto would pick bf16 on AMX CPUs
    # Every variable the launcher would set is set: the measured JVM is the trainer itself.
    assert env["TF_CPP_MIN_LOG_LEVEL"] == "2" and env["TF_OVERRIDE_GLOBAL_THREADPOOL"] == "1"
    argv, _ = _command("jar-bf16")
    assert argv[argv.index("--precision") + 1] == "bf16"


def test_openmp_peers_wait_passively_on_every_core_unless_asked():
    threads = str(os.cpu_count())
    for key in ("torch", "djl", "dl4j"):
        argv, env = _command(key)
        assert env["OMP_WAIT_POLICY"] == "PASSIVE", key
        assert env["OMP_NUM_THREADS"] == threads, key
    assert _command("torch")[0][:2] == [paths.TORCH_PYTHON, paths.TORCH_SEED]
    argv, _ = _command("djl")
    assert "-Dai.djl.offline=true" in argv and argv[argv.index("--threads") + 1] == threads
    try:
        contenders.set_omp_wait_policy("ACTIVE")
        assert _command("torch")[1]["OMP_WAIT_POLICY"] == "ACTIVE"
    finally:
        contenders.set_omp_wait_policy("PASSIVE")
    with pytest.raises(ValueError):
        contenders.set_omp_wait_policy("SPIN")


def test_bench_rejects_an_unknown_wait_policy(tmp_path):
    proc = _bench("--omp-wait-policy", "SPIN", "--output", str(tmp_path / "b.md"))
    assert proc.returncode == 2 and "invalid choice: 'SPIN'" in proc.stderr


ONEDNN_NOTICE = ("oneDNN custom operations are on. You may see slightly different numerical "
                 "results due to floating-point round-off errors from different computation "
                 "orders. To turn them off, set the environment variable "
                 "`TF_ENABLE_ONEDNN_OPTS=0`.")


def _fake_python(path, stdout_lines, stderr_lines=(ONEDNN_NOTICE,)):
    """An executable standing in for a venv's python: prints what it is told, whatever it runs."""
    body = "".join(f"echo '{line}'\n" for line in stdout_lines)
    body += "".join(f"echo '{line}' >&2\n" for line in stderr_lines)
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def test_versions_ignore_tensorflows_onednn_notice(tmp_path, monkeypatch):
    # TensorFlow prints its notice while importing; it used to be read as the versions
    # ("variable", "`TF_ENABLE_ONEDNN_OPTS=0`.").
    fake = _fake_python(tmp_path / "python", [ONEDNN_NOTICE, "bench-versions: 2.21.0 3.15.1",
                                              ONEDNN_NOTICE])
    monkeypatch.setattr(paths, "VENV_PYTHON", fake)
    monkeypatch.setattr(paths, "JAX_PYTHON", str(tmp_path / "absent"))
    monkeypatch.setattr(paths, "TORCH_PYTHON", _fake_python(tmp_path / "torch",
                                                            ["bench-versions: 2.15.0+cpu"]))
    v = machine.versions()
    assert (v["tensorflow_python"], v["keras"]) == ("2.21.0", "3.15.1")
    assert (v["jax"], v["keras_on_jax"], v["pytorch"]) == (None, None, "2.15.0+cpu")


def test_versions_without_the_marked_line_are_unknown_not_guessed(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "VENV_PYTHON", _fake_python(tmp_path / "python", [ONEDNN_NOTICE]))
    monkeypatch.setattr(paths, "JAX_PYTHON", str(tmp_path / "absent"))
    monkeypatch.setattr(paths, "TORCH_PYTHON", str(tmp_path / "absent"))
    v = machine.versions()
    assert (v["tensorflow_python"], v["keras"]) == (None, None)


def test_cpu_families_from_flags():
    assert machine.cpu_family({"avx2", "fma"}) == ("AVX2", "avx2")
    assert machine.cpu_family({"avx2", "avx512f"}) == ("AVX-512", "avx512")
    assert machine.cpu_family({"avx2", "avx512f", "avx512_bf16"}) == ("AVX-512+BF16",
                                                                      "avx512-bf16")
    assert machine.cpu_family({"avx512_bf16", "amx_bf16", "amx_tile"}) == ("AMX", "amx")
    assert machine.cpu_family({"avx2": True, "amx_bf16": False}) == ("AVX2", "avx2")
    assert machine.cpu_family(set())[1] == "other"


def _record(key, median, not_comparable=None, precision=None, label=None):
    return {"key": key, "label": label or f"label of {key}", "unavailable": None,
            "precision": precision or ("bf16" if key.endswith("-bf16") else "fp32"),
            "not_comparable": not_comparable, "command": f"run {key}",
            "runs": [{"round": 1, "epoch_seconds": [median + 1, median],
                      "test_accuracy": 0.98}],
            "summary": {"images_per_s": 60000 / median, "median_s": median,
                        "fastest_s": median, "gflops": 50.0, "test_accuracy_mean": 0.98,
                        "peak_rss_mib": 600}}


def _peers_result(cpu, flags, records, date="2026-12-06 10:00 UTC"):
    return {"machine": {"cpu": cpu, "cores": 2, "flags": flags, "memory_gib": 23.5,
                        "kernel": "6.1", "load_average_at_start": [0.1, 0.1, 0.1], "date": date,
                        "git_commit": "abc1234"},
            "versions": {"tensorflow_python": "2.21.0"}, "smoke": False,
            "command_line": "tools/bench/bench.py", "epochs": 2, "rounds": 1, "limit": 0,
            "batch_size": 200, "contenders": records,
            "peak": {"float32": {"size": 512, "threads": 2, "gflops_best": 100.0,
                                 "gflops_median": 90.0, "reps": 3, "command": "matmul"},
                     "bfloat16": "not available"}}


AVX2 = {"avx2": True, "fma": True, "avx512f": False, "avx512_bf16": False, "amx_bf16": False}
AMX = {"avx2": True, "fma": True, "avx512f": True, "avx512_bf16": True, "amx_bf16": True}


def test_each_cpu_family_keeps_its_own_table(tmp_path):
    data = tmp_path / "benchmarks"
    doc = tmp_path / "benchmarks.md"
    report.store(str(data), report.peers_mode("avx2"), _peers_result(
        "AMD EPYC", AVX2, [_record("jar", 10.0), _record("keras", 15.0)]))
    report.store(str(data), report.peers_mode("amx"), _peers_result(
        "Intel Xeon Platinum", AMX, [_record("jar", 8.0), _record("keras", 6.0)]))
    report.render(str(doc), str(data))
    text = doc.read_text()
    amx = text.index("### AMX: Intel Xeon Platinum, 2 cores; flags avx2, fma, avx512f, "
                     "avx512_bf16, amx_bf16\n")
    avx2 = text.index("### AVX2: AMD EPYC, 2 cores; flags avx2, fma (not: avx512f, "
                      "avx512_bf16, amx_bf16)\n")
    assert amx < avx2  # the most capable family first
    assert "| label of keras | 10,000 | 6.00 | 6.00 | 0.75 |" in text[amx:avx2]
    assert "| label of keras | 4,000 | 15.00 | 15.00 | 1.50 |" in text[avx2:]
    assert (data / "peers-amx.png").exists() and (data / "peers-avx2.png").exists()

    # A new run on the AVX2 machine replaces that family's table only.
    report.store(str(data), report.peers_mode("avx2"), _peers_result(
        "AMD EPYC", AVX2, [_record("jar", 10.0), _record("keras", 12.0)]))
    report.render(str(doc), str(data))
    text = doc.read_text()
    assert "| label of keras | 5,000 | 12.00 | 12.00 | 1.20 |" in text
    assert "| label of keras | 10,000 | 6.00 | 6.00 | 0.75 |" in text
    assert "15.00" not in text


def test_ratios_only_at_equal_settings(tmp_path):
    records = [_record("jar", 10.0), _record("jar-bf16", 5.0), _record("keras", 12.0),
               _record("keras-bf16", 6.0),
               _record("keras-tfdefault", 20.0, not_comparable="TensorFlow's default",
                       label="Keras TF default")]
    by_key = report.ratios(records)
    assert by_key["keras"] == (1.2, None)
    assert by_key["keras-bf16"] == (1.2, None)  # our bf16 against theirs, not our fp32
    assert by_key["keras-tfdefault"] == (2.0, "TensorFlow's default")
    data, doc = tmp_path / "b", tmp_path / "b.md"
    report.store(str(data), report.peers_mode("avx2"), _peers_result("AMD EPYC", AVX2, records))
    report.render(str(doc), str(data))
    text = doc.read_text()
    assert "| Keras TF default | 3,000 | 20.00 | 20.00 | not at equal settings |" in text
    assert ("- Keras TF default: 2.00 (ours ÷ theirs, **not at equal settings**: "
            "TensorFlow's default)") in text


def test_results_stored_before_the_split_count_under_their_family(tmp_path):
    # peers.json of an older run: Keras then ran without TF_ENABLE_ONEDNN_OPTS=1, DL4J spin-waited.
    data, doc = tmp_path / "b", tmp_path / "b.md"
    old = [_record("jar", 10.0), _record("keras", 15.0), _record("jax", 30.0),
           _record("dl4j", 100.0)]
    for r in old:
        del r["precision"], r["not_comparable"]
    report.store(str(data), "peers", _peers_result("AMD EPYC", AVX2, old))
    report.render(str(doc), str(data))
    text = doc.read_text()
    assert "### AVX2: AMD EPYC" in text
    assert "| label of jax | 2,000 | 30.00 | 30.00 | 3.00 |" in text
    assert "| label of keras | 4,000 | 15.00 | 15.00 | not at equal settings |" in text
    assert "| label of dl4j | 600 | 100.00 | 100.00 | not at equal settings |" in text
    assert "- label of keras: 1.50 (ours ÷ theirs, **not at equal settings**: TensorFlow's" in text
