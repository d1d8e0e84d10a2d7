#!/usr/bin/env bash
# Startup the agent adds to a real framework application: the shop sample (Spring Boot 3, embedded
# Tomcat, H2), from launching `java` to the first 200 of GET /products/3, interleaved with no agent.
#
#   benchmarks/startup/spring-boot.sh [rounds]          (default 5)
#   BASELINE_AGENT=/path/to/older/telemetry-agent.jar benchmarks/startup/spring-boot.sh 5
#                                                       (adds that jar as a third variant, "baseline")
#   EXTRA_JVM_ARGS="-XX:+UseSerialGC" benchmarks/startup/spring-boot.sh   (given to every variant)
#
# Per run: wall ms to the first answer, CPU ms of the process at that moment (user + system of all
# its threads, from /proc/<pid>/stat — work moved to background threads still counts), heap used
# and committed right then (jcmd GC.heap_info) and peak RSS (VmHWM). Wall time swings 2-3x on a
# shared machine; CPU is the figure to compare. The agent exports to a closed port.
# The CPU is also split by the threads alive at that moment (/proc/<pid>/task/*/stat): "main" (the
# thread that starts Spring, where instrumented classes are loaded and transformed), "JIT" (C1 + C2
# compiler threads: compiling Byte Buddy's code is a large part of the agent's startup cost) and
# "agent" (the live sketchtrace-* threads; the finished sketchtrace-start installer is no longer
# listed, its CPU is only in the process total).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
RUNS=${1:-5}
WORK=$ROOT/benchmarks/target/startup-spring-boot
AGENT=${AGENT:-$ROOT/agent/target/telemetry-agent.jar}
SHOP=${SHOP:-$ROOT/smoke-tests/apps/shop/target/shop.jar}
PORT=${PORT:-18490}
mkdir -p "$WORK"
[ -f "$AGENT" ] || { echo "build the agent first: mvn -pl agent -am package -DskipTests" >&2; exit 1; }
[ -f "$SHOP" ] || { echo "build the app first: mvn -pl smoke-tests/apps/shop -am install -DskipTests" >&2; exit 1; }
TICK=$(getconf CLK_TCK)

run() { # label, extra jvm args...
  local label=$1; shift
  local t0 pid started="" cpu heap rss threads
  # Something else answering on the port (another benchmark on a shared machine) would be timed
  # instead of this JVM.
  if curl -fs -o /dev/null "http://127.0.0.1:$PORT/products/3"; then
    echo "port $PORT already answers before $label starts: set PORT to a free one" >&2; exit 1
  fi
  t0=$(date +%s%N)
  # shellcheck disable=SC2086
  java -Xmx512m ${EXTRA_JVM_ARGS:-} "$@" -jar "$SHOP" --server.port="$PORT" > "$WORK/$label.log" 2>&1 &
  pid=$!
  for _ in $(seq 6000); do
    if curl -fs -o /dev/null "http://127.0.0.1:$PORT/products/3"; then started=$(date +%s%N); break; fi
    kill -0 "$pid" 2> /dev/null || break
    sleep 0.02
  done
  if [ -n "$started" ]; then
    cpu=$(awk -v t="$TICK" '{printf "%d", 1000 * ($14 + $15) / t}' "/proc/$pid/stat")
    heap=$(jcmd "$pid" GC.heap_info 2> /dev/null | awk '/total/ && !h {for (i = 1; i <= NF; i++) if ($i == "used") {gsub(/K,?/, "", $(i+1)); h = $(i+1)}} END {printf "%d", h / 1024}')
    rss=$(awk '/VmHWM/ {printf "%d", $2 / 1024}' "/proc/$pid/status")
    threads=$(cat /proc/"$pid"/task/*/stat 2> /dev/null | awk -v t="$TICK" '
      { name = $0; sub(/^[0-9]+ \(/, "", name); sub(/\) .*$/, "", name)
        rest = $0; sub(/^.*\) /, "", rest); split(rest, f, " "); ms = 1000 * (f[12] + f[13]) / t
        if (name == "java") main += ms; else if (name ~ /^C[12] CompilerThre/) jit += ms
        else if (name ~ /^sketchtrace/) agent += ms }
      END { printf "%d %d %d", main, jit, agent }')
    echo "$label $(( (started - t0) / 1000000 )) $cpu $heap $rss $threads"
  else
    echo "$label did not answer (log: $WORK/$label.log)" >&2
  fi
  kill "$pid" 2> /dev/null || true
  wait "$pid" 2> /dev/null || true
}

ST=(-javaagent:"$AGENT" -Dotel.exporter.otlp.endpoint=http://127.0.0.1:9)
: > "$WORK/runs.txt"
for i in $(seq "$RUNS"); do
  run none | tee -a "$WORK/runs.txt"
  run sketchtrace "${ST[@]}" | tee -a "$WORK/runs.txt"
  if [ -n "${BASELINE_AGENT:-}" ]; then
    run baseline -javaagent:"$BASELINE_AGENT" -Dotel.exporter.otlp.endpoint=http://127.0.0.1:9 | tee -a "$WORK/runs.txt"
  fi
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }
echo "rounds: $RUNS (interleaved), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
printf '%-12s %10s %10s %12s %12s %14s %12s %10s %10s %10s\n' variant "wall ms" "added ms" "CPU ms" "added CPU" \
  "heap used MB" "RSS MB" "main CPU" "JIT CPU" "agent thr"
base=$(awk '$1 == "none" {print $2}' "$WORK/runs.txt" | median)
basecpu=$(awk '$1 == "none" {print $3}' "$WORK/runs.txt" | median)
for v in none sketchtrace ${BASELINE_AGENT:+baseline}; do
  ms=$(awk -v v="$v" '$1 == v {print $2}' "$WORK/runs.txt" | median)
  cpu=$(awk -v v="$v" '$1 == v {print $3}' "$WORK/runs.txt" | median)
  heap=$(awk -v v="$v" '$1 == v {print $4}' "$WORK/runs.txt" | median)
  rss=$(awk -v v="$v" '$1 == v {print $5}' "$WORK/runs.txt" | median)
  main=$(awk -v v="$v" '$1 == v {print $6}' "$WORK/runs.txt" | median)
  jit=$(awk -v v="$v" '$1 == v {print $7}' "$WORK/runs.txt" | median)
  agent=$(awk -v v="$v" '$1 == v {print $8}' "$WORK/runs.txt" | median)
  printf '%-12s %10s %10s %12s %12s %14s %12s %10s %10s %10s\n' "$v" "$ms" "$((ms - base))" "$cpu" "$((cpu - basecpu))" \
    "$heap" "$rss" "$main" "$jit" "$agent"
done
