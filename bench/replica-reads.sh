#!/usr/bin/env bash
# Prepared point selects that go to a replica (read/write split): sysbench oltp_point_select (prepared, 16 threads)
# through Shardwire on one shard group with one replica and `reads.fromReplicas`, once with the native backend path
# (`server.nativeBackend: true`: the proxy's own connection to the replica, where the statement stays prepared) and
# once without it (every read on a borrowed JDBC connection: prepare, execute, reset), alternated over rounds. Prints
# per run tps, p95, the proxy's CPU per query (/proc) and the replica's prepares per query, then the medians.
#
# Each run measures --time seconds (default 20) after --warmup seconds (default 10) on the same connections.
#
#   bench/replica-reads.sh [--time S] [--warmup S] [--rounds N]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TIME=20 WARMUP=10 ROUNDS=3
while [ $# -gt 0 ]; do
  case "$1" in
    --time) TIME="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    *) echo "usage: $0 [--time S] [--warmup S] [--rounds N]" >&2; exit 2 ;;
  esac
done

WORK="${BENCH_WORK:-$ROOT/bench/work}/replica-reads"
SHARD_PORT=${BENCH_SHARD_PORT:-3370} PORT=${BENCH_SW_PORT:-3377} HTTP=${BENCH_SW_HTTP:-9089}
SB=(--mysql-host=127.0.0.1 --mysql-port="$PORT" --mysql-user=sbtest --mysql-password=sbtest --mysql-db=sbtest
    --tables=2 --table-size=20000 --auto-inc=off --db-ps-mode=auto)
rm -rf "$WORK" && mkdir -p "$WORK"
PIDS=() BENCH_NAME=replica-reads
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"
trap 'for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait' EXIT
install_tools
start_shards 1 "$SHARD_PORT" 1
PRIMARY=$(shard_port g0) REPLICA=$(replica_port g0)

start_proxy() { # nativeBackend
  cat >"$WORK/native-$1.yaml" <<YAML
server:
  port: $PORT
  httpPort: $HTTP
  dataDir: $WORK/native-$1
  nativeBackend: $1
  users:
    - {name: sbtest, password: sbtest, schemas: [sbtest]}
shardGroups:
  - name: g1
    primary: {port: $PRIMARY, user: shardwire, password: shardwire}
    replicas:
      - {port: $REPLICA, user: shardwire, password: shardwire}
    reads: {fromReplicas: true}
schemas:
  - name: sbtest
    defaultShardGroup: g1
YAML
  log "starting Shardwire (nativeBackend: $1)"
  run_shardwire "native-$1" "$PORT"
}
replica_prepares() { # the replica's COM_STMT_PREPAREs so far
  sql "$REPLICA" shardwire shardwire "SHOW GLOBAL STATUS LIKE 'Com_stmt_prepare'" | awk '{print $2}'
}

first=1
for round in $(seq 1 "$ROUNDS"); do
  for native in true false; do
    start_proxy "$native"
    if [ $first = 1 ]; then
      sql "$PORT" sbtest sbtest "CREATE DATABASE IF NOT EXISTS sbtest"
      sysbench oltp_point_select "${SB[@]}" prepare >"$WORK/prepare.log"
      until [ "$(sql "$REPLICA" shardwire shardwire "SELECT COUNT(*) FROM sbtest.sbtest2" 2>/dev/null)" = 20000 ]; do
        sleep 1
      done
      first=0
    fi
    out="$WORK/run-$native-$round.log"
    start_warmed_sysbench "$WARMUP" "$TIME" "$out" oltp_point_select "${SB[@]}" --threads=16 --percentile=95
    prep0=$(replica_prepares)
    ticks0=$(shardwire_cpu_ticks)
    wait "$WARMED_SYSBENCH"
    ticks1=$(shardwire_cpu_ticks)
    prep1=$(replica_prepares)
    tps=$(sysbench_figure "$out" "transactions:" 3)
    p95=$(sysbench_figure "$out" "95th percentile:" 3)
    queries=$(sysbench_figure "$out" "queries:" 2)
    errors=$(sysbench_figure "$out" "ignored errors:" 3)
    line=$(awk -v tps="$tps" -v p95="$p95" -v e="$errors" -v q="$queries" -v t=$((ticks1 - ticks0)) \
        -v hz="$(getconf CLK_TCK)" -v p=$((prep1 - prep0)) \
        'BEGIN {printf "%s %s %s %.1f %.3f", tps, p95, e, t / hz * 1e6 / q, p / q}')
    echo "nativeBackend=$native round $round: tps p95_ms errors proxy_us/query replica_prepares/query: $line"
    echo "$native $line" >>"$WORK/results.txt"
    stop_shardwire
  done
done
for native in true false; do
  echo "nativeBackend=$native median tps: $(awk -v n="$native" '$1 == n {print $2}' "$WORK/results.txt" | sort -n \
      | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'), median proxy us/query: $(awk -v n="$native" \
      '$1 == n {print $5}' "$WORK/results.txt" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')"
done
