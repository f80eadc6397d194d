#!/usr/bin/env bash
# Destination drain benchmark: fills an outbox, drains it with a real forwarder into each destination
# against its local stand-in (file sink; kinesalite; DynamoDB Local in-process; Mosquitto with mutual
# TLS for IoT Core) and prints one line per destination. Arguments go to
# io.tidegate.benchmarks.DestinationDrain (--help lists them), e.g.
#   benchmarks/destinations.sh kinesis kinesis-aggregated --messages kinesis=200000 --messages kinesis-aggregated=200000
# Needs node/npm (kinesis) and mosquitto (iotcore): apt-get install -y npm mosquitto.
# Runs niced: the figures are for a shared machine anyway, and other work there keeps going.
set -euo pipefail

cd "$(dirname "$0")/.."
JAR=benchmarks/target/benchmarks.jar
KINESALITE=benchmarks/target/kinesalite

if [[ ! -f $JAR ]]; then
  nice -n 10 mvn -B -q -pl benchmarks -am package -Dmaven.test.skip=true
fi

# kinesalite is needed only when a Kinesis destination runs (all run when none is named).
wants_kinesis=true
for arg in "$@"; do
  case $arg in file | dynamodb | iotcore) wants_kinesis=false ;; esac
done
for arg in "$@"; do
  case $arg in kinesis | kinesis-aggregated) wants_kinesis=true ;; esac
done
if $wants_kinesis && [[ ! -f $KINESALITE/node_modules/kinesalite/cli.js ]]; then
  mkdir -p "$KINESALITE"
  npm install --no-audit --no-fund --prefix "$KINESALITE" kinesalite@3.3.3 > "$KINESALITE/npm.log" 2>&1 \
    || { echo "npm install kinesalite@3.3.3 failed; see $KINESALITE/npm.log" >&2; exit 1; }
fi

# Chronicle Queue's documented Java 17 flags (as chronicle.jvm.flags in pom.xml); no analytics. The jar
# has no logging backend (slf4j no-op, like the JMH benchmarks): quiet its notice about that.
exec nice -n 10 java \
  --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED --add-exports=java.base/sun.nio.ch=ALL-UNNAMED \
  --add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED \
  --add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED \
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
  --add-opens=java.base/java.util=ALL-UNNAMED -Dchronicle.analytics.disable=true \
  -Dslf4j.internal.verbosity=ERROR \
  -Xmx2g -cp "$JAR" io.tidegate.benchmarks.DestinationDrain "$@"
