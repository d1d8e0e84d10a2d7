#!/usr/bin/env bash
# App-thread cost of one java.net.http.HttpClient.send to a local server, side by side in one
# session: no agent, the Sketchtrace agent, the OpenTelemetry Java agent (JMH, forked JVMs, the GC
# profiler for allocation per call). Prints a table; the full JMH output goes to
# benchmarks/httpclient/target/jmh.log.
#
#   benchmarks/httpclient/run.sh              # ROUNDS=1
#   ROUNDS=3 benchmarks/httpclient/run.sh     # interleaved rounds, medians
#
# Needs: JDK 17+, Maven, agent/target/telemetry-agent.jar (mvn -pl agent package -DskipTests).
# The OpenTelemetry agent is fetched into the local Maven repository if missing.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
WORK="$HERE/target"
ROUNDS="${ROUNDS:-1}"
OTEL_VERSION="${OTEL_VERSION:-2.33.1}"
OUR_AGENT="${OUR_AGENT:-$ROOT/agent/target/telemetry-agent.jar}"
OTEL_AGENT="${OTEL_AGENT:-$HOME/.m2/repository/io/opentelemetry/javaagent/opentelemetry-javaagent/$OTEL_VERSION/opentelemetry-javaagent-$OTEL_VERSION.jar}"
mkdir -p "$WORK"

[ -f "$OUR_AGENT" ] || { echo "missing $OUR_AGENT: build it with mvn -pl agent package -DskipTests" >&2; exit 1; }
if [ ! -f "$OTEL_AGENT" ]; then
  mvn -q dependency:get -Dartifact="io.opentelemetry.javaagent:opentelemetry-javaagent:$OTEL_VERSION" >&2
fi

cd "$ROOT"
# Only this benchmark's sources are compiled (JMH's annotation processor generates the harness),
# so a broken or slow build elsewhere in the benchmarks module does not get in the way.
mvn -q -o -pl benchmarks dependency:build-classpath -Dmdep.outputFile="$WORK/classpath.txt" >/dev/null
DEPS="$(cat "$WORK/classpath.txt")"
rm -rf "$WORK/classes" && mkdir -p "$WORK/classes"
javac --release 17 -proc:full -cp "$DEPS" -d "$WORK/classes" \
  "$ROOT"/benchmarks/src/main/java/dev/sketchtrace/benchmarks/httpclient/*.java
CP="$WORK/classes:$DEPS"

java -cp "$CP" \
  -Dsketchtrace.agent.jar="$OUR_AGENT" \
  -Dotel.agent.jar="$OTEL_AGENT" \
  -Dbench.rounds="$ROUNDS" \
  dev.sketchtrace.benchmarks.httpclient.HttpClientOverhead | tee "$WORK/jmh.log" | sed -n '/^HttpClient.send to a local server/,$p'
