#!/usr/bin/env bash
# The agent's JMH benchmarks (package dev.sketchtrace.benchmarks.agent): the app-thread cost of a
# span (benchmarks/src/main/java/.../agent) and the folder's throughput (agent/src/jmh/java, which
# needs the agent's classes — the benchmarks module does not depend on the agent). Compiled here
# against the agent's class path, so they run whatever state the benchmarks module is in:
#   agent/src/jmh/run.sh [JMH options]       e.g. agent/src/jmh/run.sh 'SpanStartEnd|FolderThroughput' -prof gc
set -euo pipefail
cd "$(dirname "$0")/../../.."
OUT="$(pwd)/agent/target/jmh"
mkdir -p "$OUT/classes"
mvn -q -o -pl agent dependency:build-classpath -Dmdep.outputFile="$OUT/cp.txt" >/dev/null
CP="agent/target/classes:$(cat "$OUT/cp.txt")"
JMH="$(ls ~/.m2/repository/org/openjdk/jmh/jmh-core/1.37/jmh-core-1.37.jar):$(ls ~/.m2/repository/org/openjdk/jmh/jmh-generator-annprocess/1.37/jmh-generator-annprocess-1.37.jar):$(ls ~/.m2/repository/net/sf/jopt-simple/jopt-simple/*/jopt-simple-*.jar | head -1):$(ls ~/.m2/repository/org/apache/commons/commons-math3/*/commons-math3-*.jar | head -1)"
javac -cp "$CP:$JMH" -processorpath "$JMH" -d "$OUT/classes" \
  $(find agent/src/jmh/java benchmarks/src/main/java/dev/sketchtrace/benchmarks/agent -name '*.java')
java ${JMH_JAVA_OPTS:-} -cp "$OUT/classes:$CP:$JMH" org.openjdk.jmh.Main "${@:-dev.sketchtrace.benchmarks.agent}"
