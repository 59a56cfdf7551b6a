#!/usr/bin/env bash
# Side-by-side sysbench: one MariaDB directly, Shardwire over 2 shard groups, and (optionally)
# ShardingSphere-Proxy 5.1 over the same 2 shard groups, in one run on one machine, alternating
# the systems so that a noisy neighbour hurts them alike. Prints tps, latency, errors and the
# ratios per test. Everything it needs it installs (sysbench, mariadb client) or starts itself:
# 3 embedded MariaDB 11.4 servers (`shardwire shards`: g0 = the direct server, g1 and g2 = the
# shards), the proxy (`shardwire start`), and ShardingSphere assembled from Maven Central.
#
#   bench/sysbench.sh [--time S] [--warmup S] [--tables N] [--rows N] [--rounds N] [--tests LIST]
#                     [--no-shardingsphere] [--shardwire-jdbc] [--shardwire-busy-poll US] [--keep]
#                     [--ps-mode auto|disable]
#
# Each run warms up for --warmup seconds (default 10) on the connections it then measures on (a sysbench
# checkpoint resets the counters), so neither connecting nor the JIT's recompiles after a reconnect land in the
# figures. Besides tps and latency it prints the CPU time (user + system, from /proc) each part of the system spent
# per transaction over the measured seconds: the proxy, the MariaDB servers behind it (g0 for direct, g1 and g2 for
# the proxies) and sysbench itself. On a machine whose cores all of them share, those sums bound the tps.
#
# --shardwire-jdbc adds a second Shardwire with `server.nativeBackend: false` (every statement over the
# JDBC pools) as another column, to compare the native backend path with the JDBC one in one run.
#
# --shardwire-busy-poll US adds a Shardwire with `server.busyPollMicros: US` (its event loops, out of work, keep
# polling without sleeping for that long before they block) as another column.
#
# BENCH_IO_TRANSPORT=epoll (or io_uring, nio) sets Shardwire's `server.ioTransport` (default auto).
#
# --tests is a comma list of test:threads, default
#   oltp_point_select:1,oltp_point_select:16,oltp_read_only:16,oltp_write_only:16,oltp_read_write:16
# All runs use --db-ps-mode=auto (prepared statements; --ps-mode disable sends every statement as text) and
# --auto_inc=off (client-made ids, as a sharded table needs).
# The tables are sharded by id with `mod` over 2 buckets, i.e. id % 2, which is also the rule
# ShardingSphere uses, so both proxies read the same physical tables (sbtest_0 on g1, sbtest_1 on g2).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TIME=20 WARMUP=10 TABLES=4 ROWS=100000 ROUNDS=1 WITH_SS=1 WITH_JDBC=0 BUSY_POLL=0 KEEP=0 PS_MODE=auto
TESTS="oltp_point_select:1,oltp_point_select:16,oltp_read_only:16,oltp_write_only:16,oltp_read_write:16"
while [ $# -gt 0 ]; do
  case "$1" in
    --time) TIME="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --tables) TABLES="$2"; shift 2 ;;
    --rows) ROWS="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --tests) TESTS="$2"; shift 2 ;;
    --no-shardingsphere) WITH_SS=0; shift ;;
    --shardwire-jdbc) WITH_JDBC=1; shift ;;
    --shardwire-busy-poll) BUSY_POLL="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --ps-mode) PS_MODE="$2"; shift 2 ;;
    *) echo "usage: $0 [--time S] [--warmup S] [--tables N] [--rows N] [--rounds N] [--tests LIST] [--no-shardingsphere] [--shardwire-jdbc] [--shardwire-busy-poll US] [--keep] [--ps-mode auto|disable]" >&2; exit 2 ;;
  esac
done

WORK="${BENCH_WORK:-$ROOT/bench/work}"
SHARD_PORT=${BENCH_SHARD_PORT:-3340}   # g0 (direct) 3340, g1 3341, g2 3342
SW_PORT=${BENCH_SW_PORT:-3347} SW_HTTP=${BENCH_SW_HTTP:-9067} SS_PORT=${BENCH_SS_PORT:-3348}
SWJ_PORT=${BENCH_SWJ_PORT:-3349} SWJ_HTTP=${BENCH_SWJ_HTTP:-9068}   # the JDBC-only Shardwire (--shardwire-jdbc)
SWB_PORT=${BENCH_SWB_PORT:-3350} SWB_HTTP=${BENCH_SWB_HTTP:-9069}   # the busy-polling Shardwire (--shardwire-busy-poll)
DB_USER=shardwire DB_PASS=shardwire     # the embedded servers' account
SS_VERSION=5.1.0
SS_HOME="${HOME}/.cache/shardwire/peers/shardingsphere-${SS_VERSION}"
mkdir -p "$WORK"
PIDS=()

BENCH_NAME=bench
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

start_servers() { # g0 is the direct server, g1 and g2 the shards
  start_shards 3 "$SHARD_PORT"
  DIRECT_PORT=$(shard_port g0) G1_PORT=$(shard_port g1) G2_PORT=$(shard_port g2)
  # The servers' processes, whose CPU each run counts: the direct one, and the two the proxies use.
  DIRECT_PID=$(port_pid "$DIRECT_PORT") SHARD_PIDS="$(port_pid "$G1_PORT") $(port_pid "$G2_PORT")"
}

start_sw() { # name port httpPort nativeBackend [busyPollMicros]
  start_shardwire "$1" "$2" "$3" "$4" "${BENCH_IO_TRANSPORT:-auto}" "$TABLES" "$G1_PORT" "$G2_PORT" "${5:-0}"
}

start_shardingsphere() {
  if [ ! -d "$SS_HOME/lib" ]; then
    log "assembling ShardingSphere-Proxy $SS_VERSION from Maven Central into $SS_HOME"
    mkdir -p "$SS_HOME"
    mvn -q -B -ntp -f "$ROOT/bench/peers/shardingsphere/pom.xml" dependency:copy-dependencies \
        -DoutputDirectory="$SS_HOME/lib" -DincludeScope=runtime
  fi
  local home="$WORK/shardingsphere"
  rm -rf "$home" && mkdir -p "$home/conf"
  cp "$ROOT/bench/peers/shardingsphere/server.yaml" "$ROOT/bench/peers/shardingsphere/logback.xml" "$home/conf/"
  {
    cat <<EOF
schemaName: sbtest
dataSources:
EOF
    local i=0
    for port in "$G1_PORT" "$G2_PORT"; do
      cat <<EOF
  ds_$i:
    url: jdbc:mysql://127.0.0.1:$port/sbtest_$i?serverTimezone=UTC&useSSL=false
    username: $DB_USER
    password: $DB_PASS
    connectionTimeoutMilliseconds: 30000
    idleTimeoutMilliseconds: 60000
    maxLifetimeMilliseconds: 1800000
    maxPoolSize: 50
    minPoolSize: 1
EOF
      i=$((i + 1))
    done
    echo "rules:"
    echo "  - !SHARDING"
    echo "    tables:"
    for t in $(seq 1 "$TABLES"); do
      cat <<EOF
      sbtest$t:
        actualDataNodes: ds_\${0..1}.sbtest$t
        databaseStrategy:
          standard:
            shardingColumn: id
            shardingAlgorithmName: database_inline
EOF
    done
    cat <<'EOF'
    defaultTableStrategy:
      none:
    shardingAlgorithms:
      database_inline:
        type: INLINE
        props:
          algorithm-expression: ds_${id % 2}
          allow-range-query-with-inline-sharding: true
EOF
  } >"$home/conf/config-sharding.yaml"
  log "starting ShardingSphere-Proxy $SS_VERSION on port $SS_PORT"
  (cd "$home" && exec "$JAVA_HOME/bin/java" -server -Xmx2g -Xms2g -Xmn1g -XX:+AlwaysPreTouch -XX:+DisableExplicitGC \
      -Dio.netty.leakDetection.level=DISABLED -classpath "conf:.:$SS_HOME/lib/*" \
      org.apache.shardingsphere.proxy.Bootstrap "$SS_PORT" /conf/ >"$WORK/shardingsphere.log" 2>&1) &
  SS_PID=$!
  PIDS+=($SS_PID)
  wait_for_sql "$SS_PORT" sbtest sbtest ShardingSphere-Proxy 180
}

# The options every sysbench call here shares, in SB_ARGS.
sysbench_args() { # threads port user password
  SB_ARGS=(--db-driver=mysql --mysql-host=127.0.0.1 --mysql-port="$2" --mysql-user="$3" --mysql-password="$4"
      --mysql-db=sbtest --tables="$TABLES" --table-size="$ROWS" --auto_inc=off --threads="$1")
}

sysbench_cmd() { # test threads port user password [extra...]
  local test=$1; shift
  sysbench_args "$1" "$2" "$3" "$4"; shift 4
  sysbench "$test" "${SB_ARGS[@]}" "$@"
}

prepare() {
  log "preparing sbtest ($TABLES tables x $ROWS rows) directly on g0"
  sql "$DIRECT_PORT" "$DB_USER" "$DB_PASS" "DROP DATABASE IF EXISTS sbtest; CREATE DATABASE sbtest"
  sysbench_cmd oltp_common 2 "$DIRECT_PORT" "$DB_USER" "$DB_PASS" prepare >"$WORK/prepare-direct.log"
  log "preparing sbtest through Shardwire (rows split by id over sbtest_0 on g1 and sbtest_1 on g2)"
  sql "$SW_PORT" sbtest sbtest "CREATE DATABASE IF NOT EXISTS sbtest"
  for i in $(seq 1 "$TABLES"); do sql "$SW_PORT" sbtest sbtest "DROP TABLE IF EXISTS sbtest.sbtest$i"; done
  sysbench_cmd oltp_common 2 "$SW_PORT" sbtest sbtest prepare >"$WORK/prepare-shardwire.log"
}

# Prints "tps p50|p95 errors proxyCpu serversCpu clientCpu" of one run, the CPU times in microseconds per transaction.
measure() { # system test threads
  local system=$1 test=$2 threads=$3 port user pass pct=95 proxy="" servers=$SHARD_PIDS
  case "$system" in
    direct) port=$DIRECT_PORT user=$DB_USER pass=$DB_PASS servers=$DIRECT_PID ;;
    shardwire) port=$SW_PORT user=sbtest pass=sbtest proxy=$SW_PID ;;
    shardwire-jdbc) port=$SWJ_PORT user=sbtest pass=sbtest proxy=$SWJ_PID ;;
    shardwire-busypoll) port=$SWB_PORT user=sbtest pass=sbtest proxy=$SWB_PID ;;
    shardingsphere) port=$SS_PORT user=sbtest pass=sbtest proxy=$SS_PID ;;
  esac
  [ "$threads" -eq 1 ] && pct=50
  local out="$WORK/run-$system-$test-$threads.log"
  sysbench_args "$threads" "$port" "$user" "$pass"
  start_warmed_sysbench "$WARMUP" "$TIME" "$out" "$test" "${SB_ARGS[@]}" --db-ps-mode="$PS_MODE" --percentile="$pct"
  local client=$WARMED_SYSBENCH proxy0 servers0 client0 client1
  proxy0=$(process_ticks $proxy) servers0=$(process_ticks $servers) client0=$(process_ticks "$client" 2>/dev/null || echo 0) client1=$client0
  # The client's own CPU is read while it still runs, the last reading at most 0.2 s before its end (an exiting
  # process's threads may already be gone from its figures: only a reading that grew counts).
  local reading
  while kill -0 "$client" 2>/dev/null; do
    # Empty or garbled when the process ends while being read: such a reading is skipped.
    reading=$(process_ticks "$client" 2>/dev/null || true)
    case "$reading" in
      '' | *[!0-9]*) ;;
      *) [ "$reading" -le "$client1" ] || client1=$reading ;;
    esac
    sleep 0.2
  done
  wait || true
  local proxy1 servers1
  proxy1=$(process_ticks $proxy) servers1=$(process_ticks $servers)
  # A run that died (FATAL) has no summary: reported as failed, never as a figure.
  awk -v hz="$(getconf CLK_TCK)" -v p=$((proxy1 - proxy0)) -v s=$((servers1 - servers0)) -v c=$((client1 - client0)) \
       -v time="$TIME" -v proxied="${proxy:+1}" '
       function us(ticks) { return sprintf("%.0f", ticks / hz * 1e6 / (tps * time)) }
       /transactions:/ {gsub(/[(]/, "", $3); tps=$3}
       /percentile:/ {lat=$3}
       /ignored errors:/ {err=$3}
       /FATAL/ {fatal=1}
       END {if (tps == "" || fatal) print 0, "-", "failed", "-", "-", "-"
            else print tps, lat, err, (proxied ? us(p) : "-"), us(s), us(c)}' "$out"
}

install_tools
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
start_servers
[ "$KEEP" -eq 1 ] || rm -rf "$WORK/shardwire" "$WORK/shardwire-jdbc" "$WORK/shardwire-busypoll"
start_sw shardwire "$SW_PORT" "$SW_HTTP" true
SW_PID=$SHARDWIRE_PID
prepare
SYSTEMS=(direct shardwire)
if [ "$WITH_JDBC" -eq 1 ]; then start_sw shardwire-jdbc "$SWJ_PORT" "$SWJ_HTTP" false; SWJ_PID=$SHARDWIRE_PID; SYSTEMS+=(shardwire-jdbc); fi
if [ "$BUSY_POLL" -gt 0 ]; then
  start_sw shardwire-busypoll "$SWB_PORT" "$SWB_HTTP" true "$BUSY_POLL"; SWB_PID=$SHARDWIRE_PID; SYSTEMS+=(shardwire-busypoll)
fi
if [ "$WITH_SS" -eq 1 ]; then start_shardingsphere; SYSTEMS+=(shardingsphere); fi

RESULTS="$WORK/results.tsv"
: >"$RESULTS"
IFS=',' read -r -a TEST_LIST <<<"$TESTS"
for round in $(seq 1 "$ROUNDS"); do
  for entry in "${TEST_LIST[@]}"; do
    test=${entry%%:*} threads=${entry##*:}
    # Alternate who goes first, round by round, so that drift over time hurts no system alone.
    order=("${SYSTEMS[@]}")
    if [ $((round % 2)) -eq 0 ]; then order=($(printf '%s\n' "${SYSTEMS[@]}" | tac)); fi
    for system in "${order[@]}"; do
      log "round $round: $test, $threads threads, $system"
      printf '%s\t%s\t%s\t%s\t%s\n' "$round" "$test" "$threads" "$system" "$(measure "$system" "$test" "$threads" | tr ' ' '\t')" >>"$RESULTS"
    done
  done
done

# Median of the rounds per system, then the ratios.
MEDIAN='
  function median(list,   n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }'
echo
echo "sysbench $(sysbench --version | awk '{print $2}'), $TABLES tables x $ROWS rows, $TIME s per run after $WARMUP s of warm-up, $ROUNDS round(s), --db-ps-mode=$PS_MODE, $(nproc) cores"
awk -F'\t' -v systems="${SYSTEMS[*]}" "$MEDIAN"'
  { key = $2 ":" $3; if (!(key in seen)) { seen[key] = 1; keys[++k] = key }
    tps[key, $4] = tps[key, $4] " " $5; lat[key, $4] = lat[key, $4] " " $6; err[key, $4] += ($7 == "failed" ? 1e9 : $7) }
  END {
    n = split(systems, sys, " ")
    printf "| test | threads | latency |"
    for (i = 1; i <= n; i++) printf " %s tps | %s ms | %s errors |", sys[i], sys[i], sys[i]
    # Each proxy against direct, then each Shardwire against ShardingSphere when it ran.
    r = 0
    for (i = 2; i <= n; i++) { num[++r] = i; den[r] = 1 }
    for (j = 2; j <= n; j++) if (sys[j] == "shardingsphere") ss = j
    if (ss) for (i = 2; i <= n; i++) if (i != ss) { num[++r] = i; den[r] = ss }
    for (q = 1; q <= r; q++) printf " %s/%s |", sys[num[q]], sys[den[q]]; printf "\n"
    printf "|---|---|---|"; for (i = 1; i <= n; i++) printf "---|---|---|"
    for (q = 1; q <= r; q++) printf "---|"; printf "\n"
    for (x = 1; x <= k; x++) {
      key = keys[x]; split(key, parts, ":")
      printf "| %s | %s | %s |", parts[1], parts[2], (parts[2] == 1 ? "p50" : "p95")
      for (i = 1; i <= n; i++) {
        m[i] = median(tps[key, sys[i]])
        printf " %.0f | %s | %s |", m[i], median(lat[key, sys[i]]), (err[key, sys[i]] >= 1e9 ? "failed" : err[key, sys[i]])
      }
      # No ratio against a run that made less than one transaction a second (a stall is no baseline).
      for (q = 1; q <= r; q++) printf (m[den[q]] >= 1 ? " %.2f |" : " - |"), m[num[q]] / (m[den[q]] >= 1 ? m[den[q]] : 1)
      printf "\n"
    }
  }' "$RESULTS"
echo
echo "CPU time per transaction (us, user + system), medians of the rounds: the proxy, the MariaDB servers it uses, sysbench"
awk -F'\t' -v systems="${SYSTEMS[*]}" "$MEDIAN"'
  $8 != "-" || $9 != "-" { key = $2 ":" $3; if (!(key in seen)) { seen[key] = 1; keys[++k] = key }
    proxy[key, $4] = proxy[key, $4] " " ($8 == "-" ? 0 : $8); servers[key, $4] = servers[key, $4] " " $9
    client[key, $4] = client[key, $4] " " $10 }
  END {
    n = split(systems, sys, " ")
    printf "| test | threads |"
    for (i = 1; i <= n; i++) printf " %s proxy | %s servers | %s sysbench |", sys[i], sys[i], sys[i]
    printf "\n|---|---|"; for (i = 1; i <= n; i++) printf "---|---|---|"; printf "\n"
    for (x = 1; x <= k; x++) {
      key = keys[x]; split(key, parts, ":")
      printf "| %s | %s |", parts[1], parts[2]
      for (i = 1; i <= n; i++) {
        printf " %s | %s | %s |", (i == 1 ? "-" : median(proxy[key, sys[i]])), median(servers[key, sys[i]]),
            median(client[key, sys[i]])
      }
      printf "\n"
    }
  }' "$RESULTS"
echo
echo "raw results: $RESULTS; sysbench outputs: $WORK/run-*.log"
