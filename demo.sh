#!/usr/bin/env bash
# Sketchtrace in one command: build what is missing, start the bundled collector, start the two
# sample services (shop → inventory, Spring Boot + H2) with the agent attached, drive traffic with a
# progress line, inject a slowdown of one SQL query halfway, print a summary from the collector's
# query API, and keep everything running with the dashboard open until Ctrl-C.
#
#   ./demo.sh                   # 60 s of traffic, then the dashboard stays up until Ctrl-C
#   ./demo.sh --duration 120    # longer run
#   ./demo.sh --ci              # non-interactive: exit after the summary (status 0 = data arrived)
#   ./demo.sh --rebuild         # rebuild the jars even if they exist
#
# Needs only a JDK (17+) and Maven. Ports (override with the environment): collector OTLP/HTTP
# SKETCHTRACE_DEMO_OTLP_PORT=4318, OTLP/gRPC SKETCHTRACE_DEMO_GRPC_PORT=4317, query API and dashboard
# SKETCHTRACE_DEMO_API_PORT=4040, shop SKETCHTRACE_DEMO_SHOP_PORT=8080, inventory
# SKETCHTRACE_DEMO_INVENTORY_PORT=8081. Data and logs go to ./demo-data/ (SKETCHTRACE_DEMO_DATA).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT="$PWD"

DURATION=60 CI_MODE=false REBUILD=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --ci) CI_MODE=true; shift ;;
    --rebuild) REBUILD=true; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

OTLP_PORT="${SKETCHTRACE_DEMO_OTLP_PORT:-4318}"
GRPC_PORT="${SKETCHTRACE_DEMO_GRPC_PORT:-4317}"
API_PORT="${SKETCHTRACE_DEMO_API_PORT:-4040}"
SHOP_PORT="${SKETCHTRACE_DEMO_SHOP_PORT:-8080}"
INVENTORY_PORT="${SKETCHTRACE_DEMO_INVENTORY_PORT:-8081}"

AGENT_JAR="$ROOT/agent/target/telemetry-agent.jar"
COLLECTOR_JAR="$ROOT/collector/target/sketchtrace-collector.jar"
SHOP_JAR="$ROOT/smoke-tests/apps/shop/target/shop.jar"
INVENTORY_JAR="$ROOT/smoke-tests/apps/inventory/target/inventory.jar"
DATA="${SKETCHTRACE_DEMO_DATA:-$ROOT/demo-data}"
LOGS="$DATA/logs"

say() { printf '\033[1m==>\033[0m %s\n' "$*"; }
die() { printf 'demo: %s\n' "$*" >&2; exit 1; }

command -v java > /dev/null || die "java (JDK 17 or newer) is not on the PATH"
JAVA_MAJOR="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
[[ "${JAVA_MAJOR%%.*}" -ge 17 ]] 2> /dev/null || die "JDK 17 or newer is needed (found ${JAVA_MAJOR:-unknown})"

# ---- build ------------------------------------------------------------------------------------------
if $REBUILD || [[ ! -f "$AGENT_JAR" || ! -f "$COLLECTOR_JAR" || ! -f "$SHOP_JAR" || ! -f "$INVENTORY_JAR" ]]; then
  command -v mvn > /dev/null || die "Maven (mvn) is needed to build the jars"
  say "building the agent, the collector and the sample apps (first time: a few minutes) ..."
  mvn -q -DskipTests -pl agent,collector,smoke-tests/apps/shop,smoke-tests/apps/inventory -am install \
    || die "the build failed (run it without -q to see why)"
fi

# ---- ports ------------------------------------------------------------------------------------------
port_in_use() { (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null; }
for p in "$OTLP_PORT" "$GRPC_PORT" "$API_PORT" "$SHOP_PORT" "$INVENTORY_PORT"; do
  port_in_use "$p" && die "port $p is already in use (set SKETCHTRACE_DEMO_*_PORT, see --help)"
done

# ---- processes ----------------------------------------------------------------------------------------
CHILDREN=()
stop_all() {
  trap - EXIT INT TERM
  if [[ ${#CHILDREN[@]} -gt 0 ]]; then
    say "stopping the services and the collector"
    for pid in "${CHILDREN[@]}"; do kill "$pid" 2> /dev/null || true; done
    for pid in "${CHILDREN[@]}"; do wait "$pid" 2> /dev/null || true; done
  fi
}
trap stop_all EXIT
trap 'exit 130' INT TERM

await() { # description, seconds, command...
  local what="$1" seconds="$2"; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    ((SECONDS < deadline)) || die "$what did not come up within ${seconds}s (logs: $LOGS)"
    sleep 0.5
  done
}
log_has() { grep -q "$2" "$1" 2> /dev/null; }

rm -rf "$DATA/collector" "$LOGS" # only what an earlier demo run left here
mkdir -p "$LOGS"

say "starting the collector (OTLP/HTTP :$OTLP_PORT, query API and dashboard :$API_PORT)"
java -Xmx512m -jar "$COLLECTOR_JAR" --data-dir "$DATA/collector" --otlp-http-port "$OTLP_PORT" \
  --otlp-grpc-port "$GRPC_PORT" --http-port "$API_PORT" > "$LOGS/collector.log" 2>&1 &
CHILDREN+=($!)
await "the collector" 60 port_in_use "$API_PORT"

AGENT_FLAGS=(-javaagent:"$AGENT_JAR" -Dotel.exporter.otlp.endpoint="http://127.0.0.1:$OTLP_PORT"
  -Dsketchtrace.export.interval=2s)
say "starting inventory (:$INVENTORY_PORT) and shop (:$SHOP_PORT) with -javaagent:agent/target/telemetry-agent.jar"
java -Xmx256m "${AGENT_FLAGS[@]}" -Dotel.service.name=inventory -jar "$INVENTORY_JAR" \
  --server.port="$INVENTORY_PORT" > "$LOGS/inventory.log" 2>&1 &
CHILDREN+=($!)
java -Xmx256m "${AGENT_FLAGS[@]}" -Dotel.service.name=shop -jar "$SHOP_JAR" \
  --server.port="$SHOP_PORT" --inventory.base-url="http://127.0.0.1:$INVENTORY_PORT" > "$LOGS/shop.log" 2>&1 &
CHILDREN+=($!)
await "inventory" 180 log_has "$LOGS/inventory.log" "Started InventoryApplication"
await "shop" 180 log_has "$LOGS/shop.log" "Started ShopApplication"

say "driving traffic for ${DURATION}s (a slowdown of the report query is injected halfway)"
DRIVER_ARGS=(--shop "http://127.0.0.1:$SHOP_PORT" --api "http://127.0.0.1:$API_PORT" --duration "$DURATION")
$CI_MODE && DRIVER_ARGS+=(--ci)
status=0
java "$ROOT/smoke-tests/demo/DemoDriver.java" "${DRIVER_ARGS[@]}" || status=$?

if $CI_MODE; then
  exit "$status"
fi
echo
say "Dashboard: http://127.0.0.1:$API_PORT/  — the services keep running; press Ctrl-C to stop everything."
say "Try: curl -X POST 'http://127.0.0.1:$SHOP_PORT/admin/slowdown?extraMillis=500' and watch the dashboard."
while true; do sleep 3600 & wait $!; done
