#!/usr/bin/env bash
# Shared by the sysbench scripts (sourced, not run): tools, SQL helpers, the embedded shard servers and the Shardwire
# proxy they measure. The caller sets ROOT (the project), WORK (its scratch dir), BENCH_NAME (the log prefix) and a
# PIDS array, whose processes it stops on exit.

log() { printf '[%s %s] %s\n' "$BENCH_NAME" "$(date +%H:%M:%S)" "$*" >&2; }

install_tools() {
  local missing=()
  command -v sysbench >/dev/null || missing+=(sysbench)
  command -v mariadb >/dev/null || missing+=(mariadb-client)
  [ ${#missing[@]} -eq 0 ] && return
  log "installing ${missing[*]}"
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq && $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

sql() { # port user password sql...
  local port=$1 user=$2 pass=$3; shift 3
  mariadb --protocol=tcp -h127.0.0.1 -P"$port" -u"$user" -p"$pass" --skip-ssl -N -B -e "$*"
}

wait_for_sql() { # port user password what seconds
  local deadline=$((SECONDS + $5))
  until sql "$1" "$2" "$3" "SELECT 1" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || { log "$4 did not answer on port $1 within $5 s"; return 1; }
    sleep 1
  done
}

# Starts `shardwire shards`: GROUPS embedded MariaDB servers (g0, g1, ...) from PORT on, each with REPLICAS replicas
# (default none), account shardwire/shardwire; returns once all answer. shard_port gN prints a primary's port,
# replica_port gN prints its first replica's.
start_shards() { # groups port [replicas]
  rm -f "$WORK/servers.txt"
  log "starting $1 MariaDB shard groups from port $2 (replicas each: ${3:-0})"
  "$ROOT/shardwire" shards --groups "$1" --replicas "${3:-0}" --data-dir "$WORK/mariadb" --shard-port "$2" \
      --ready-file "$WORK/servers.txt" >"$WORK/shards.log" 2>&1 &
  PIDS+=($!)
  local deadline=$((SECONDS + 600))   # the first run builds the project and unpacks MariaDB
  until [ -f "$WORK/servers.txt" ]; do
    kill -0 "${PIDS[-1]}" 2>/dev/null || { cat "$WORK/shards.log" >&2; return 1; }
    [ $SECONDS -lt $deadline ] || { log "shard servers not ready"; return 1; }
    sleep 1
  done
}

shard_port() { # group name
  awk -v g="$1" '$1 == g && $2 == "primary" {print $4}' "$WORK/servers.txt"
}

replica_port() { # group name
  awk -v g="$1" '$1 == g && $2 == "replica" {print $4; exit}' "$WORK/servers.txt"
}

# Starts Shardwire on two shard groups with the sbtest tables sharded by id (mod 2: sbtest_0 on the first group,
# sbtest_1 on the second), user sbtest/sbtest; returns once it answers, its PID in SHARDWIRE_PID (also in PIDS).
start_shardwire() { # name port httpPort nativeBackend ioTransport tables group1Port group2Port [busyPollMicros]
  local name=$1 port=$2 http=$3 native=$4 transport=$5 tables=$6 g1=$7 g2=$8 busy=${9:-0}
  {
    cat <<YAML
server:
  port: $port
  httpPort: $http
  dataDir: $WORK/$name
  nativeBackend: $native
  ioTransport: $transport
  busyPollMicros: $busy
  users:
    - {name: sbtest, password: sbtest, schemas: [sbtest]}
shardGroups:
  - name: g1
    primary: {port: $g1, user: shardwire, password: shardwire}
  - name: g2
    primary: {port: $g2, user: shardwire, password: shardwire}
schemas:
  - name: sbtest
    defaultShardGroup: g1
    dataNodes: {sbtest_0: g1, sbtest_1: g2}
    tables:
YAML
    for i in $(seq 1 "$tables"); do
      echo "      sbtest$i: {kind: sharded, shardKey: id, algorithm: {type: mod}, buckets: 2}"
    done
  } >"$WORK/$name.yaml"
  log "starting $name on port $port (nativeBackend: $native, ioTransport: $transport, busyPollMicros: $busy)"
  run_shardwire "$name" "$port"
}

# Starts Shardwire with the configuration in $WORK/NAME.yaml (heap fixed and touched at start, unless
# SHARDWIRE_JAVA_OPTS says otherwise); returns once user sbtest/sbtest gets an answer on PORT, its PID in SHARDWIRE_PID
# (also in PIDS).
run_shardwire() { # name port
  SHARDWIRE_JAVA_OPTS="${SHARDWIRE_JAVA_OPTS:--Xms2g -Xmx2g -XX:+AlwaysPreTouch}" \
      "$ROOT/shardwire" start --config "$WORK/$1.yaml" >"$WORK/$1.log" 2>&1 &
  SHARDWIRE_PID=$!
  PIDS+=($SHARDWIRE_PID)
  wait_for_sql "$2" sbtest sbtest "$1" 120
}

# Stops the Shardwire that run_shardwire started, if any.
stop_shardwire() {
  [ -z "${SHARDWIRE_PID:-}" ] || { kill "$SHARDWIRE_PID" 2>/dev/null || true; wait "$SHARDWIRE_PID" 2>/dev/null || true; }
  SHARDWIRE_PID=""
}

# The CPU time the processes used so far, user + system, in clock ticks (getconf CLK_TCK per second), summed (0 for
# none).
process_ticks() { # pid...
  local pid total=0
  for pid in "$@"; do total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done
  echo "$total"
}

# The PID of the process listening on the TCP port.
port_pid() { # port
  ss -Hltnp "( sport = :$1 )" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2
}

# The CPU time the running Shardwire used so far, user + system, in clock ticks (getconf CLK_TCK per second); the
# launcher execs the JVM, so its PID is the proxy's.
shardwire_cpu_ticks() {
  process_ticks "$SHARDWIRE_PID"
}

# Starts `sysbench ARGS run` in the background for WARMUP + TIME seconds, its output in OUT, and returns once the
# warm-up is over, its PID in WARMED_SYSBENCH: the caller reads its counters, then waits for it. sysbench 1.0 has no
# --warmup-time; its checkpoint report resets the counters, so OUT's last report covers only the TIME seconds, on the
# connections that warmed up (new connections would make the JVM recompile its hot paths inside the measured seconds).
start_warmed_sysbench() { # warmup time out args...
  local warmup=$1 time=$2 out=$3
  shift 3
  sysbench "$@" --time=$((warmup + time)) --report-checkpoints="$warmup" --report-interval=0 run >"$out" 2>&1 &
  WARMED_SYSBENCH=$!
  sleep "$warmup"
}

# The last value a sysbench report gave for a label ("queries:", "transactions:", "95th percentile:", ...): the
# measured seconds' figure when a checkpoint report came first.
sysbench_figure() { # out label field
  awk -v label="$2" -v field="$3" 'index($0, label) {v = $field} END {gsub(/\(/, "", v); print v}' "$1"
}
