#!/usr/bin/env bash
# The proxy's own CPU time per query (user and system, from /proc/PID/stat) under sysbench
# oltp_point_select (prepared, 16 threads), for one or more `server.ioTransport` settings, alternated
# over rounds. CPU time per query, unlike tps, hardly moves when other work shares the machine, so this
# compares proxy builds or settings where a quiet machine is not to be had. Starts 2 embedded MariaDB
# shard groups (`shardwire shards`) and one proxy per setting in turn; prints one line per run and the
# median per setting.
#
#   bench/cpu-per-query.sh [--transports "io_uring epoll"] [--events N] [--rounds N]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRANSPORTS="io_uring epoll" EVENTS=200000 ROUNDS=3
while [ $# -gt 0 ]; do
  case "$1" in
    --transports) TRANSPORTS="$2"; shift 2 ;;
    --events) EVENTS="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    *) echo "usage: $0 [--transports \"io_uring epoll\"] [--events N] [--rounds N]" >&2; exit 2 ;;
  esac
done

WORK="${BENCH_WORK:-$ROOT/bench/work}/cpu-per-query"
SHARD_PORT=${BENCH_SHARD_PORT:-3350} PORT=${BENCH_SW_PORT:-3357} HTTP=${BENCH_SW_HTTP:-9069}
SB=(--mysql-host=127.0.0.1 --mysql-port="$PORT" --mysql-user=sbtest --mysql-password=sbtest --mysql-db=sbtest
    --tables=2 --table-size=20000 --auto-inc=off --db-ps-mode=auto)
rm -rf "$WORK" && mkdir -p "$WORK"
SHARDS="" PROXY=""
log() { printf '[cpu %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
stop_proxy() { [ -z "$PROXY" ] || { kill "$PROXY" 2>/dev/null || true; wait "$PROXY" 2>/dev/null || true; PROXY=""; }; }
trap 'stop_proxy; [ -z "$SHARDS" ] || { kill "$SHARDS" 2>/dev/null; wait "$SHARDS" 2>/dev/null; }' EXIT
command -v sysbench >/dev/null && command -v mariadb >/dev/null \
    || { apt-get update -qq && apt-get install -y -qq sysbench mariadb-client >/dev/null; }

"$ROOT/shardwire" shards --groups 2 --replicas 0 --data-dir "$WORK/mariadb" --shard-port "$SHARD_PORT" \
    --ready-file "$WORK/servers.txt" >"$WORK/shards.log" 2>&1 &
SHARDS=$!
until [ -f "$WORK/servers.txt" ]; do kill -0 "$SHARDS" || { cat "$WORK/shards.log" >&2; exit 1; }; sleep 1; done

start_proxy() { # transport
  sed -e "s/@T@/$1/" -e "s/@P@/$PORT/" -e "s/@H@/$HTTP/" -e "s|@D@|$WORK/proxy-$1|" \
      -e "s/@G1@/$SHARD_PORT/" -e "s/@G2@/$((SHARD_PORT + 1))/" >"$WORK/$1.yaml" <<'EOF'
server:
  port: @P@
  httpPort: @H@
  dataDir: @D@
  ioTransport: @T@
  users:
    - {name: sbtest, password: sbtest, schemas: [sbtest]}
shardGroups:
  - name: g1
    primary: {port: @G1@, user: shardwire, password: shardwire}
  - name: g2
    primary: {port: @G2@, user: shardwire, password: shardwire}
schemas:
  - name: sbtest
    defaultShardGroup: g1
    dataNodes: {sbtest_0: g1, sbtest_1: g2}
    tables:
      sbtest1: {kind: sharded, shardKey: id, algorithm: {type: mod}, buckets: 2}
      sbtest2: {kind: sharded, shardKey: id, algorithm: {type: mod}, buckets: 2}
EOF
  SHARDWIRE_JAVA_OPTS="-Xms2g -Xmx2g" "$ROOT/shardwire" start --config "$WORK/$1.yaml" >"$WORK/proxy-$1.log" 2>&1 &
  PROXY=$!
  until mariadb --protocol=tcp -h127.0.0.1 -P"$PORT" -usbtest -psbtest --skip-ssl -e "SELECT 1" >/dev/null 2>&1; do
    kill -0 "$PROXY" || { cat "$WORK/proxy-$1.log" >&2; exit 1; }; sleep 1
  done
}

cpu_ticks() { # pid of the JVM listening on PORT: utime + stime
  awk '{print $14 + $15}' "/proc/$(ss -ltnpH "sport = :$PORT" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)/stat"
}

first=1
for round in $(seq 1 "$ROUNDS"); do
  for t in $TRANSPORTS; do
    start_proxy "$t"
    if [ $first = 1 ]; then
      mariadb --protocol=tcp -h127.0.0.1 -P"$PORT" -usbtest -psbtest --skip-ssl -e "CREATE DATABASE IF NOT EXISTS sbtest"
      sysbench oltp_point_select "${SB[@]}" prepare >"$WORK/prepare.log"; first=0
    fi
    sysbench oltp_point_select "${SB[@]}" --threads=16 --time=10 run >/dev/null   # warm-up (JIT)
    before=$(cpu_ticks)
    out=$(sysbench oltp_point_select "${SB[@]}" --threads=16 --events="$EVENTS" --time=0 run)
    after=$(cpu_ticks)
    queries=$(awk '/queries:/ {print $2; exit}' <<<"$out")
    us=$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v q="$queries" 'BEGIN {printf "%.1f", t / hz * 1e6 / q}')
    echo "$t round $round: $us us proxy CPU per query ($queries queries)"
    echo "$t $us" >>"$WORK/results.txt"
    stop_proxy
  done
done
for t in $TRANSPORTS; do
  echo "$t median: $(awk -v t="$t" '$1 == t {print $2}' "$WORK/results.txt" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}') us/query"
done
