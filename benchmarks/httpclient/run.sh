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
# Only this benchmark's sources are compiled, against JMH alone (its annotation processor generates
# the harness), so the state of the rest of the benchmarks module never gets in the way.
fetch() { # groupId:artifactId:version
  local file="$WORK/lib/$(echo "$1" | cut -d: -f2)-$(echo "$1" | cut -d: -f3).jar"
  if [ ! -f "$file" ]; then
    mvn -q dependency:copy -Dartifact="$1" -DoutputDirectory="$WORK/lib" >&2
  fi
  echo "$file"
}
mkdir -p "$WORK/lib"
DEPS="$(fetch org.openjdk.jmh:jmh-core:1.37):$(fetch net.sf.jopt-simple:jopt-simple:5.0.4)"
DEPS="$DEPS:$(fetch org.apache.commons:commons-math3:3.6.1)"
PROCESSOR="$(fetch org.openjdk.jmh:jmh-generator-annprocess:1.37)"
rm -rf "$WORK/classes" && mkdir -p "$WORK/classes"
rm -rf "$WORK/generated" && mkdir -p "$WORK/generated"
javac --release 17 -cp "$DEPS" -processorpath "$PROCESSOR:$DEPS" -d "$WORK/classes" -s "$WORK/generated" \
  "$ROOT"/benchmarks/src/main/java/dev/sketchtrace/benchmarks/httpclient/*.java
CP="$WORK/classes:$DEPS"

java -cp "$CP" \
  -Dsketchtrace.agent.jar="$OUR_AGENT" \
  -Dotel.agent.jar="$OTEL_AGENT" \
  -Dbench.rounds="$ROUNDS" \
  dev.sketchtrace.benchmarks.httpclient.HttpClientOverhead | tee "$WORK/jmh.log" | sed -n '/^HttpClient.send to a local server/,$p'
