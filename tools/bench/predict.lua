-- wrk script for tools/bench/load_bench.sh: every request POSTs one TF Serving :predict body (one MNIST
-- test image, row format). Prints one RESULT line that the shell script keeps.
local body_file = os.getenv("BENCH_BODY") or "tools/bench/predict_request.json"
local f = assert(io.open(body_file, "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
wrk.headers["Content-Type"] = "application/json"
f:close()

function done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d seconds=%.1f rps=%.0f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f errors=%d"
      .. " (connect %d read %d write %d status %d timeout %d)\n",
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    e.connect + e.read + e.write + e.status + e.timeout,
    e.connect, e.read, e.write, e.status, e.timeout))
end
