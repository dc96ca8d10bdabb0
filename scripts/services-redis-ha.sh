# shellcheck shell=bash
# The optional Redis topologies of scripts/services.sh (sourced by it, not run alone): a Sentinel
# group (SERVICES_REDIS_SENTINEL=1) and a cluster (SERVICES_REDIS_CLUSTER=1), on the ports from
# HA_PORT on. Uses its helpers (log, find_bin, port_busy, pid_alive, stop_pidfile) and variables.
redis_cli() { "$(find_bin redis-cli)" -h 127.0.0.1 "$@"; }

# A redis-server of a topology: name `$1` (its files are `$1.*` in directory `$2`), port `$3`,
# further arguments as server options; returns once it answers PING.
run_redis() {
  local name="$1" dir="$2" port="$3"
  shift 3
  if port_busy "$port"; then
    log "port $port is taken; choose other ports with SERVICES_REDIS_HA_PORT"
    exit 1
  fi
  "$(find_bin redis-server)" "$@" --bind 127.0.0.1 --port "$port" --dir "$dir" \
    --pidfile "$dir/$name.pid" --logfile "$dir/$name.log" --daemonize yes >/dev/null
  for _ in $(seq 1 50); do
    redis_cli -p "$port" ping >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  tail -20 "$dir/$name.log" >&2
  exit 1
}

# Polls `$1` (a command) for up to ten seconds; `$2` says what was awaited when it never succeeds.
wait_until() {
  for _ in $(seq 1 100); do
    if eval "$1" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  log "gave up waiting: $2"
  exit 1
}

stop_pidfiles_in() {
  local file
  for file in "$1"/*.pid; do
    [ -e "$file" ] && stop_pidfile "$file" "Redis $(basename "$file" .pid)"
  done
  return 0
}

# `127.0.0.1:<port>` for each port given, comma-separated.
host_list() {
  local list="" port
  for port in "$@"; do list="${list:+$list,}127.0.0.1:$port"; done
  echo "$list"
}

sentinel_ports() { echo "$((HA_PORT + 2)) $((HA_PORT + 3)) $((HA_PORT + 4))"; }

sentinel_running() {
  local port
  for port in $(sentinel_ports); do
    redis_cli -p "$port" sentinel get-master-addr-by-name "$SENTINEL_NAME" | grep -q . || return 1
  done
}

# A master, its replica and three sentinels (quorum 2) that fail over within a few seconds.
start_redis_sentinel() {
  local dir="$SENTINEL_DIR" port
  if [ -f "$dir/master.pid" ] && pid_alive "$dir/master.pid" && sentinel_running 2>/dev/null; then
    log "Redis Sentinel group already running (sentinels on $(sentinel_ports))"
    return 0
  fi
  stop_pidfiles_in "$dir"
  rm -rf "$dir"
  mkdir -p "$dir"
  log "starting a Redis master (127.0.0.1:$HA_PORT), its replica (:$((HA_PORT + 1))) and sentinels ($(sentinel_ports))"
  run_redis master "$dir" "$HA_PORT" --save "" --appendonly no
  run_redis replica "$dir" "$((HA_PORT + 1))" --save "" --appendonly no --replicaof 127.0.0.1 "$HA_PORT"
  wait_until "redis_cli -p $((HA_PORT + 1)) info replication | grep -q 'master_link_status:up'" "the replica's link"
  for port in $(sentinel_ports); do
    # A sentinel rewrites its configuration file, so each gets one of its own.
    cat >"$dir/sentinel-$port.conf" <<CONF
sentinel monitor $SENTINEL_NAME 127.0.0.1 $HA_PORT 2
sentinel down-after-milliseconds $SENTINEL_NAME 2000
sentinel failover-timeout $SENTINEL_NAME 10000
sentinel parallel-syncs $SENTINEL_NAME 1
CONF
    run_redis "sentinel-$port" "$dir" "$port" "$dir/sentinel-$port.conf" --sentinel
  done
  # A failover needs the sentinels to know the replica and each other.
  for port in $(sentinel_ports); do
    wait_until "redis_cli -p $port sentinel replicas $SENTINEL_NAME | grep -q ." "sentinel $port to see the replica"
    wait_until "[ \"\$(redis_cli -p $port sentinel sentinels $SENTINEL_NAME | grep -c '^name$')\" = 2 ]" \
      "sentinel $port to see the other two"
  done
}

cluster_ports() { echo "$((HA_PORT + 5)) $((HA_PORT + 6)) $((HA_PORT + 7))"; }

# Three masters sharing the 16384 slots (no replicas).
start_redis_cluster() {
  local dir="$CLUSTER_DIR" port first
  first="$(cluster_ports | cut -d' ' -f1)"
  if [ -f "$dir/node-$first.pid" ] && pid_alive "$dir/node-$first.pid" \
    && redis_cli -p "$first" cluster info 2>/dev/null | grep -q 'cluster_state:ok'; then
    log "Redis cluster already running on $(cluster_ports)"
    return 0
  fi
  stop_pidfiles_in "$dir"
  rm -rf "$dir"
  mkdir -p "$dir"
  log "starting a Redis cluster of 3 masters on $(cluster_ports)"
  local seeds=()
  for port in $(cluster_ports); do
    run_redis "node-$port" "$dir" "$port" --save "" --appendonly no --cluster-enabled yes \
      --cluster-config-file "$dir/nodes-$port.conf" --cluster-node-timeout 2000
    seeds+=("127.0.0.1:$port")
  done
  redis_cli --cluster create "${seeds[@]}" --cluster-yes >"$dir/create.log" 2>&1 || { cat "$dir/create.log" >&2; exit 1; }
  for port in $(cluster_ports); do
    wait_until "redis_cli -p $port cluster info | grep -q 'cluster_state:ok'" "node $port to see the cluster ok"
  done
}
