#!/usr/bin/env bash
# The southbound bench against 1, 2, 3 ... controller replicas on one store cluster (hosts partitioned over them;
# each simulated agent is given every replica, dials one and follows redirects to its owner). Usage:
#   bench/scripts/southbound-replicas.sh HOSTS PORTS_PER_HOST [REPLICA_COUNTS...]     (default: 1 2 3)
# Environment: SAMPLES (latency samples, default 200), CONTROLLER_JAVA_OPTS (default -Xmx3g each),
# OUT (logs, default /tmp/alcor-southbound-replicas). Clusters of two or more keep one backup of every partition.
# Everything listens on loopback; every process it starts is stopped by PID, also when it fails.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HOSTS="$1"; PER_HOST="$2"; shift 2
COUNTS=("$@"); [ $# -eq 0 ] && COUNTS=(1 2 3)
SAMPLES="${SAMPLES:-200}"
OUT="${OUT:-/tmp/alcor-southbound-replicas}"; mkdir -p "$OUT"
pids=()
stop() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done; pids=(); }
trap stop EXIT
wait_for() { local what="$1"; shift; for _ in $(seq 1 480); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done; echo "timed out: $what" >&2; return 1; }
for n in "${COUNTS[@]}"; do
  run="$OUT/replicas-$n-$HOSTS-$PER_HOST"; rm -rf "$run"; mkdir -p "$run"
  cluster=""; southbound=""
  for i in $(seq 0 $((n - 1))); do cluster+="${cluster:+,}127.0.0.1:$((48500 + i))"; southbound+="${southbound:+,}127.0.0.1:$((19797 + 10 * i))"; done
  backups=0; [ "$n" -gt 1 ] && backups=1
  cpids=()
  for i in $(seq 0 $((n - 1))); do
    ALCOR_JAVA_OPTS="${CONTROLLER_JAVA_OPTS:--Xmx3g}" "$ROOT/bin/alcor" controller --data-dir "$run/data-$i" --node-name "replica-$i" \
      --store-memory-mb 1024 --southbound-insecure --port $((19796 + 10 * i)) --southbound-port $((19797 + 10 * i)) --ops-port -1 \
      --cluster "$cluster" --discovery-port $((48500 + i)) --comm-port $((48600 + i)) --backups "$backups" --initial-replicas "$n" \
      > "$run/controller-$i.log" 2>&1 & pids+=($!); cpids+=($!)
  done
  for i in $(seq 0 $((n - 1))); do wait_for "replica $i" curl -sf "http://127.0.0.1:$((19796 + 10 * i))/ready"; done
  echo "== $n replica(s): $HOSTS hosts x $PER_HOST ports, southbound $southbound"
  # CPU of every replica over the whole bench (connect, fill, latency samples, deletes): /proc/PID/stat utime + stime.
  cpu_before=(); for p in "${cpids[@]}"; do cpu_before+=("$(awk '{print $14 + $15}' "/proc/$p/stat")"); done
  ALCOR_JAVA_OPTS="${BENCH_JAVA_OPTS:--Xmx3g}" "$ROOT/bin/alcor" bench southbound --url http://127.0.0.1:19796 --southbound "$southbound" \
    --hosts "$HOSTS" --ports-per-host "$PER_HOST" --latency-samples "$SAMPLES" --processes 2 --controller-pid "${cpids[0]}" 2>&1 | tee "$run/bench.log"
  tck=$(getconf CLK_TCK)
  for i in $(seq 0 $((n - 1))); do
    used=$(( $(awk '{print $14 + $15}' "/proc/${cpids[$i]}/stat") - ${cpu_before[$i]} ))
    echo "replica-$i cpu_s=$(awk -v t="$used" -v k="$tck" 'BEGIN { printf "%.1f", t / k }')" | tee -a "$run/bench.log"
    # Sessions outlive the bench's streams (until they expire): the hosts each replica served, connected or not now.
    echo "replica-$i served $(curl -s "http://127.0.0.1:$((19796 + 10 * i))/southbound/hosts" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["hosts"]))') hosts" | tee -a "$run/bench.log"
  done
  stop
done
