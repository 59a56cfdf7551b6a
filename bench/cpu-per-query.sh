#!/usr/bin/env bash
# The proxy's own CPU time per query (user and system, from /proc/PID/stat) under sysbench
# oltp_point_select (16 threads; prepared unless --ps-mode disable sends text queries), for one or more `server.ioTransport` settings, alternated
# over rounds. CPU time per query, unlike tps, hardly moves when other work shares the machine, so this
# compares proxy builds or settings where a quiet machine is not to be had. Starts 2 embedded MariaDB
# shard groups (`shardwire shards`) and one proxy per setting in turn; prints one line per run and the
# median per setting.
#
# Each run measures --time seconds (default 20) after --warmup seconds (default 10) on the same connections.
#
#   bench/cpu-per-query.sh [--transports "io_uring epoll"] [--time S] [--warmup S] [--rounds N] [--ps-mode auto|disable]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRANSPORTS="io_uring epoll" TIME=20 WARMUP=10 ROUNDS=3 PS_MODE=auto
while [ $# -gt 0 ]; do
  case "$1" in
    --transports) TRANSPORTS="$2"; shift 2 ;;
    --time) TIME="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --ps-mode) PS_MODE="$2"; shift 2 ;;
    *) echo "usage: $0 [--transports \"io_uring epoll\"] [--time S] [--warmup S] [--rounds N] [--ps-mode auto|disable]" >&2
       exit 2 ;;
  esac
done

WORK="${BENCH_WORK:-$ROOT/bench/work}/cpu-per-query"
SHARD_PORT=${BENCH_SHARD_PORT:-3350} PORT=${BENCH_SW_PORT:-3357} HTTP=${BENCH_SW_HTTP:-9069}
SB=(--mysql-host=127.0.0.1 --mysql-port="$PORT" --mysql-user=sbtest --mysql-password=sbtest --mysql-db=sbtest
    --tables=2 --table-size=20000 --auto-inc=off --db-ps-mode="$PS_MODE")
rm -rf "$WORK" && mkdir -p "$WORK"
PIDS=() BENCH_NAME=cpu
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"
trap 'for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait' EXIT
install_tools
start_shards 2 "$SHARD_PORT"

start_proxy() { # transport
  start_shardwire "proxy-$1" "$PORT" "$HTTP" true "$1" 2 "$(shard_port g0)" "$(shard_port g1)"
}

first=1
for round in $(seq 1 "$ROUNDS"); do
  for t in $TRANSPORTS; do
    start_proxy "$t"
    if [ $first = 1 ]; then
      sql "$PORT" sbtest sbtest "CREATE DATABASE IF NOT EXISTS sbtest"
      sysbench oltp_point_select "${SB[@]}" prepare >"$WORK/prepare.log"; first=0
    fi
    out="$WORK/run-$t-$round.log"
    start_warmed_sysbench "$WARMUP" "$TIME" "$out" oltp_point_select "${SB[@]}" --threads=16
    before=$(shardwire_cpu_ticks)
    wait "$WARMED_SYSBENCH"
    after=$(shardwire_cpu_ticks)
    queries=$(sysbench_figure "$out" "queries:" 2)
    us=$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v q="$queries" 'BEGIN {printf "%.1f", t / hz * 1e6 / q}')
    echo "$t round $round: $us us proxy CPU per query ($queries queries)"
    echo "$t $us" >>"$WORK/results.txt"
    stop_shardwire
  done
done
for t in $TRANSPORTS; do
  echo "$t median: $(awk -v t="$t" '$1 == t {print $2}' "$WORK/results.txt" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}') us/query"
done
