#!/usr/bin/env bash
# Side-by-side benchmark: the same tidegate-loadgen scenario against Debian's Mosquitto and against
# Tidegate, both on loopback with equivalent listeners (plain, and mutual TLS with certificates made
# for the run), then one table: acknowledged msgs/s, PUBACK p50/p99, broker CPU-seconds per million
# messages (from /proc/<pid>/stat), broker RSS, and the ratio Tidegate/Mosquitto.
#
# Installs nothing. Needs: mosquitto (apt-get install -y mosquitto), java 17+, jq, maven (first run
# builds the jars). A benchmark, not a test: CI does not run it.
#
#   loadgen/compare.sh [--listener tls|plain] [--duration 30s] [--warmup 10s] [--publishers 16]
#                      [--payload-size 200] [--qos 1] [--in-flight 10] [--rate 0] [--keep]
#                      [--only tidegate|mosquitto] [--broker-cpus LIST --loadgen-cpus LIST]
#
# --only measures one broker (the other is not started). --broker-cpus/--loadgen-cpus pin the
# brokers and the load generator to CPUs with taskset (e.g. 0 and 1), so neither takes the other's
# core; without them all share the machine. TIDEGATE_JAVA_OPTS and LOADGEN_JAVA_OPTS pass JVM flags
# (e.g. -XX:StartFlightRecording=...) to the gateway and the load generator. COMPARE_TMP is where
# the run's files go (default /tmp); /dev/shm takes the disk out of the measurement.
#
# Tidegate persists every message to its outbox and forwards it to the file sink before the next
# run starts reading it; Mosquitto runs with persistence off (in memory), as the comparison in
# issue 7 asks. Both share the machine's cores with the load generator.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
listener=tls duration=30s warmup=10s publishers=16 payload=200 qos=1 inflight=10 rate=0 keep=0
only='' broker_cpus='' loadgen_cpus=''
while (($#)); do
  case "$1" in
    --listener) listener="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --publishers) publishers="$2"; shift 2 ;;
    --payload-size) payload="$2"; shift 2 ;;
    --qos) qos="$2"; shift 2 ;;
    --in-flight) inflight="$2"; shift 2 ;;
    --rate) rate="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    --only) only="$2"; shift 2 ;;
    --broker-cpus) broker_cpus="$2"; shift 2 ;;
    --loadgen-cpus) loadgen_cpus="$2"; shift 2 ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "compare.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$listener" == tls || "$listener" == plain ]] || { echo "compare.sh: --listener is tls or plain" >&2; exit 2; }
[[ -z "$only" || "$only" == tidegate || "$only" == mosquitto ]] || { echo "compare.sh: --only is tidegate or mosquitto" >&2; exit 2; }
brokers=(mosquitto tidegate)
[[ -n "$only" ]] && brokers=("$only")
broker_pin=() loadgen_pin=()  # taskset prefixes; taskset execs the command, so $! stays the broker's pid
[[ -n "$broker_cpus" ]] && broker_pin=(taskset -c "$broker_cpus")
[[ -n "$loadgen_cpus" ]] && loadgen_pin=(taskset -c "$loadgen_cpus")

mosquitto_bin="$(command -v mosquitto || echo /usr/sbin/mosquitto)"
for need in "$mosquitto_bin" java jq; do
  command -v "$need" >/dev/null 2>&1 || { echo "compare.sh: $need not found (Mosquitto: apt-get install -y mosquitto)" >&2; exit 2; }
done

base="${COMPARE_PORT_BASE:-28830}"
mosq_plain=$base mosq_tls=$((base + 1)) tg_plain=$((base + 2)) tg_tls=$((base + 3)) tg_admin=$((base + 4))
work="$(mktemp -d ${COMPARE_TMP:-/tmp}/tidegate-compare.XXXXXX)"
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if ((keep)); then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

await_port() {  # port, pid, log
  for _ in $(seq 1 300); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || { echo "compare.sh: broker exited; log:" >&2; tail -20 "$3" >&2; exit 1; }
    sleep 0.2
  done
  echo "compare.sh: nothing listens on $1; log:" >&2; tail -20 "$3" >&2; exit 1
}
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }  # utime+stime, after "(comm) "
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# Build both jars up front so no build runs inside a measurement.
[[ -f "$root/gateway/target/tidegate.jar" && -f "$root/loadgen/target/tidegate-loadgen.jar" ]] \
  || (cd "$root" && mvn -B -q -DskipTests -pl gateway,loadgen -am package)

echo "starting Tidegate (plain :$tg_plain, mutual TLS :$tg_tls, data in $work/tidegate)" >&2
TIDEGATE_DATADIR="$work/tidegate" TIDEGATE_LISTENERS_MQTT_PORT=$tg_plain TIDEGATE_LISTENERS_MQTTS_PORT=$tg_tls \
  TIDEGATE_LISTENERS_MQTTS_HOST=127.0.0.1 TIDEGATE_ADMIN_PORT=$tg_admin \
  "${broker_pin[@]}" "$root/bin/tidegate" run > "$work/tidegate.log" 2>&1 &
tg_pid=$!; pids+=("$tg_pid")
await_port "$tg_tls" "$tg_pid" "$work/tidegate.log"
certs="$work/tidegate/certs"

# Mosquitto gets the same CA and server certificate; copies readable by the user it drops to.
mkdir -p "$work/mosquitto"
cp "$certs/ca.pem" "$certs/server.pem" "$certs/server.key" "$work/mosquitto/"
chmod 755 "$work/mosquitto"; chmod 644 "$work/mosquitto/"*
# The device policy Tidegate applies on its TLS listener: each device publishes under dt/<its CN>/.
echo 'pattern readwrite dt/%u/#' > "$work/mosquitto/acl"
chmod 644 "$work/mosquitto/acl"
cat > "$work/mosquitto/mosquitto.conf" <<CONF
per_listener_settings true
persistence false
log_dest stderr
log_type error
log_type warning
listener $mosq_plain 127.0.0.1
allow_anonymous true
listener $mosq_tls 127.0.0.1
cafile $work/mosquitto/ca.pem
certfile $work/mosquitto/server.pem
keyfile $work/mosquitto/server.key
require_certificate true
use_identity_as_username true
acl_file $work/mosquitto/acl
CONF
if [[ " ${brokers[*]} " == *" mosquitto "* ]]; then
  echo "starting Mosquitto $("$mosquitto_bin" -h 2>&1 | head -1 | awk '{print $3}') (plain :$mosq_plain, mutual TLS :$mosq_tls)" >&2
  "${broker_pin[@]}" "$mosquitto_bin" -c "$work/mosquitto/mosquitto.conf" > "$work/mosquitto.log" 2>&1 &
  mq_pid=$!; pids+=("$mq_pid")
  await_port "$mosq_tls" "$mq_pid" "$work/mosquitto.log"
fi

loadgen_args=(--devices "$publishers" --rate "$rate" --qos "$qos" --payload-size "$payload" --in-flight "$inflight"
              --connect-rate 100 --drain-timeout 10s --quiet)
broker_url() {  # name
  local plain tls
  if [[ $1 == mosquitto ]]; then plain=$mosq_plain tls=$mosq_tls; else plain=$tg_plain tls=$tg_tls; fi
  if [[ $listener == tls ]]; then
    echo "--broker mqtts://127.0.0.1:$tls --ca $certs/ca.pem --device-ca-cert $certs/ca.pem --device-ca-key $certs/ca.key"
  else
    echo "--broker mqtt://127.0.0.1:$plain"
  fi
}

declare -A acked p50 p99 cpu rss errors
for name in "${brokers[@]}"; do
  pid=$([[ $name == mosquitto ]] && echo "$mq_pid" || echo "$tg_pid")
  # One load generator run: the warm-up (connect, JIT of broker and load generator, same schedule),
  # then the measurement, whose counts and latencies start after it (loadgen --warmup).
  echo "$name: warm-up $warmup, then measuring $duration" >&2
  # shellcheck disable=SC2046
  timeout 600 "${loadgen_pin[@]}" "$root/bin/tidegate-loadgen" run $(broker_url $name) "${loadgen_args[@]}" \
    --warmup "$warmup" --duration "$duration" --json "$work/$name.json" --html "$work/$name.html" > "$work/$name.txt" 2>&1 &
  lg_pid=$!
  # Broker CPU is counted from the end of the warm-up, which the load generator logs.
  while kill -0 "$lg_pid" 2>/dev/null && ! grep -q "measuring from here" "$work/$name.txt"; do sleep 0.1; done
  before=$(cpu_ticks "$pid")
  wait "$lg_pid" || true
  after=$(cpu_ticks "$pid")
  [[ -s "$work/$name.json" ]] || { echo "compare.sh: the run against $name failed:" >&2; cat "$work/$name.txt" >&2; exit 1; }
  p50[$name]=$(jq '.ackLatency.p50' "$work/$name.json")
  p99[$name]=$(jq '.ackLatency.p99' "$work/$name.json")
  errors[$name]=$(jq '.counts.errors' "$work/$name.json")
  acked[$name]=$(jq '.rates.ackedPerSecond' "$work/$name.json")
  total=$(jq '.counts.acked' "$work/$name.json")
  cpu[$name]=$(awk -v d=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="$total" 'BEGIN { printf "%.2f", n ? d / hz / n * 1e6 : 0 }')
  rss[$name]=$(awk -v k="$(rss_kib "$pid")" 'BEGIN { printf "%.0f", k / 1024 }')
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf (b > 0 ? "%.2f" : "-"), a / b }'; }
echo
echo "QoS $qos over $listener, $publishers publishers, $payload-byte payload, rate $([[ $rate == 0 ]] && echo unlimited || echo "$rate/s per device"), $duration after a $warmup warm-up"
printf '%-22s %14s %12s %12s %16s %10s %8s\n' broker "acked msg/s" "p50 ms" "p99 ms" "CPU-s/M msgs" "RSS MiB" errors
for name in "${brokers[@]}"; do
  printf '%-22s %14s %12s %12s %16s %10s %8s\n' "$name" "${acked[$name]}" "${p50[$name]}" "${p99[$name]}" "${cpu[$name]}" "${rss[$name]}" "${errors[$name]}"
done
if ((${#brokers[@]} == 2)); then
  printf '%-22s %14s %12s %12s %16s %10s\n' "tidegate/mosquitto" "$(ratio "${acked[tidegate]}" "${acked[mosquitto]}")" \
    "$(ratio "${p50[tidegate]}" "${p50[mosquitto]}")" "$(ratio "${p99[tidegate]}" "${p99[mosquitto]}")" \
    "$(ratio "${cpu[tidegate]}" "${cpu[mosquitto]}")" "$(ratio "${rss[tidegate]}" "${rss[mosquitto]}")"
fi
[[ -n "$broker_cpus$loadgen_cpus" ]] && echo "pinned: brokers on CPUs ${broker_cpus:-any}, load generator on CPUs ${loadgen_cpus:-any}"
echo "reports: $work/{mosquitto,tidegate}.{txt,json,html}$( ((keep)) || echo ' (deleted on exit; --keep keeps them)')"
