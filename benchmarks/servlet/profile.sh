#!/usr/bin/env bash
# Where a hello-world request's time goes with an agent attached, in figures that survive a loaded
# machine: the agent's share of the request threads' JFR execution samples (a ratio within one
# process) and the bytes the request threads allocate per request. Same server as run.sh (embedded
# Tomcat 10.1 pinned to CPU 0, wrk -t2 -c32 on CPU 1); build it once with run.sh.
#
#   benchmarks/servlet/profile.sh agent/target/telemetry-agent.jar
#   benchmarks/servlet/profile.sh none                                   # allocation baseline
#   SECONDS_MEASURED=30 benchmarks/servlet/profile.sh my.jar -Dotel.traces.sampler=parentbased_traceidratio -Dotel.traces.sampler.arg=0.001
#
# A sample counts as the agent's when it is in the advice inlined into
# HttpServlet.service(ServletRequest, ServletResponse) (any line but the one calling the app's
# service(HttpServletRequest, HttpServletResponse)) or in a dev.sketchtrace frame.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
WORK="$HERE/target"
AGENT="$1"; shift
PORT="${PORT:-18189}"
WARMUP="${WARMUP:-20}"
SECONDS_MEASURED="${SECONDS_MEASURED:-30}"
[ -f "$WORK/classes/HelloServer.class" ] || { echo "run benchmarks/servlet/run.sh once first (it builds the server)" >&2; exit 1; }
CP="$WORK/classes:$WORK/lib/tomcat-embed-core-10.1.61.jar:$WORK/lib/jakarta.annotation-api-2.1.1.jar"
JFR="$WORK/profile-$(basename "$AGENT" .jar).jfr"
LOG="$WORK/profile-server.log"
AGENT_ARGS=()
[ "$AGENT" != none ] && AGENT_ARGS=(-javaagent:"$AGENT" -Dotel.service.name=hello
  -Dotel.exporter.otlp.endpoint=http://127.0.0.1:9 -Dsketchtrace.export.interval=10s)
taskset -c 0 java -Xms256m -Xmx256m "${AGENT_ARGS[@]}" "$@" -cp "$CP" HelloServer "$PORT" >"$LOG" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do grep -q READY "$LOG" && break; sleep 0.5; done
taskset -c 1 wrk -t2 -c32 -d"${WARMUP}s" "http://127.0.0.1:$PORT/hello" >/dev/null
cat >"$WORK/profile.jfc" <<'X'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0">
  <event name="jdk.ExecutionSample"><setting name="enabled">true</setting><setting name="period">1 ms</setting></event>
  <event name="jdk.ThreadAllocationStatistics"><setting name="enabled">true</setting><setting name="period">everyChunk</setting></event>
  <event name="jdk.ObjectAllocationSample"><setting name="enabled">true</setting><setting name="throttle">1000/s</setting><setting name="stackTrace">true</setting></event>
</configuration>
X
jcmd "$pid" JFR.start name=p settings="$WORK/profile.jfc" filename="$JFR" >/dev/null
requests="$(taskset -c 1 wrk -t2 -c32 -d"${SECONDS_MEASURED}s" "http://127.0.0.1:$PORT/hello" | awk '/requests in/ {print $1}')"
jcmd "$pid" JFR.stop name=p >/dev/null
echo "$requests requests in ${SECONDS_MEASURED}s; recording: $JFR"
python3 "$HERE/profile_summary.py" "$JFR" "$requests"
