#!/usr/bin/env bash
# What each outbox.sync policy (none, interval, batch) costs in ingest: the same tidegate-loadgen
# scenario (QoS 1, plain MQTT on loopback, unlimited rate) against a fresh gateway per policy, then
# one table: acknowledged msgs/s, PUBACK p50/p99, and the number of syncs and their mean duration
# from the gateway's /metrics. A benchmark, not a test: CI does not run it.
#
#   benchmarks/sync-cost.sh [--duration 20s] [--warmup 5s] [--publishers 16] [--payload-size 200] [--in-flight 10]
#
# Needs java 17+, jq, curl; the first run builds the jars with maven.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
duration=20s warmup=5s publishers=16 payload=200 inflight=10
while (($#)); do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --publishers) publishers="$2"; shift 2 ;;
    --payload-size) payload="$2"; shift 2 ;;
    --in-flight) inflight="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "sync-cost.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
for need in java jq curl; do
  command -v "$need" >/dev/null 2>&1 || { echo "sync-cost.sh: $need not found" >&2; exit 2; }
done
[[ -f "$root/gateway/target/tidegate.jar" && -f "$root/loadgen/target/tidegate-loadgen.jar" ]] \
  || (cd "$root" && mvn -B -q -DskipTests -pl gateway,loadgen -am package)

port="${SYNC_COST_PORT:-28850}" admin=$(( ${SYNC_COST_PORT:-28850} + 1 ))
work="$(mktemp -d /tmp/tidegate-sync-cost.XXXXXX)"
pid=
cleanup() {
  [[ -n "$pid" ]] && { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT

metric() {  # name: the sum of its samples in /metrics
  curl -s "http://127.0.0.1:$admin/metrics" | awk -v m="$1" '$1 ~ "^"m"({|$)" { s += $2 } END { printf "%.6f", s }'
}

printf '%-10s %14s %10s %10s %10s %16s\n' "sync" "acked msg/s" "p50 ms" "p99 ms" "syncs" "mean sync ms"
for mode in none interval batch; do
  rm -rf "$work/data"
  TIDEGATE_DATADIR="$work/data" TIDEGATE_LISTENERS_MQTT_PORT=$port TIDEGATE_LISTENERS_MQTTS_ENABLED=false \
    TIDEGATE_ADMIN_PORT=$admin TIDEGATE_OUTBOX_SYNC=$mode "$root/bin/tidegate" run > "$work/tidegate-$mode.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$admin/readyz" >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { echo "sync-cost.sh: tidegate exited:" >&2; tail -20 "$work/tidegate-$mode.log" >&2; exit 1; }
    sleep 0.2
  done
  args=(--broker "mqtt://127.0.0.1:$port" --devices "$publishers" --rate 0 --qos 1 --payload-size "$payload"
        --in-flight "$inflight" --connect-rate 100 --drain-timeout 10s --quiet)
  "$root/bin/tidegate-loadgen" run "${args[@]}" --duration "$warmup" --device-prefix warmup > /dev/null 2>&1 || true
  syncs_before=$(metric tidegate_outbox_sync_seconds_count) seconds_before=$(metric tidegate_outbox_sync_seconds_sum)
  "$root/bin/tidegate-loadgen" run "${args[@]}" --duration "$duration" --json "$work/$mode.json" > "$work/$mode.txt" 2>&1 || true
  [[ -s "$work/$mode.json" ]] || { echo "sync-cost.sh: the run with sync $mode failed:" >&2; cat "$work/$mode.txt" >&2; exit 1; }
  syncs=$(awk -v a="$(metric tidegate_outbox_sync_seconds_count)" -v b="$syncs_before" 'BEGIN { printf "%d", a - b }')
  mean=$(awk -v s="$(metric tidegate_outbox_sync_seconds_sum)" -v b="$seconds_before" -v n="$syncs" \
    'BEGIN { if (n > 0) printf "%.3f", (s - b) / n * 1000; else printf "-" }')
  printf '%-10s %14s %10s %10s %10s %16s\n' "$mode" "$(jq '.rates.ackedPerSecond' "$work/$mode.json")" \
    "$(jq '.ackLatency.p50' "$work/$mode.json")" "$(jq '.ackLatency.p99' "$work/$mode.json")" "$syncs" "$mean"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
done
