#!/usr/bin/env bash
# Memory per connection: starts the gateway with a fixed, pre-touched heap and Native Memory
# Tracking, then takes snapshots idle, with 5,000 and with 15,000 mutual-TLS devices (each one
# 200-byte QoS 1 publish per 10 s, one shared device certificate): RSS (anonymous and file-backed),
# `jcmd VM.native_memory summary`, `jmap -histo:live`, `pmap -x` and the gateway's /metrics (Netty
# allocator, JDK direct buffers). Prints per-connection figures for idle -> 5,000, 5,000 -> 15,000
# and idle -> 15,000: RSS, NMT categories, memory outside NMT (BoringSSL and malloc), heap live bytes
# by class.
#
#   benchmarks/many-connections.sh [--root DIR] [--settle 40] [--out DIR]
#   benchmarks/many-connections.sh --report DIR     (prints the figures of an earlier run again)
#
# --root runs another checkout's bin/tidegate and bin/tidegate-loadgen (e.g. an older commit, for a
# before/after); --settle is how long each step waits once all devices are connected. Uses the
# gateway's ports 8883 and 9090 and source addresses 127.0.0.1-127.0.0.6; the gateway's data and every
# snapshot stay in --out (default a new /tmp/tidegate-connections.XXXXXX). Needs jq, jcmd, jmap, pmap.
# A benchmark, not a test: CI does not run it. Takes about 4 minutes.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
settle=40 out="" report_only=0
while (($#)); do
  case "$1" in
    --root) root="$(cd "$2" && pwd)"; shift 2 ;;
    --settle) settle="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --report) out="$2"; report_only=1; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "many-connections.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
for need in jq jcmd jmap pmap curl; do
  command -v "$need" >/dev/null || { echo "many-connections.sh: $need not found" >&2; exit 2; }
done
[[ -n "$out" ]] || out="$(mktemp -d /tmp/tidegate-connections.XXXXXX)"
mkdir -p "$out"
data="$out/data"

report() {  # from to connections
  local a=$1 b=$2 n=$3
  echo "== $a -> $b: $n connections"
  read -r ra aa fa <<< "$(awk -v s="$a" '$1 == s { print $2, $3, $4 }' "$out/rss.txt")"
  read -r rb ab fb <<< "$(awk -v s="$b" '$1 == s { print $2, $3, $4 }' "$out/rss.txt")"
  awk -v ra="$ra" -v rb="$rb" -v aa="$aa" -v ab="$ab" -v fa="$fa" -v fb="$fb" -v n="$n" 'BEGIN {
    printf "  RSS %.2f KiB/connection (anonymous %.2f, file-backed %.2f: outbox pages of the messages meanwhile)\n",
      (rb - ra) / n, (ab - aa) / n, (fb - fa) / n }'
  # NMT: committed KB per category; what anonymous RSS grew beyond NMT's total is native memory
  # NMT does not see (BoringSSL's OPENSSL_malloc, malloc arenas).
  awk -v n="$n" -v anon="$((ab - aa))" '
    function parse(line) { match(line, /committed=[0-9]+KB/); return substr(line, RSTART + 10, RLENGTH - 12) + 0 }
    FNR == 1 { f++ }
    /^Total:/ { t[f] = parse($0) }
    /^-/ { name = $0; sub(/^- */, "", name); sub(/ *\(reserved.*/, "", name); c[f, name] = parse($0); names[name] = 1 }
    END {
      printf "  NMT committed, bytes/connection:"
      for (k in names) { d = (c[2, k] - c[1, k]) * 1024 / n; if (d >= 20 || d <= -20) printf " %s %+.0f;", k, d }
      printf "\n  anonymous RSS outside NMT: %.0f bytes/connection\n", (anon - (t[2] - t[1])) * 1024 / n
    }' "$out/nmt-$a.txt" "$out/nmt-$b.txt"
  for m in 'netty_allocator_memory_used\{.*memory_type="direct"' 'jvm_buffer_memory_used_bytes\{id="direct"'; do
    va=$(grep -E "^$m" "$out/metrics-$a.txt" | awk '{ print $NF }' | head -1 || true)
    vb=$(grep -E "^$m" "$out/metrics-$b.txt" | awk '{ print $NF }' | head -1 || true)
    awk -v a="${va:-0}" -v b="${vb:-0}" -v n="$n" -v m="${m%%\\*}" 'BEGIN {
      printf "  %s: %.1f -> %.1f MiB (%.0f bytes/connection)\n", m, a / 1048576, b / 1048576, (b - a) / n }'
  done
  awk -v n="$n" '
    FNR == 1 { f++ }
    $1 ~ /^[0-9]+:$/ { bytes[f, $4] = $3; count[f, $4] = $2; cls[$4] = 1 }
    END {
      for (k in cls) { d = bytes[2, k] - bytes[1, k]; total += d; if (d / n >= 16) printf "    %7.1f B %5.2f objects  %s\n", d / n, (count[2, k] - count[1, k]) / n, k | "sort -rn" }
      close("sort -rn")
      printf "  heap, live bytes per connection (jmap -histo:live): %.0f\n", total / n
    }' "$out/histo-$a.txt" "$out/histo-$b.txt"
}
print_report() {
  {
    report idle c5000 5000
    report c5000 c15000 10000
    report idle c15000 15000
  } | tee "$out/report.txt"
}
if ((report_only)); then
  print_report
  exit 0
fi

mem() { awk '/^VmRSS:/ { r = $2 } /^RssAnon:/ { a = $2 } /^RssFile:/ { f = $2 } END { print r, a, f }' "/proc/$1/status"; }
connections() { curl -s localhost:9090/api/status | jq -r '.connections' 2>/dev/null || echo 0; }
snap() {  # step
  echo "$1 $(mem "$gw")" >> "$out/rss.txt"
  pmap -x "$gw" > "$out/pmap-$1.txt"
  jcmd "$gw" VM.native_memory summary > "$out/nmt-$1.txt"
  curl -s localhost:9090/metrics > "$out/metrics-$1.txt"
  jmap -histo:live "$gw" > "$out/histo-$1.txt"
  echo "  $1: $(connections) connected, RSS $(mem "$gw" | cut -d' ' -f1) KiB" >&2
}
await() {  # count
  for _ in $(seq 1 600); do [[ "$(connections)" == "$1" ]] && return 0; sleep 1; done
  echo "many-connections.sh: only $(connections) of $1 devices connected" >&2; exit 1
}
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

TIDEGATE_DATADIR="$data" TIDEGATE_AUTHORIZATION_CLIENTIDMUSTMATCHIDENTITY=false \
  TIDEGATE_JAVA_OPTS="-Xmx512m -Xms512m -XX:+AlwaysPreTouch -XX:NativeMemoryTracking=summary" \
  "$root/bin/tidegate" run > "$out/gateway.log" 2>&1 &
gw=$!; pids+=("$gw")
for _ in $(seq 1 300); do (exec 3<>/dev/tcp/127.0.0.1/8883) 2>/dev/null && break; sleep 0.2; done
sleep 15
echo "gateway pid $gw ($root), snapshots in $out" >&2
snap idle
fleet() {  # first-device count addresses duration-seconds
  LOADGEN_JAVA_OPTS=-Xmx1g "$root/bin/tidegate-loadgen" run --broker mqtts://127.0.0.1:8883 --ca "$data/certs/ca.pem" \
    --cert "$data/certs/devices/device-1.pem" --key "$data/certs/devices/device-1.key" --first-device "$1" --devices "$2" \
    --connect-rate 500 --max-pending-connects 500 --rate 0.1 --qos 1 --payload-size 200 --local-addresses "$3" \
    --duration "$4s" --drain-timeout 5s --quiet
}
fleet 1 5000 127.0.0.1-127.0.0.2 $((2 * settle + 110)) > "$out/loadgen-5000.txt" 2>&1 &
first=$!; pids+=("$first")
await 5000; sleep "$settle"; snap c5000
fleet 5001 10000 127.0.0.3-127.0.0.6 $((settle + 50)) > "$out/loadgen-10000.txt" 2>&1 &
second=$!; pids+=("$second")
await 15000; sleep "$settle"; snap c15000
# Both fleets end on their own, before the gateway stops, so their error counts mean something.
wait "$first" "$second" || true
grep -h '^errors' "$out"/loadgen-*.txt | sed 's/^/  load generator /' >&2 || true

print_report
