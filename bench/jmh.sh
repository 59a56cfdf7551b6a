#!/usr/bin/env bash
# JMH micro-benchmarks of the hot paths (bench/src/main/java/io/shardwire/bench).
#   bench/jmh.sh                 # all of them
#   bench/jmh.sh RouterBenchmark # a regex of benchmark names; any further JMH options follow it
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cd "$ROOT"
mvn -B -q -ntp package -DskipTests -pl bench -am >&2
exec "$JAVA_HOME/bin/java" -cp "bench/target/shardwire-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath.txt)" \
    org.openjdk.jmh.Main "${@:-.*}"
