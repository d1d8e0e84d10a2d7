#!/usr/bin/env bash
# Side-by-side overhead of Java agents on the shop sample app (Spring Boot, embedded Tomcat, H2).
#
# The same app is started with no agent, with Sketchtrace, and with the OpenTelemetry, Elastic APM
# and Datadog agents (fetched from Maven Central), each exporting to one local sink (src/Sink.java)
# so export is real. Runs are interleaved (round r starts at a rotated agent) and repeated; the
# report gives medians and ratios against no agent. See README.md in this folder.
#
#   benchmarks/overhead/run.sh            # full run: 3 rounds, 20 s warm-up, 30 s window (~20 min)
#   benchmarks/overhead/run.sh --quick    # 1 round, 5 s warm-up, 10 s window (~3 min)
#   benchmarks/overhead/run.sh --startup-only --rounds 5   # only time to first request, more samples
#
# Options: --rounds N  --warmup S  --duration S  --connections C  --threads T  --port P
#          --agents none,sketchtrace,otel,elastic,datadog  --out DIR
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
COMMAND_LINE="benchmarks/overhead/run.sh $*"

ROUNDS=3 WARMUP=20 DURATION=30 CONNECTIONS=8 THREADS=2 PORT=18480 STARTUP_ONLY=false
AGENTS="none,sketchtrace,otel,elastic,datadog"
OUT="$HERE/target/run-$(date -u +%Y%m%dT%H%M%SZ)"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) ROUNDS=1 WARMUP=5 DURATION=10; shift ;;
    --startup-only) STARTUP_ONLY=true; shift ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --agents) AGENTS="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
IFS=',' read -r -a CONFIGS <<< "$AGENTS"

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
pom_property() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$ROOT/pom.xml" | head -1; }

# ---- prerequisites --------------------------------------------------------------------------------
if ! command -v wrk > /dev/null; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get > /dev/null; then
    log "installing wrk (Debian package)"
    apt-get install -y -qq wrk > /dev/null || { apt-get update -qq && apt-get install -y -qq wrk > /dev/null; }
  else
    echo "wrk is required (Debian/Ubuntu: sudo apt-get install wrk)" >&2; exit 1
  fi
fi
mkdir -p "$OUT/agents" "$OUT/classes" "$OUT/logs"

SHOP_JAR="$ROOT/smoke-tests/apps/shop/target/shop.jar"
OUR_AGENT="$ROOT/agent/target/telemetry-agent.jar"
if [[ ! -f "$SHOP_JAR" ]]; then
  log "building the shop sample app"
  (cd "$ROOT" && mvn -q -DskipTests -pl smoke-tests/apps/shop -am install)
fi
if [[ ",$AGENTS," == *",sketchtrace,"* && ! -f "$OUR_AGENT" ]]; then
  log "building the Sketchtrace agent"
  (cd "$ROOT" && mvn -q -DskipTests -pl agent -am install)
fi

fetch() { # groupId artifactId version -> path of the jar under $OUT/agents
  local jar="$OUT/agents/$2-$3.jar"
  if [[ ! -f "$jar" ]]; then
    log "fetching $1:$2:$3 from Maven Central"
    (cd "$OUT" && mvn -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact="$1:$2:$3" -DoutputDirectory="$OUT/agents" -Dmdep.overWriteIfNewer=true) >&2
  fi
  echo "$jar"
}
declare -A AGENT_JAR=()
for c in "${CONFIGS[@]}"; do
  case "$c" in
    none) ;;
    sketchtrace) AGENT_JAR[$c]="$OUR_AGENT" ;;
    otel) AGENT_JAR[$c]="$(fetch io.opentelemetry.javaagent opentelemetry-javaagent "$(pom_property otel-javaagent.version)")" ;;
    elastic) AGENT_JAR[$c]="$(fetch co.elastic.apm elastic-apm-agent "$(pom_property elastic-agent.version)")" ;;
    datadog) AGENT_JAR[$c]="$(fetch com.datadoghq dd-java-agent "$(pom_property dd-agent.version)")" ;;
    *) echo "unknown agent: $c" >&2; exit 2 ;;
  esac
done

javac -d "$OUT/classes" "$HERE"/src/*.java

# ---- the sink -------------------------------------------------------------------------------------
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2> /dev/null || true; done; }
trap cleanup EXIT INT TERM
java -Xmx128m -cp "$OUT/classes" Sink 0 > "$OUT/logs/sink.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do grep -q 'listening on' "$OUT/logs/sink.log" && break; sleep 0.1; done
SINK_PORT="$(sed -n 's/sink listening on //p' "$OUT/logs/sink.log")"
SINK="http://127.0.0.1:$SINK_PORT"
log "sink at $SINK"

agent_flags() { # config -> JVM flags that attach the agent and point its exporter at the sink
  case "$1" in
    none) ;;
    sketchtrace) echo "-javaagent:${AGENT_JAR[$1]} -Dotel.service.name=shop -Dotel.exporter.otlp.endpoint=$SINK" ;;
    otel) echo "-javaagent:${AGENT_JAR[$1]} -Dotel.service.name=shop -Dotel.exporter.otlp.endpoint=$SINK -Dotel.exporter.otlp.protocol=http/protobuf" ;;
    elastic) echo "-javaagent:${AGENT_JAR[$1]} -Delastic.apm.service_name=shop -Delastic.apm.server_url=$SINK -Delastic.apm.application_packages=dev.sketchtrace.sample" ;;
    datadog) echo "-javaagent:${AGENT_JAR[$1]} -Ddd.service=shop -Ddd.trace.agent.url=$SINK" ;;
  esac
}

URL="http://127.0.0.1:$PORT/products/3"
RESULTS="$OUT/results.tsv"
: > "$RESULTS"

run_one() { # config round
  local config="$1" round="$2" app_log="$OUT/logs/$1-$2.log"
  # shellcheck disable=SC2046
  local t0; t0=$(date +%s%N)
  java -Xmx512m $(agent_flags "$config") -jar "$SHOP_JAR" --server.port="$PORT" > "$app_log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  local started=""
  for _ in $(seq 6000); do # 20 ms steps, at most 120 s
    if curl -fs -o /dev/null "$URL"; then started=$(date +%s%N); break; fi
    kill -0 "$pid" 2> /dev/null || break
    sleep 0.02
  done
  if [[ -z "$started" ]]; then
    log "$config round $round: the app did not serve within 120 s (log: $app_log)"
    kill "$pid" 2> /dev/null || true; wait "$pid" 2> /dev/null || true
    return 1
  fi
  local startup_ms=$(( (started - t0) / 1000000 ))
  local jar_mb=0
  [[ "$config" != none ]] && jar_mb=$(awk -v b="$(stat -c %s "${AGENT_JAR[$config]}")" 'BEGIN {printf "%.1f", b / 1048576}')
  if $STARTUP_ONLY; then
    printf 'config=%s\tround=%s\tstartup_ms=%s\tjar_mb=%s\n' "$config" "$round" "$startup_ms" "$jar_mb" >> "$RESULTS"
    log "$config round $round: startup ${startup_ms} ms"
    stop_app "$pid"
    return 0
  fi
  wrk -t "$THREADS" -c "$CONNECTIONS" -d "${WARMUP}s" "$URL" > /dev/null
  curl -fs "$SINK/__stats" > /dev/null
  local measured
  measured=$(java -cp "$OUT/classes" Measure "$pid" "$URL" "$THREADS" "$CONNECTIONS" "$DURATION")
  local exports
  exports=$(curl -fs "$SINK/__stats" | awk -F'\t' '{s += $2} END {print s + 0}')
  printf 'config=%s\tround=%s\tstartup_ms=%s\tjar_mb=%s\t%s\texport_requests=%s\n' \
    "$config" "$round" "$startup_ms" "$jar_mb" "$measured" "$exports" >> "$RESULTS"
  log "$config round $round: startup ${startup_ms} ms, $(echo "$measured" | tr '\t' ' ' | cut -d' ' -f3-7), export requests $exports"
  stop_app "$pid"
}

stop_app() { # pid: TERM, up to 20 s, then KILL
  kill "$1" 2> /dev/null || true
  for _ in $(seq 200); do kill -0 "$1" 2> /dev/null || break; sleep 0.1; done
  kill -9 "$1" 2> /dev/null || true
  wait "$1" 2> /dev/null || true
}

log "agents: ${CONFIGS[*]}; rounds $ROUNDS, warm-up ${WARMUP}s, window ${DURATION}s, wrk -t$THREADS -c$CONNECTIONS $URL"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
n=${#CONFIGS[@]}
for ((r = 1; r <= ROUNDS; r++)); do
  for ((i = 0; i < n; i++)); do
    run_one "${CONFIGS[$(( (i + r - 1) % n ))]}" "$r" || true
  done
done
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

{
  echo "Command: \`$COMMAND_LINE\` ($(date -u +%Y-%m-%d), $(nproc) cores, $(java -version 2>&1 | head -1)," \
    "load average before/after: $LOAD_BEFORE / $LOAD_AFTER)."
  if $STARTUP_ONLY; then
    echo "Startup only: time from launching \`java\` to the first 200 of \`GET /products/3\`, ${ROUNDS} interleaved round(s)."
  else
    echo "Load: \`wrk -t$THREADS -c$CONNECTIONS\` on \`GET /products/3\` (server span + one H2 query)," \
      "${WARMUP} s warm-up then a ${DURATION} s window per run, ${ROUNDS} interleaved round(s); app \`-Xmx512m\`."
  fi
  echo
  java -cp "$OUT/classes" Report "$RESULTS" "${CONFIGS[@]}"
} > "$OUT/report.md"
cat "$OUT/report.md"
log "raw results: $RESULTS; logs: $OUT/logs"
