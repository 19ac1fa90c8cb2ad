# Sourced by the serving benchmarks (load_bench.sh, grpc_load.sh, reload_under_load.sh).
#
#   await_server URL PID LOG
#
# Waits up to 60 s for the server started as PID to answer URL/healthz; if it exits first, prints
# its LOG to stderr and exits the script with status 1.
await_server() {
  local url=$1 pid=$2 log=$3
  for _ in $(seq 120); do
    curl -sf "$url/healthz" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.5
  done
  echo "the server did not answer $url/healthz within 60 s" >&2
  exit 1
}
