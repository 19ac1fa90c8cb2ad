"""Mode 'serving-scaling': `serve` under wrk at growing connection counts
(tools/bench/load_bench.sh's request and Lua script): requests/s and latency percentiles per
count."""
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request

from . import paths

RESULT = re.compile(r"RESULT requests=(\d+) seconds=([\d.]+) rps=(\d+) p50_ms=([\d.]+) "
                    r"p99_ms=([\d.]+) max_ms=([\d.]+) errors=(\d+)")


def run(connections, duration, warmup, port, model, java_opts):
    if shutil.which("wrk") is None:
        raise SystemExit("error: wrk not found (apt-get install -y wrk; tools/setup.sh does it)")
    url = f"http://127.0.0.1:{port}"
    argv = ["java", *java_opts, "-jar", paths.JAR, "serve", "--model", model, "--port", str(port)]
    log = tempfile.TemporaryFile("w+")  # a file, not a pipe: a chatty server never blocks
    server = subprocess.Popen(argv, cwd=paths.ROOT, stdout=log, stderr=subprocess.STDOUT,
                              env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2"))
    try:
        _wait_healthy(server, url, log)
        predict = f"{url}/v1/models/mnist:predict"
        _wrk(8, warmup, predict)  # warm-up (JIT, TF kernels), not reported
        points = []
        for c in connections:
            point = _wrk(c, duration, predict)
            point["server_rss_mib"] = _rss_mib(server.pid)
            print(f"connections {c:>4}: {point['rps']:>8.0f} req/s, p50 {point['p50_ms']:.2f} ms, "
                  f"p99 {point['p99_ms']:.2f} ms, errors {point['errors']}", flush=True)
            points.append(point)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
    command = " ".join(argv).replace(paths.ROOT + "/", "")
    return {"duration": duration, "model": os.path.relpath(model, paths.ROOT),
            "server_command": "TF_CPP_MIN_LOG_LEVEL=2 " + command,
            "wrk_command": f"wrk -t min(C,{os.cpu_count()}) -cC -d{duration} --latency "
                           f"-s tools/bench/predict.lua {url}/v1/models/mnist:predict",
            "points": points}


def _wait_healthy(server, url, log):
    for _ in range(240):  # up to 2 minutes: a cold JVM and TF load on a busy machine
        if server.poll() is not None:
            log.seek(0)
            raise SystemExit(f"error: serve exited with {server.returncode}: "
                             f"{log.read().strip()[-500:]}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("error: serve did not become healthy within 2 minutes")


def _wrk(connections, duration, target):
    threads = max(1, min(connections, os.cpu_count()))
    proc = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}", "--latency", "-s",
         paths.WRK_SCRIPT, target], cwd=paths.ROOT, capture_output=True, text=True,
        env=dict(os.environ, BENCH_BODY=paths.PREDICT_BODY))
    match = RESULT.search(proc.stdout)
    if proc.returncode != 0 or not match:
        raise SystemExit(f"error: wrk failed: {proc.stderr.strip() or proc.stdout.strip()}")
    keys = ("requests", "seconds", "rps", "p50_ms", "p99_ms", "max_ms", "errors")
    values = [float(v) for v in match.groups()]
    point = dict(zip(keys, values, strict=True), connections=connections)
    point["requests"], point["errors"] = int(point["requests"]), int(point["errors"])
    return point


def _rss_mib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            return int(re.search(r"VmRSS:\s*(\d+)", f.read()).group(1)) / 1024.0
    except (OSError, AttributeError):
        return None
