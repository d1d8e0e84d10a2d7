#!/usr/bin/env bash
# Heap with many series: 100 000 histogram series (one service, one metric) ingested for N seconds
# into a collector capped at --max-series-per-metric 100000 with -Xmx1g; prints the largest heap
# after GC. Usage: [COLLECTOR_JAR=other.jar] benchmarks/collector/series-heap.sh [seconds]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d)
mkdir -p "$WORK/classes"
javac -d "$WORK/classes" --release 17 "$ROOT"/benchmarks/src/main/java/dev/sketchtrace/benchmarks/collector/*.java
java -Xmx1g -Xlog:gc:file="$WORK/gc.log" -jar "${COLLECTOR_JAR:-$ROOT/collector/target/sketchtrace-collector.jar}" --data-dir "$WORK/data" \
  --max-series-per-metric 100000 --otlp-http-port 35318 --otlp-grpc-port 35317 --http-port 35040 > "$WORK/collector.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 60); do curl -sf http://127.0.0.1:35040/healthz > /dev/null && break; sleep 1; done
java -Xmx512m -cp "$WORK/classes" dev.sketchtrace.benchmarks.collector.IngestLoad --url http://127.0.0.1:35318 \
  --signal metrics --threads 4 --seconds "${1:-30}" --batch 1000 --series 100000 --spread-seconds 600
sleep 15
echo "collector: $(curl -s -m 60 http://127.0.0.1:35040/metrics | grep -E "^sketchtrace_collector_(series|points_stored_total) " | tr "\n" " ")"
echo "max heap used after GC (MB): $(grep -oE '[0-9]+M->[0-9]+M' "$WORK/gc.log" | sed -E 's/.*->([0-9]+)M/\1/' | sort -n | tail -1)"
echo "collector RSS (MB): $(( $(awk '/VmHWM/{print $2}' /proc/$PID/status) / 1024 )) peak"
