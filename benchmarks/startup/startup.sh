#!/usr/bin/env bash
# Startup added by the agent to a trivial main, side by side in one run: no agent, Sketchtrace,
# and the OpenTelemetry Java agent (from Maven Central). Also prints both jar sizes.
#
#   benchmarks/startup/startup.sh [runs]        (default 5 runs each, interleaved)
#   BASELINE_AGENT=/path/to/older/telemetry-agent.jar benchmarks/startup/startup.sh 15
#                                               (adds that jar as a fourth variant, "baseline")
#
# Needs: the built agent (mvn -pl agent -am package -DskipTests), a JDK 17+ on PATH, Maven.
# Both agents export to a closed local port, so neither waits on a backend; the figure is the wall
# time from JVM launch to exit of a main that prints one line, the process's CPU time (user +
# system: work moved to a background thread still counts there) and its peak RSS.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
RUNS=${1:-5}
WORK=$ROOT/benchmarks/target/startup
AGENT=${AGENT:-$ROOT/agent/target/telemetry-agent.jar}
OTEL_VERSION=2.33.1
OTEL=$WORK/opentelemetry-javaagent-$OTEL_VERSION.jar
mkdir -p "$WORK"
[ -f "$AGENT" ] || { echo "build the agent first: mvn -pl agent -am package -DskipTests" >&2; exit 1; }
if [ ! -f "$OTEL" ]; then
  mvn -q dependency:copy -Dartifact=io.opentelemetry.javaagent:opentelemetry-javaagent:$OTEL_VERSION \
    -DoutputDirectory="$WORK" >&2
fi
cat > "$WORK/Trivial.java" <<'JAVA'
public class Trivial {
  public static void main(String[] args) {
    System.out.println("hello");
  }
}
JAVA
javac -d "$WORK" "$WORK/Trivial.java"

run() { # label, extra jvm args...
  local label=$1; shift
  local start end rss cpu
  start=$(date +%s%N)
  /usr/bin/time -f '%M %U %S' -o "$WORK/rss.txt" java "$@" -cp "$WORK" Trivial >/dev/null 2>&1
  end=$(date +%s%N)
  rss=$(tail -1 "$WORK/rss.txt" | awk '{print $1}')
  cpu=$(tail -1 "$WORK/rss.txt" | awk '{printf "%d", 1000 * ($2 + $3)}')
  echo "$label $(( (end - start) / 1000000 )) $rss $cpu"
}

OTEL_ENV=(-Dotel.exporter.otlp.endpoint=http://127.0.0.1:9 -Dotel.metrics.exporter=none -Dotel.logs.exporter=none)
ST_ENV=(-Dotel.exporter.otlp.endpoint=http://127.0.0.1:9)
{
  for i in $(seq "$RUNS"); do
    run none
    run sketchtrace -javaagent:"$AGENT" "${ST_ENV[@]}"
    if [ -n "${BASELINE_AGENT:-}" ]; then run baseline -javaagent:"$BASELINE_AGENT" "${ST_ENV[@]}"; fi
    run otel -javaagent:"$OTEL" "${OTEL_ENV[@]}"
  done
} > "$WORK/runs.txt"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }
echo "runs per variant: $RUNS (interleaved), machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
printf '%-12s %10s %10s %14s %14s %14s\n' variant "median ms" "added ms" "median CPU ms" "added CPU ms" "median RSS MB"
base=$(grep '^none ' "$WORK/runs.txt" | awk '{print $2}' | median)
basecpu=$(grep '^none ' "$WORK/runs.txt" | awk '{print $4}' | median)
for v in none sketchtrace ${BASELINE_AGENT:+baseline} otel; do
  ms=$(grep "^$v " "$WORK/runs.txt" | awk '{print $2}' | median)
  kb=$(grep "^$v " "$WORK/runs.txt" | awk '{print $3}' | median)
  cpu=$(grep "^$v " "$WORK/runs.txt" | awk '{print $4}' | median)
  printf '%-12s %10s %10s %14s %14s %14s\n' "$v" "$ms" "$((ms - base))" "$cpu" "$((cpu - basecpu))" "$((kb / 1024))"
done
echo "jar sizes: sketchtrace $(stat -c %s "$AGENT") bytes, opentelemetry-javaagent $(stat -c %s "$OTEL") bytes"
