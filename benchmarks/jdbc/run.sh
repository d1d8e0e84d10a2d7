#!/usr/bin/env bash
# JDBC benchmarks in one session (JMH, forked JVMs, GC profiler for allocation per query):
#   1. folder-thread work: SQL sanitizing (a cache miss) and mapping a cached statement;
#   2. app-thread cost of one executeQuery on a no-op in-memory driver: no agent, the Sketchtrace
#      agent, the OpenTelemetry Java agent, side by side.
# Prints the tables; the full JMH output goes to benchmarks/jdbc/target/jmh.log.
#
#   benchmarks/jdbc/run.sh                 # ROUNDS=1
#   ROUNDS=3 benchmarks/jdbc/run.sh        # interleaved rounds, medians
#   SANITIZER=false benchmarks/jdbc/run.sh # part 2 only
#   EXECUTE=false benchmarks/jdbc/run.sh   # part 1 only
#   INCLUDE=executeQuery SANITIZER=false benchmarks/jdbc/run.sh  # only benchmarks matching the regex
#   BASELINE_AGENT=/tmp/before/telemetry-agent.jar ...           # also an earlier build: before/after
#   SKETCHTRACE_OPTS="-Dsketchtrace.x=y" ...                     # extra JVM options, sketchtrace run only
#   STEPS=true benchmarks/jdbc/run.sh      # only JdbcAdviceStepsBenchmark: what each step of the
#                                          # advice costs alone (clock read, lookups), CPU and B/op
#
# Needs: a JDK 17+ (the no-op driver is compiled at run time), Maven,
# agent/target/telemetry-agent.jar (mvn -pl agent package -DskipTests), and instrumentation-jdbc
# installed (mvn -pl instrumentation-jdbc install). The OpenTelemetry agent is fetched into the
# local Maven repository if missing.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
WORK="$HERE/target"
ROUNDS="${ROUNDS:-1}"
SANITIZER="${SANITIZER:-true}"
EXECUTE="${EXECUTE:-true}"
INCLUDE="${INCLUDE:-.*}"
VERSION=0.1.0-SNAPSHOT
OTEL_VERSION="${OTEL_VERSION:-2.33.1}"
OUR_AGENT="${OUR_AGENT:-$ROOT/agent/target/telemetry-agent.jar}"
OTEL_AGENT="${OTEL_AGENT:-$HOME/.m2/repository/io/opentelemetry/javaagent/opentelemetry-javaagent/$OTEL_VERSION/opentelemetry-javaagent-$OTEL_VERSION.jar}"
REPO="$HOME/.m2/repository/dev/sketchtrace"
JDBC_JAR="$REPO/instrumentation-jdbc/$VERSION/instrumentation-jdbc-$VERSION.jar"
API_JAR="$REPO/instrumentation-api/$VERSION/instrumentation-api-$VERSION.jar"
mkdir -p "$WORK"

[ -f "$OUR_AGENT" ] || { echo "missing $OUR_AGENT: build it with mvn -pl agent package -DskipTests" >&2; exit 1; }
for jar in "$JDBC_JAR" "$API_JAR"; do
  [ -f "$jar" ] || { echo "missing $jar: mvn -pl instrumentation-api,instrumentation-jdbc install -DskipTests" >&2; exit 1; }
done
if [ ! -f "$OTEL_AGENT" ]; then
  mvn -q dependency:get -Dartifact="io.opentelemetry.javaagent:opentelemetry-javaagent:$OTEL_VERSION" >&2
fi

cd "$ROOT"
# The class path is assembled from the local Maven repository (versions as pinned in the root pom)
# rather than from the benchmarks module, so this run depends on nothing else in that module.
M2="$HOME/.m2/repository"
DEPS="$M2/org/openjdk/jmh/jmh-core/1.37/jmh-core-1.37.jar:$M2/net/sf/jopt-simple/jopt-simple/5.0.4/jopt-simple-5.0.4.jar"
DEPS="$DEPS:$M2/org/apache/commons/commons-math3/3.6.1/commons-math3-3.6.1.jar"
DEPS="$DEPS:$M2/org/openjdk/jmh/jmh-generator-annprocess/1.37/jmh-generator-annprocess-1.37.jar"
DEPS="$DEPS:$REPO/sketchtrace-bootstrap/$VERSION/sketchtrace-bootstrap-$VERSION.jar"
DEPS="$DEPS:$M2/org/jctools/jctools-core/4.0.7/jctools-core-4.0.7.jar"
for jar in $(echo "$DEPS" | tr ':' ' '); do
  [ -f "$jar" ] || { echo "missing $jar (mvn -pl bootstrap install; mvn dependency:get for JMH)" >&2; exit 1; }
done
DEPS="$DEPS:$JDBC_JAR:$API_JAR"
rm -rf "$WORK/classes" && mkdir -p "$WORK/classes"
javac -nowarn --release 17 -cp "$DEPS" -processorpath "$DEPS" -d "$WORK/classes" \
  "$ROOT"/benchmarks/src/main/java/dev/sketchtrace/benchmarks/jdbc/*.java
CP="$WORK/classes:$DEPS"

if [ "${STEPS:-false}" = true ]; then
  java -cp "$CP" org.openjdk.jmh.Main JdbcAdviceStepsBenchmark \
    -prof dev.sketchtrace.benchmarks.jdbc.CpuTimeProfiler -prof gc | tee "$WORK/steps.log" \
    | grep -E '^(Benchmark|JdbcAdviceSteps.*(cpu.worker|alloc.rate.norm))'
  exit 0
fi

java -cp "$CP" \
  -Dsketchtrace.agent.jar="$OUR_AGENT" \
  -Dotel.agent.jar="$OTEL_AGENT" \
  -Dsketchtrace.baseline.jar="${BASELINE_AGENT:-}" \
  -Dbench.rounds="$ROUNDS" \
  -Dbench.sanitizer="$SANITIZER" \
  -Dbench.execute="$EXECUTE" \
  -Dbench.include="$INCLUDE" \
  -Dbench.sketchtrace.opts="${SKETCHTRACE_OPTS:-}" \
  dev.sketchtrace.benchmarks.jdbc.JdbcOverhead | tee "$WORK/jmh.log" | sed -n '/^JDBC /,$p'
