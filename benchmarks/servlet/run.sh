#!/usr/bin/env bash
# Throughput of a hello-world servlet (embedded Tomcat 10.1) under wrk at saturation, side by side:
# no agent, the Sketchtrace agent, and the OpenTelemetry Java agent 2.33.1. Runs are interleaved
# (none, ours, otel, none, ours, otel, ...) so that drift in the machine's load hits all three alike;
# the ratios are of medians over the rounds.
#
#   benchmarks/servlet/run.sh            # ROUNDS=3 WARMUP=10 DURATION=20 CONNECTIONS=32
#   ROUNDS=5 DURATION=30 benchmarks/servlet/run.sh
#   OURS_EXTRA=-Dotel.traces.sampler=always_off benchmarks/servlet/run.sh   # ours: metrics only
#   BASELINE_AGENT=/path/to/older/telemetry-agent.jar benchmarks/servlet/run.sh  # adds mode "base"
#   MODES="none ours" benchmarks/servlet/run.sh                               # a subset of modes
#
# Where the agent's time goes (a profile, robust to load): benchmarks/servlet/profile.sh <agent jar>.
#
# Needs: wrk (apt-get install -y wrk), a JDK 17+, Maven (fetches Tomcat and the OpenTelemetry agent
# into benchmarks/servlet/target), and agent/target/telemetry-agent.jar (mvn -pl agent package).
# Export: ours exports to a closed local port (every interval fails fast); the OpenTelemetry agent
# runs with its exporters off. Both still record every span and metric; neither ships any bytes.
# OURS_ENDPOINT=http://127.0.0.1:4318 exports ours to a real local receiver instead.
#
# Besides requests/s (sensitive to whatever else the machine runs), each run reports the server
# process's CPU time per request over the measured window (user + system, from /proc) — the more
# robust figure on a shared machine — and its CPU use while idle for IDLE seconds after the load.
# It also reports the CPU time per request of Tomcat's request threads alone (the "http-nio-*"
# threads: acceptor, poller, executors), which is where the advice runs: JIT compiler, GC, and the
# agent's folder and export threads are left out, so it is the figure least disturbed by a starved
# JIT on a loaded machine.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
WORK="$HERE/target"
ROUNDS="${ROUNDS:-3}"
WARMUP="${WARMUP:-10}"
DURATION="${DURATION:-20}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-2}"
PORT="${PORT:-18089}"
IDLE="${IDLE:-5}"
OURS_ENDPOINT="${OURS_ENDPOINT:-http://127.0.0.1:9}"
TOMCAT_VERSION="${TOMCAT_VERSION:-10.1.61}"
OTEL_VERSION="${OTEL_VERSION:-2.33.1}"
OUR_AGENT="${OUR_AGENT:-$ROOT/agent/target/telemetry-agent.jar}"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
[ -f "$OUR_AGENT" ] || { echo "missing $OUR_AGENT: build it with mvn -pl agent package -DskipTests" >&2; exit 1; }
mkdir -p "$WORK/lib" "$WORK/classes"

fetch() { # groupId:artifactId:version
  local file="$WORK/lib/$(echo "$1" | cut -d: -f2)-$(echo "$1" | cut -d: -f3).jar"
  if [ ! -f "$file" ]; then
    mvn -q dependency:copy -Dartifact="$1" -DoutputDirectory="$WORK/lib" >&2
  fi
  echo "$file"
}
TOMCAT_JAR="$(fetch org.apache.tomcat.embed:tomcat-embed-core:$TOMCAT_VERSION)"
# Tomcat's annotation processing needs jakarta.annotation (tomcat-annotations-api 10.1.61 is not on Central).
ANNOTATIONS_JAR="$(fetch jakarta.annotation:jakarta.annotation-api:2.1.1)"
OTEL_AGENT="$(fetch io.opentelemetry.javaagent:opentelemetry-javaagent:$OTEL_VERSION)"
javac -d "$WORK/classes" -cp "$TOMCAT_JAR" "$HERE/src/HelloServer.java"
CP="$WORK/classes:$TOMCAT_JAR:$ANNOTATIONS_JAR"

# Server on CPU 0, wrk on CPU 1 when taskset exists: they do not fight over one core.
SERVER_PIN=(); CLIENT_PIN=()
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then SERVER_PIN=(taskset -c 0); CLIENT_PIN=(taskset -c 1); fi

agent_args() {
  case "$1" in
    none) ;;
    base) echo "-javaagent:$BASELINE_AGENT -Dotel.service.name=hello -Dotel.exporter.otlp.endpoint=$OURS_ENDPOINT -Dsketchtrace.export.interval=10s ${OURS_EXTRA:-}" ;;
    ours) echo "-javaagent:$OUR_AGENT -Dotel.service.name=hello -Dotel.exporter.otlp.endpoint=$OURS_ENDPOINT -Dsketchtrace.export.interval=10s ${OURS_EXTRA:-}" ;;
    otel) echo "-javaagent:$OTEL_AGENT -Dotel.service.name=hello -Dotel.traces.exporter=none -Dotel.metrics.exporter=none -Dotel.logs.exporter=none" ;;
  esac
}

cpu_ticks() { # pid -> utime + stime of the process, in clock ticks
  awk '{print $14 + $15}' "/proc/$1/stat"
}

request_thread_ticks() { # pid -> utime + stime of its http-nio-* threads, in clock ticks
  cat /proc/"$1"/task/*/stat 2>/dev/null | awk '$2 ~ /^\(http-nio-/ {t += $14 + $15} END {print t + 0}'
}

run_one() { # mode -> prints "requests/s cpu-us-per-request idle-cpu-percent request-thread-cpu-us-per-request"
  local mode="$1" log="$WORK/server-$1.log" pid rps out t0 t1 r0 r1 requests hz idle0 idle1
  : >"$log"
  # shellcheck disable=SC2046
  "${SERVER_PIN[@]}" java -Xms256m -Xmx256m $(agent_args "$mode") -cp "$CP" HelloServer "$PORT" >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 240); do grep -q READY "$log" && break; sleep 0.5; done
  grep -q READY "$log" || { echo "server ($mode) did not start; see $log" >&2; kill "$pid" 2>/dev/null; exit 1; }
  curl -fsS "http://127.0.0.1:$PORT/hello" >/dev/null
  "${CLIENT_PIN[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "http://127.0.0.1:$PORT/hello" >/dev/null
  t0="$(cpu_ticks "$pid")"; r0="$(request_thread_ticks "$pid")"
  out="$("${CLIENT_PIN[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" "http://127.0.0.1:$PORT/hello")"
  t1="$(cpu_ticks "$pid")"; r1="$(request_thread_ticks "$pid")"
  idle0="$t1"; sleep "$IDLE"; idle1="$(cpu_ticks "$pid")"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rps="$(echo "$out" | awk '/Requests\/sec/ {print $2}')"
  requests="$(echo "$out" | awk '/requests in/ {print $1}')"
  hz="$(getconf CLK_TCK)"
  awk -v r="$rps" -v n="$requests" -v c="$((t1 - t0))" -v i="$((idle1 - idle0))" -v hz="$hz" -v s="$IDLE" \
    -v q="$((r1 - r0))" 'BEGIN {printf "%s %.2f %.2f %.2f\n", r, 1e6 * c / hz / n, 100 * i / hz / s, 1e6 * q / hz / n}'
}

MODES="${MODES:-none ours ${BASELINE_AGENT:+base} otel}"
declare -A RESULTS=([none]="" [ours]="" [base]="" [otel]="")
declare -A CPU=([none]="" [ours]="" [base]="" [otel]="")
declare -A RCPU=([none]="" [ours]="" [base]="" [otel]="")
for round in $(seq 1 "$ROUNDS"); do
  for mode in $MODES; do
    read -r rps cpu idle rcpu <<<"$(run_one "$mode")"
    RESULTS[$mode]="${RESULTS[$mode]} $rps"
    CPU[$mode]="${CPU[$mode]} $cpu"
    RCPU[$mode]="${RCPU[$mode]} $rcpu"
    printf 'round %d  %-4s  %10.1f req/s  %7.2f us CPU/request (request threads %6.2f us)  idle CPU %5.2f %%\n' \
      "$round" "$mode" "$rps" "$cpu" "$rcpu" "$idle"
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
[ -n "${BASELINE_AGENT:-}" ] && echo "base = $BASELINE_AGENT"
# One line per mode: medians over the rounds, and ratios to the no-agent medians when "none" ran.
NONE="$(echo "${RESULTS[none]}" | median)"; CNONE="$(echo "${CPU[none]}" | median)"; RNONE="$(echo "${RCPU[none]}" | median)"
for mode in $MODES; do
  awk -v m="$mode" -v r="$(echo "${RESULTS[$mode]}" | median)" -v c="$(echo "${CPU[$mode]}" | median)" \
    -v q="$(echo "${RCPU[$mode]}" | median)" -v n="$NONE" -v cn="$CNONE" -v qn="$RNONE" 'BEGIN {
    printf "median %-4s %10.1f req/s  %7.2f us CPU/request  %6.2f us request-thread CPU/request", m, r, c, q;
    if (n > 0 && m != "none")
      printf "  | vs none: throughput loss %.1f %%, CPU +%.2f us (%+.1f %%), request threads +%.2f us (%+.1f %%)",
        100 * (1 - r / n), c - cn, 100 * (c / cn - 1), q - qn, 100 * (q / qn - 1);
    printf "\n";
  }'
done
