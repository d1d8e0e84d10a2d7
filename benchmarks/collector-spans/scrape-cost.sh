#!/usr/bin/env bash
# Collector CPU per /metrics scrape with SERIES histogram series that all have points in the
# 5-minute window the endpoint reports: a fresh collector (own JVM, -Xmx1g), SERIES series posted by
# IngestLoad (1 000 points per request, timestamps spread over the last 4 minutes), the rollup
# drained, then SCRAPES scrapes one after another; prints the collector's CPU (all threads, clock
# ticks of /proc) per scrape, the first (cold) scrape apart, and the size of the answer.
# Then the same with one request of 1 000 new points posted before each scrape ("live").
# Usage: [SERIES=10000] [SCRAPES=10] [JOPTS=...] benchmarks/collector-spans/scrape-cost.sh COLLECTOR_JAR
# (JOPTS: extra collector JVM options, e.g. -XX:StartFlightRecording=filename=scrape.jfr,settings=profile)
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR=$1; SERIES=${SERIES:-10000}; SCRAPES=${SCRAPES:-10}
W=$(mktemp -d); mkdir -p "$W/classes"
javac -d "$W/classes" --release 17 "$ROOT"/benchmarks/src/main/java/dev/sketchtrace/benchmarks/collector/*.java
while :; do PB=$((40000 + RANDOM % 20000)); ss -ltn | grep -qE ":($((PB+1))|$((PB+2))|$((PB+3))) " || break; done
java -Xmx1g ${JOPTS:-} -jar "$JAR" --data-dir "$W/data" --otlp-http-port $((PB+1)) --otlp-grpc-port $((PB+2)) --http-port $((PB+3)) > "$W/collector.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$W"' EXIT
for _ in $(seq 1 90); do curl -sf http://127.0.0.1:$((PB+3))/healthz > /dev/null && break; sleep 1; done
LG() { java -Xmx512m -cp "$W/classes" dev.sketchtrace.benchmarks.collector.IngestLoad --url http://127.0.0.1:$((PB+1)) --signal metrics \
  --batch 1000 --series "$SERIES" --spread-seconds 240 --seconds 600 "$@" > /dev/null; }
LG --threads 2 --max-requests $(( 2 * SERIES / 1000 ))
for _ in $(seq 1 120); do P=$(curl -s http://127.0.0.1:$((PB+3))/metrics | awk '/^sketchtrace_collector_points_pending_rollup /{print $2}'); [ "${P:-1}" = "0" ] && break; sleep 2; done
ticks() { awk '{print $14 + $15}' /proc/$PID/stat; }
scrape() { curl -s -o "$W/out" http://127.0.0.1:$((PB+3))/metrics; }
C0=$(ticks); scrape; C1=$(ticks)
echo "series=$SERIES load=$(cut -d' ' -f1 /proc/loadavg) first scrape: $(( (C1 - C0) * 10 )) ms CPU, $(wc -c < "$W/out") bytes, $(grep -c '^sketchtrace_operation_requests_per_second' "$W/out") operations"
C0=$(ticks); for _ in $(seq 1 "$SCRAPES"); do scrape; done; C1=$(ticks)
echo "idle: $(( (C1 - C0) * 10 / SCRAPES )) ms CPU per scrape (mean of $SCRAPES)"
T=0; for _ in $(seq 1 "$SCRAPES"); do LG --threads 1 --max-requests 1; C0=$(ticks); scrape; C1=$(ticks); T=$((T + C1 - C0)); done
echo "live (1 000 new points before each): $(( T * 10 / SCRAPES )) ms CPU per scrape (mean of $SCRAPES)"
