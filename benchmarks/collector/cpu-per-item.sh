#!/usr/bin/env bash
# Collector CPU per item for a fixed amount of work, which survives machine load better than a rate:
# a fresh collector (own JVM, -Xmx1g), N/2 warm-up requests, drain the rollup, then N requests from
# IngestLoad in another JVM (4 threads; metrics: 1 000 points, 10 000 series spread over the last
# hour; traces: 500 spans), then drain again. Prints the rate and the collector's CPU per item
# while the requests were posted (rollup running beside them) and until the rollup had drained.
# The armeria-common threads are left out: they render /metrics, which the drain polls.
# Usage: [THREADCPU=1] [JOPTS=...] benchmarks/collector/cpu-per-item.sh JAR metrics|traces N
# (THREADCPU=1 adds CPU per thread; JOPTS: extra collector JVM options, e.g. a flight recording)
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR=$1; SIG=$2; N=$3
W=$(mktemp -d)
mkdir -p "$W/classes"
javac -d "$W/classes" --release 17 "$ROOT"/benchmarks/src/main/java/dev/sketchtrace/benchmarks/collector/*.java
while :; do PB=$((40000 + RANDOM % 20000)); ss -ltn | grep -qE ":($((PB+1))|$((PB+2))|$((PB+3))) " || break; done
java -Xmx1g ${JOPTS:-} -jar "$JAR" --data-dir "$W/data" --otlp-http-port $((PB+1)) --otlp-grpc-port $((PB+2)) --http-port $((PB+3)) > "$W/collector.log" 2>&1 &
PID=$!
for _ in $(seq 1 90); do curl -sf http://127.0.0.1:$((PB+3))/healthz > /dev/null && break; sleep 1; done
# a port taken between the check above and the bind (other benchmarks on the machine) stops the collector
kill -0 $PID 2>/dev/null || { echo "$(basename $JAR): collector did not start: $(tail -1 "$W/collector.log")"; rm -rf "$W"; exit 1; }
# collector CPU ticks, without the threads that render /metrics for drain() (10 000 series: costly)
cpu() { local t n=0; for t in /proc/$PID/task/*; do case "$(cat $t/comm 2>/dev/null)" in armeria-common*) continue;; esac; n=$((n + $(awk '{print $14+$15}' $t/stat 2>/dev/null || echo 0))); done; echo $n; }
drain() { for _ in $(seq 1 300); do kill -0 $PID 2>/dev/null || { echo "collector exited: $(tail -1 "$W/collector.log")"; exit 1; }; P=$(curl -s http://127.0.0.1:$((PB+3))/metrics | awk '/^sketchtrace_collector_points_pending_rollup /{print $2}'); [ "${P:-1}" = "0" ] && return; sleep 5; done; }
if [ "$SIG" = traces ]; then ARGS="--batch 500"; else ARGS="--batch 1000 --series 10000 --spread-seconds 3600"; fi
LG() { java -Xmx512m -cp "$W/classes" dev.sketchtrace.benchmarks.collector.IngestLoad --url http://127.0.0.1:$((PB+1)) --signal $SIG --threads ${THREADS:-4} --seconds 600 $ARGS "$@"; }
LG --max-requests $((N/2)) > /dev/null; drain
C0=$(cpu); L=$(cut -d' ' -f1 /proc/loadavg); T0=$(date +%s.%N)
OUT=$(LG --max-requests $N); T1=$(date +%s.%N); C1=$(cpu); drain; C2=$(cpu)
RATE=$(echo "$OUT" | sed -nE 's/^accepted .*: ([0-9]+) .*/\1/p')
ST=$(echo "$OUT" | sed -nE 's/.*statuses=(.*)/\1/p')
ITEMS=$(( N * $( [ $SIG = traces ] && echo 500 || echo 1000 ) ))
printf "%s %s load=%s rate=%s statuses=%s ingest_cpu_us/item=%.2f total_cpu_us/item(with rollup)=%.2f\n" "$(basename $JAR)" $SIG $L "$RATE" "$ST" \
  $(echo "($C1-$C0)*10000/$ITEMS" | bc -l) $(echo "($C2-$C0)*10000/$ITEMS" | bc -l)
[ -n "${THREADCPU:-}" ] && for t in /proc/$PID/task/*; do echo "$(cat $t/comm | sed -E "s/-?[0-9]+$//") $(awk '{print $14+$15}' $t/stat)"; done | awk '{c[$1]+=$2} END {for (k in c) if (c[k]>20) print "  thread", k, c[k]/100 "s"}' | sort -k3 -rn
kill $PID; wait $PID 2>/dev/null; rm -rf "$W"
