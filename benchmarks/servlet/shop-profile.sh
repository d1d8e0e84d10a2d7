#!/usr/bin/env bash
# What an agent costs the shop sample app (Spring Boot, embedded Tomcat, H2; one server span and one
# JDBC span per GET /products/3), in figures that survive a loaded machine: the CPU time per request
# of each group of the app's threads (request threads, the agent's folder and export threads, JIT,
# GC, reference handler — from /proc/<pid>/task over the window) and a JFR recording of the window
# (execution samples at 2 ms, per-thread allocation) summarised by shop_summary.py.
#
#   benchmarks/servlet/shop-profile.sh agent/target/telemetry-agent.jar ours
#   benchmarks/servlet/shop-profile.sh none none
#   SECONDS_MEASURED=30 benchmarks/servlet/shop-profile.sh /tmp/base/telemetry-agent.jar base -Dsome.flag=x
#
# Run the configurations interleaved (A B B A): absolute CPU per request moves with the machine's
# load; compare within a round and prefer ratios inside one process (folder ÷ request threads).
#
# Why the warm-up waits for the JIT: on a loaded 2-core machine C2 falls minutes behind, and a
# process measured while it still compiles spends most request samples interpreted — a no-agent
# run was measured at 45 % interpreted top frames and 6x the request-thread CPU of a warmed one.
# After WARMUP seconds of load, 10 s rounds of load repeat (at most 10) until the compiler threads
# used under 3 % of the process's CPU in one round. Needs wrk, a JDK 17+ (jcmd, jfr) and python3.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
AGENT="$1"; TAG="$2"; shift 2
PORT="${PORT:-18490}"
WARMUP="${WARMUP:-20}"
SECONDS_MEASURED="${SECONDS_MEASURED:-20}"
SHOP="$ROOT/smoke-tests/apps/shop/target/shop.jar"
WORK="$HERE/target/shop-profile"
URL="http://127.0.0.1:$PORT/products/3"
mkdir -p "$WORK"
[ -f "$SHOP" ] || { echo "build the shop app first: ./mvnw -q -o -pl smoke-tests/apps/shop package -DskipTests" >&2; exit 1; }
AGENT_ARGS=()
[ "$AGENT" != none ] && AGENT_ARGS=(-javaagent:"$AGENT" -Dotel.service.name=shop
  -Dotel.exporter.otlp.endpoint=http://127.0.0.1:9)
LOG="$WORK/$TAG.log"
java -XX:FlightRecorderOptions:stackdepth=256 -Xmx512m "${AGENT_ARGS[@]}" "$@" -jar "$SHOP" \
  --server.port="$PORT" >"$LOG" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT

threads() { # per thread of the app: name, utime+stime ticks, tid
  for t in /proc/$pid/task/*; do
    local s; s=$(sed 's/.*) //' "$t/stat" 2>/dev/null) || continue
    printf '%s\t%s\t%s\n' "$(cat "$t/comm" 2>/dev/null)" "$(echo "$s" | awk '{print $12 + $13}')" "${t##*/}"
  done
}

for _ in $(seq 600); do
  kill -0 $pid || { echo "the app exited; see $LOG" >&2; exit 1; }
  grep -q "Started ShopApplication" "$LOG" && curl -fs -o /dev/null "$URL" && break
  sleep 0.2
done
wrk -t2 -c8 -d"${WARMUP}s" "$URL" >/dev/null
for round in $(seq 10); do
  threads >"$WORK/$TAG.w0"
  wrk -t2 -c8 -d10s "$URL" >/dev/null
  threads >"$WORK/$TAG.w1"
  share=$(python3 "$HERE/shop_summary.py" compiler-share "$WORK/$TAG.w0" "$WORK/$TAG.w1")
  echo "warm-up round $round: compiler threads $share % of the process CPU" >&2
  awk -v s="$share" 'BEGIN {exit !(s < 3)}' && break
done

cat >"$WORK/profile.jfc" <<'X'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0">
  <event name="jdk.ExecutionSample"><setting name="enabled">true</setting><setting name="period">2 ms</setting></event>
  <event name="jdk.ThreadAllocationStatistics"><setting name="enabled">true</setting><setting name="period">everyChunk</setting></event>
</configuration>
X
jcmd $pid JFR.start name=shop settings="$WORK/profile.jfc" filename="$WORK/$TAG.jfr" >/dev/null
threads >"$WORK/$TAG.t0"
out=$(wrk -t2 -c8 -d"${SECONDS_MEASURED}s" "$URL")
threads >"$WORK/$TAG.t1"
jcmd $pid JFR.stop name=shop >/dev/null
requests=$(echo "$out" | awk '/requests in/ {print $1}')
echo "$TAG: $requests requests in ${SECONDS_MEASURED} s ($(echo "$out" | awk '/Requests\/sec/ {print $2}') req/s)," \
  "load average $(cut -d' ' -f1 /proc/loadavg); recording $WORK/$TAG.jfr"
python3 "$HERE/shop_summary.py" summary "$WORK/$TAG.t0" "$WORK/$TAG.t1" "$WORK/$TAG.jfr" "$requests"
