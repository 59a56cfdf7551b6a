#!/usr/bin/env bash
# The queue bench: Shardwire's queue beside an in-process Kafka broker, then the 10M-record backlog case.
# Usage: bench/queue-bench.sh [--records N] [--value-bytes B] [--batch R] [--backlog M] [--backlog-batch R] [--window W]
# Prints Markdown (docs/benchmarks.md, section Queue, holds a run). Needs ~8 GB free under target/.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
mvn -B -q -o test-compile dependency:build-classpath -pl mq-bridge \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/queue-bench.classpath >/dev/null
dir=mq-bridge/target/queue-bench-$(date +%s)
trap 'rm -rf "$dir"' EXIT
"$JAVA_HOME/bin/java" -Xmx4g -cp "mq-bridge/target/test-classes:mq-bridge/target/classes:$(cat mq-bridge/target/queue-bench.classpath)" \
  -Dlogback.configurationFile=mq-bridge/src/test/resources/logback-test.xml \
  io.shardwire.mq.bench.QueueBench --dir "$dir" "$@"
