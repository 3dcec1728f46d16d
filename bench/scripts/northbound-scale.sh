#!/usr/bin/env bash
# The northbound bench against a large store, then kill -9 and a restart that must keep every port. Usage:
#   bench/scripts/northbound-scale.sh [PREFILL]        (default 1000000 ports)
# Steps: a controller on its defaults (persistence on, --store-memory-mb 1024) on a fresh data directory;
# `bench northbound --prefill PREFILL -n N -c C --bulk 1000` (list timings with the store full, then creates); the
# data directory's size; every port id listed (streamed); kill -9; the same directory started again (time to ready);
# every port id listed again. Exit 1 when the lists before and after differ.
# Environment: N (ports per create phase, 20000), C (clients, 32), PORT (API, 19696; southbound PORT+1),
# OUT (logs and data, /tmp/alcor-northbound-scale; deleted first), CONTROLLER_JAVA_OPTS (none: the JVM's default heap).
# Everything listens on loopback; the controller it starts is stopped by PID, also when it fails.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PREFILL="${1:-1000000}"
N="${N:-20000}"; C="${C:-32}"; PORT="${PORT:-19696}"
OUT="${OUT:-/tmp/alcor-northbound-scale}"
rm -rf "$OUT"; mkdir -p "$OUT"
API="http://127.0.0.1:$PORT"
pid=""
stop() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""; fi; }
trap stop EXIT

start() {
  ALCOR_JAVA_OPTS="${CONTROLLER_JAVA_OPTS:-}" "$ROOT/bin/alcor" controller --data-dir "$OUT/data" --port "$PORT" \
    --southbound-port $((PORT + 1)) > "$OUT/controller-$1.log" 2>&1 &
  pid=$!
  local t0; t0=$(date +%s.%N)
  for _ in $(seq 1 1200); do
    if curl -sf "$API/ready" > /dev/null 2>&1; then
      echo "controller ($1) ready in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { echo "the controller exited; see $OUT/controller-$1.log" >&2; exit 1; }
    sleep 0.25
  done
  echo "the controller was not ready in 300 s" >&2; exit 1
}

# Every port id, streamed (fields=id); prints "COUNT DISTINCT SHA" and keeps the sorted list.
ids() {
  curl -sf "$API/v2.0/ports?fields=id" -o "$OUT/ids-$1.json"
  /usr/bin/python3 - "$OUT/ids-$1.json" "$OUT/ids-$1.txt" <<'PY'
import hashlib, json, sys
ids = sorted(p["id"] for p in json.load(open(sys.argv[1]))["ports"])
open(sys.argv[2], "w").write("\n".join(ids))
print(len(ids), len(set(ids)), hashlib.sha256("\n".join(ids).encode()).hexdigest()[:16])
PY
}

start first
"$ROOT/bin/alcor" bench northbound --url "$API" -n "$N" -c "$C" --bulk 1000 --prefill "$PREFILL" 2>&1 \
  | grep -v '^  \.\.\. ' | tee "$OUT/bench.log"
echo "data directory: $(du -sh "$OUT/data" | cut -f1) (ports cache: $(du -sh "$OUT"/data/ignite/db/*/cache-ports | cut -f1))"
echo "controller RSS: $(awk '/VmRSS/ { printf "%.1f GB", $2 / 1048576 }' "/proc/$pid/status")"
t0=$(date +%s.%N); before=$(ids before)
echo "ports before the kill (count, distinct, hash): $before, listed in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
kill -9 "$pid"; wait "$pid" 2>/dev/null || true; pid=""
start restarted
t0=$(date +%s.%N); after=$(ids after)
echo "ports after the restart (count, distinct, hash): $after, listed in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
if [ "$before" != "$after" ]; then
  echo "FAILED: the ports after the restart are not the ones before (diff $OUT/ids-before.txt $OUT/ids-after.txt)" >&2
  exit 1
fi
echo "every port kept"
