#!/usr/bin/env bash
# Collector ingest and query benchmark (loopback, one run). The collector and the load generator
# run in separate JVMs. Prerequisites: collector/target/sketchtrace-collector.jar built
# (mvn -o -f collector/pom.xml package -DskipTests). Usage: [COLLECTOR_JAR=other.jar] benchmarks/collector/run.sh [seconds]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SECONDS_PER_RUN=${1:-20}
WORK=$(mktemp -d)
CLASSES="$WORK/classes"
mkdir -p "$CLASSES"
javac -d "$CLASSES" --release 17 "$ROOT"/benchmarks/src/main/java/dev/sketchtrace/benchmarks/collector/*.java
HEAP=${COLLECTOR_HEAP:-1g}
JAR=${COLLECTOR_JAR:-$ROOT/collector/target/sketchtrace-collector.jar}
java -Xmx"$HEAP" -Xlog:gc:file="$WORK/gc.log" -jar "$JAR" \
  --data-dir "$WORK/data" --otlp-http-port 34318 --otlp-grpc-port 34317 --http-port 34040 > "$WORK/collector.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 60); do curl -sf http://127.0.0.1:34040/healthz > /dev/null && break; sleep 1; done
echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), collector heap -Xmx$HEAP"
# Collector CPU (user + system, all threads, rollup included) per accepted item: survives machine load better than rates.
ticks() { awk '{print $14 + $15}' /proc/$PID/stat; }
load() {
  local t0 out; t0=$(ticks)
  out=$(java -Xmx512m -cp "$CLASSES" dev.sketchtrace.benchmarks.collector.IngestLoad --url http://127.0.0.1:34318 "$@")
  echo "$out"
  local items; items=$(echo "$out" | sed -nE 's/.*[{ ]200=([0-9]+).*/\1/p')
  local batch; batch=$(echo "$out" | sed -nE 's/.*batch=([0-9]+).*/\1/p')
  [ -n "$items" ] && echo "collector CPU per accepted item: $(echo "scale=2; ($(ticks) - $t0) * 10000 / ($items * $batch)" | bc) us (clock ticks of 10 ms)"
}
query() { java -cp "$CLASSES" dev.sketchtrace.benchmarks.collector.QueryLatency --api http://127.0.0.1:34040 "$@"; }
echo "== spans"
load --signal traces --threads 4 --seconds "$SECONDS_PER_RUN" --batch 500
echo "== histogram points (10 000 series, timestamps spread over the last hour)"
load --signal metrics --threads 4 --seconds "$SECONDS_PER_RUN" --batch 1000 --series 10000 --spread-seconds 3600
echo "== waiting for the rollup to drain"
for _ in $(seq 1 120); do
  P=$(curl -s http://127.0.0.1:34040/metrics | awk '/^sketchtrace_collector_points_pending_rollup /{print $2}')
  [ "${P:-1}" = "0" ] && break; sleep 1
done
echo "== queries over 1 h, 10 000 series"
query --path '/api/v1/services/bench/operations?from=now-1h' --n 20 --warmup 3
query --path '/api/v1/timeseries?service=bench&metric=http.server.request.duration&stat=p99&from=now-1h&step=1m' --n 20 --warmup 3
query --path '/api/v1/timeseries?service=bench&metric=http.server.request.duration&stat=p99&from=now-1h&step=1m&attr.http.route=/r42' --n 50 --warmup 5
echo "== collector"
curl -s http://127.0.0.1:34040/metrics | grep -E '^sketchtrace_collector_(series|store_bytes|points_stored_total|spans_stored_total) '
echo "max heap used after GC (MB): $(grep -oE '[0-9]+M->[0-9]+M' "$WORK/gc.log" | sed -E 's/.*->([0-9]+)M/\1/' | sort -n | tail -1)"
echo "collector RSS (MB): $(( $(awk '/VmHWM/{print $2}' /proc/$PID/status) / 1024 )) peak"
