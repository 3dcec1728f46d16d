#!/usr/bin/env bash
# The southbound bench over each path, side by side: a fresh Kafka broker and a fresh controller per path, the
# same scenario (bin/alcor bench southbound) against each. Usage:
#   bench/scripts/southbound-paths.sh HOSTS PORTS_PER_HOST [PATHS...]     (paths default: grpc mq auto)
# Environment: TOPICS, PARTITIONS (Kafka layout, default 4 x 8), GRPC_MAX_HOSTS (auto's bound, default HOSTS/2),
# SAMPLES (latency samples, default 200), OUT (directory for logs, default /tmp/alcor-southbound-paths).
# Everything listens on loopback; every process it starts is stopped by PID, also when it fails.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HOSTS="$1"; PER_HOST="$2"; shift 2
PATHS=("$@"); [ $# -eq 0 ] && PATHS=(grpc mq auto)
TOPICS="${TOPICS:-4}"; PARTITIONS="${PARTITIONS:-8}"; SAMPLES="${SAMPLES:-200}"
GRPC_MAX_HOSTS="${GRPC_MAX_HOSTS:-$((HOSTS / 2))}"
OUT="${OUT:-/tmp/alcor-southbound-paths}"; mkdir -p "$OUT"
KAFKA=127.0.0.1:19092
pids=()
stop() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done; pids=(); }
trap stop EXIT
wait_for() { local what="$1"; shift; for _ in $(seq 1 240); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done; echo "timed out: $what" >&2; return 1; }
for path in "${PATHS[@]}"; do
  run="$OUT/$path-$HOSTS-$PER_HOST"; rm -rf "$run"; mkdir -p "$run"
  "$ROOT/bin/alcor" kafka --data-dir "$run/kafka" --listen "$KAFKA" > "$run/kafka.log" 2>&1 & pids+=($!)
  wait_for "the broker" bash -c "exec 3<>/dev/tcp/127.0.0.1/${KAFKA##*:}"
  ALCOR_JAVA_OPTS="${CONTROLLER_JAVA_OPTS:--Xmx8g}" "$ROOT/bin/alcor" controller --data-dir "$run/data" --store-memory-mb 2048 \
    --southbound-insecure --port 19696 --southbound-port 19697 --ops-port 19698 \
    --kafka "$KAFKA" --kafka-topics "$TOPICS" --kafka-partitions "$PARTITIONS" --southbound-path "$path" \
    --grpc-max-hosts "$GRPC_MAX_HOSTS" > "$run/controller.log" 2>&1 & cpid=$!; pids+=($cpid)
  wait_for "the controller" curl -sf http://127.0.0.1:19698/ready
  echo "== path $path: $HOSTS hosts x $PER_HOST ports, Kafka $TOPICS topics x $PARTITIONS partitions$([ "$path" = auto ] && echo ", grpc-max-hosts $GRPC_MAX_HOSTS")"
  kafka_args=(); [ "$path" != grpc ] && kafka_args=(--kafka "$KAFKA" --kafka-topics "$TOPICS" --kafka-partitions "$PARTITIONS")
  ALCOR_JAVA_OPTS="${BENCH_JAVA_OPTS:--Xmx3g}" "$ROOT/bin/alcor" bench southbound --url http://127.0.0.1:19696 --southbound 127.0.0.1:19697 \
    --hosts "$HOSTS" --ports-per-host "$PER_HOST" --latency-samples "$SAMPLES" --processes 2 --controller-pid "$cpid" \
    --path "$path" "${kafka_args[@]}" 2>&1 | tee "$run/bench.log"
  stop
done
