#!/usr/bin/env bash
# CDC benchmark: row events/s and commit-to-consume p50/p99, raw Debezium capture beside capture through the
# queue, on one embedded mariadbd, in one run. Arguments: [rows] [writers] [rows per transaction] [rounds] [rows/s]
# [replicas] (defaults 40000 4 10 1 0 = unlimited, 0; with replicas, a third capture waits for one of them before
# each append: the replica acknowledgement's cost). Builds the cdc module and its test classes (no install), then runs
# io.shardwire.cdc.debezium.CdcBench. Results go to stdout; docs/benchmarks.md has the published ones.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
classpath_file="$PWD/cdc/target/bench.classpath"
mvn -B -ntp -q -o -pl cdc -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file"
cd cdc
exec "$JAVA_HOME/bin/java" -cp "target/test-classes:target/classes:../mq-bridge/target/classes:../embedded/target/classes:$(cat "$classpath_file")" \
    io.shardwire.cdc.debezium.CdcBench "$@"
