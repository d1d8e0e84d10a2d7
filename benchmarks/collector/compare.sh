#!/usr/bin/env bash
# Interleaved A/B ingest benchmark: for each round, runs A then B (alternating which goes first),
# each a fresh collector (separate JVM, -Xmx1g, fresh data directory) fed by IngestLoad from
# another JVM: spans (4 threads, 500 per request), then histogram points (4 threads, 1 000 per
# request, 10 000 series over the last hour). Prints every run and the medians per jar.
# On a shared machine only the medians of interleaved runs are worth comparing.
# Usage: [THREADS=4] [SIGNALS="traces metrics"] [SPREAD=3600] benchmarks/collector/compare.sh A.jar B.jar [rounds] [seconds]
# SPREAD: histogram points are stamped up to this many seconds in the past (0: all now, as live exporters send).
# THREADS: concurrent senders (each waits for its answer before the next request, like an exporter).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
A=$1; B=$2; ROUNDS=${3:-3}; SECS=${4:-15}; THREADS=${THREADS:-4}; SIGNALS=${SIGNALS:-traces metrics}; SPREAD=${SPREAD:-3600}
WORK=$(mktemp -d)
mkdir -p "$WORK/classes"
javac -d "$WORK/classes" --release 17 "$ROOT"/benchmarks/src/main/java/dev/sketchtrace/benchmarks/collector/*.java
trap 'rm -rf "$WORK"' EXIT
one() { # jar label
  local data="$WORK/data-$RANDOM" pb
  # free ports: other benchmarks may run on the machine at the same time
  while :; do pb=$((40000 + RANDOM % 20000)); ss -ltn | grep -qE ":($((pb+1))|$((pb+2))|$((pb+3))) " || break; done
  java -Xmx1g -Xlog:gc:file="$WORK/gc.log" -jar "$1" --data-dir "$data" --otlp-http-port $((pb+1)) --otlp-grpc-port $((pb+2)) --http-port $((pb+3)) > "$WORK/collector.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 60); do curl -sf http://127.0.0.1:$((pb+3))/healthz > /dev/null && break; sleep 1; done
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  local s p
  if ! kill -0 $pid 2>/dev/null; then echo "$2 collector did not start: $(tail -3 "$WORK/collector.log")"; return; fi
  s=-; [[ " $SIGNALS " == *" traces "* ]] && s=$(java -Xmx512m -cp "$WORK/classes" dev.sketchtrace.benchmarks.collector.IngestLoad --url http://127.0.0.1:$((pb+1)) \
      --signal traces --threads "$THREADS" --seconds "$SECS" --batch 500 | sed -nE 's/^accepted .*: ([0-9]+) .*/\1/p')
  p=-; [[ " $SIGNALS " == *" metrics "* ]] && p=$(java -Xmx512m -cp "$WORK/classes" dev.sketchtrace.benchmarks.collector.IngestLoad --url http://127.0.0.1:$((pb+1)) \
      --signal metrics --threads "$THREADS" --seconds "$SECS" --batch 1000 --series 10000 --spread-seconds "$SPREAD" | sed -nE 's/^accepted .*: ([0-9]+) .*/\1/p')
  if ! kill $pid 2>/dev/null; then echo "$2 collector exited during the run: $(tail -3 "$WORK/collector.log")"; fi
  wait $pid 2>/dev/null || true
  rm -rf "$data"
  local heap; heap=$(grep -oE '[0-9]+M->[0-9]+M' "$WORK/gc.log" | sed -E 's/.*->([0-9]+)M/\1/' | sort -n | tail -1)
  echo "$2 load=$load threads=$THREADS spans/s=$s points/s=$p max_heap_after_gc_mb=${heap:-?}" | tee -a "$WORK/results"
}
for r in $(seq 1 "$ROUNDS"); do
  if (( r % 2 )); then one "$A" A; one "$B" B; else one "$B" B; one "$A" A; fi
done
median() { sort -n | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
for L in A B; do
  echo "$L median spans/s $(grep "^$L " "$WORK/results" | sed -E 's/.*spans\/s=([0-9]+).*/\1/' | median)" \
       "points/s $(grep "^$L " "$WORK/results" | sed -E 's/.*points\/s=([0-9]+).*/\1/' | median)"
done
