#!/usr/bin/env bash
# Provisions MariaDB and Redis for full mode and the test suite, without Docker
# or systemd: installs Debian's packages if missing (as root), runs both servers
# on 127.0.0.1 with their data under ./.services/, creates the database and
# user, and prints `export NAME=value` lines on stdout (logs go to stderr):
#
#   eval "$(bash scripts/services.sh up)"     # start (idempotent) and configure this shell
#   bash scripts/services.sh status           # what runs, on which ports
#   bash scripts/services.sh down             # stop what this script started, nothing else
#
# Ports: SERVICES_DB_PORT (default 33306), SERVICES_REDIS_PORT (default 36379).
#
# Optional read replica: `SERVICES_REPLICA=1 bash scripts/services.sh up` also runs a
# second MariaDB (port SERVICES_REPLICA_PORT, default the primary's + 1) that
# replicates the first one (binary log, GTID), and prints DB_READ_HOSTS. The
# primary then writes a binary log (it is restarted once if it ran without one);
# the replica is copied afresh from the primary each time it starts. Without
# SERVICES_REPLICA nothing of this runs.
#
# Optional Redis topologies (extra redis-server processes on SERVICES_REDIS_HA_PORT, default
# the Redis port + 1, and the ports after it), each printing the variables that select it:
#   SERVICES_REDIS_SENTINEL=1  a master, a replica of it and 3 sentinels monitoring them as
#                              `coffee-master` (ports +0..+4): REDIS_SENTINELS, REDIS_SENTINEL_NAME
#   SERVICES_REDIS_CLUSTER=1   a cluster of 3 masters (ports +5..+7): REDIS_CLUSTER_NODES
# Their data is thrown away at each start (nothing is saved to disk).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${SERVICES_DIR:-$ROOT/.services}"
DB_PORT="${SERVICES_DB_PORT:-33306}"
REDIS_PORT="${SERVICES_REDIS_PORT:-36379}"
# A port chosen earlier (because the default was taken) sticks to this state directory.
[ -f "$STATE/mariadb/port" ] && DB_PORT="$(cat "$STATE/mariadb/port")"
[ -f "$STATE/redis/port" ] && REDIS_PORT="$(cat "$STATE/redis/port")"
DB_NAME="${SERVICES_DB_NAME:-coffee}"
DB_USER="coffee"
DB_PASS="coffee-local-only"
SOCKET="$STATE/mariadb/mariadb.sock"
WANT_REPLICA="${SERVICES_REPLICA:-0}"
REPLICA_DIR="$STATE/replica"
REPLICA_SOCKET="$REPLICA_DIR/mariadb.sock"
REPLICA_PORT="${SERVICES_REPLICA_PORT:-}"
[ -f "$REPLICA_DIR/port" ] && REPLICA_PORT="$(cat "$REPLICA_DIR/port")"
REPL_USER="coffee_repl"
REPL_PASS="coffee-repl-local-only"
WANT_SENTINEL="${SERVICES_REDIS_SENTINEL:-0}"
WANT_CLUSTER="${SERVICES_REDIS_CLUSTER:-0}"
HA_PORT="${SERVICES_REDIS_HA_PORT:-$((REDIS_PORT + 1))}"
SENTINEL_DIR="$STATE/redis-sentinel"
SENTINEL_NAME="coffee-master"
CLUSTER_DIR="$STATE/redis-cluster"

log() { printf '[services] %s\n' "$*" >&2; }

find_bin() {
  local name
  for name in "$@"; do
    if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return 0; fi
    if [ -x "/usr/sbin/$name" ]; then echo "/usr/sbin/$name"; return 0; fi
    if [ -x "/usr/bin/$name" ]; then echo "/usr/bin/$name"; return 0; fi
  done
  return 1
}

install_packages() {
  local missing=()
  find_bin mariadbd mysqld >/dev/null || missing+=(mariadb-server)
  find_bin mariadb mysql >/dev/null || missing+=(mariadb-client)
  find_bin redis-server >/dev/null || missing+=(redis-server)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    log "missing ${missing[*]}; install them (apt-get install ${missing[*]}) or run as root"
    exit 1
  fi
  log "installing ${missing[*]} from Debian"
  # Keep the packages from starting system-wide daemons of their own.
  local policy=/usr/sbin/policy-rc.d created_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created_policy=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; then
    apt-get update -q >&2
    apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
  fi
  [ "$created_policy" -eq 1 ] && rm -f "$policy"
  return 0
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Prints a free loopback port, starting from $1 (another checkout's servers may hold the default).
free_port() {
  local port="$1"
  while port_busy "$port"; do port=$((port + 1)); done
  echo "$port"
}

mysql_client() { "$(find_bin mariadb mysql)" --protocol=socket -S "$SOCKET" -uroot "$@"; }
replica_client() { "$(find_bin mariadb mysql)" --protocol=socket -S "$REPLICA_SOCKET" -uroot "$@"; }

# The primary writes a binary log while a replica is wanted or running, never otherwise.
binlog_wanted() { [ "$WANT_REPLICA" = "1" ] || pid_alive "$REPLICA_DIR/mariadbd.pid"; }

# Starts a mariadbd with its data in `$1`, socket `$2`, port `$3`, and waits until the client
# function `$4` reaches it; further arguments are added to the server's options.
run_mariadbd() {
  local dir="$1" socket="$2" port="$3" client="$4"
  shift 4
  "$(find_bin mariadbd mysqld)" --no-defaults --datadir="$dir/data" --socket="$socket" \
    --pid-file="$dir/mariadbd.pid" --port="$port" --bind-address=127.0.0.1 --user="$(id -un)" \
    --tmpdir="$dir/tmp" --log-error="$dir/error.log" --skip-name-resolve \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --innodb-flush-log-at-trx-commit=2 --max-connections=500 "$@" >/dev/null 2>&1 &
  for _ in $(seq 1 100); do
    "$client" -e 'SELECT 1' >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  tail -20 "$dir/error.log" >&2
  exit 1
}

start_mariadb() {
  local dir="$STATE/mariadb"
  local binlog=()
  if binlog_wanted; then
    mkdir -p "$dir/binlog"
    binlog=(--server-id=1 --log-bin="$dir/binlog/mariadb-bin" --binlog-format=ROW --binlog-expire-logs-seconds=86400)
  fi
  if pid_alive "$dir/mariadbd.pid" && mysql_client -e 'SELECT 1' >/dev/null 2>&1; then
    if [ ${#binlog[@]} -eq 0 ] || [ "$(mysql_client -N -e 'SELECT @@log_bin')" = "1" ]; then
      log "MariaDB already running on 127.0.0.1:$DB_PORT"
      return 0
    fi
    log "restarting MariaDB with a binary log, for the replica"
    stop_pidfile "$dir/mariadbd.pid" MariaDB
  fi
  mkdir -p "$dir/data" "$dir/tmp"
  DB_PORT="$(free_port "$DB_PORT")"
  echo "$DB_PORT" >"$dir/port"
  if [ ! -d "$dir/data/mysql" ]; then
    log "initialising MariaDB data directory"
    "$(find_bin mariadb-install-db mysql_install_db)" --datadir="$dir/data" --user="$(id -un)" \
      --auth-root-authentication-method=socket --skip-test-db >"$dir/install.log" 2>&1 \
      || { cat "$dir/install.log" >&2; exit 1; }
  fi
  log "starting MariaDB on 127.0.0.1:$DB_PORT"
  run_mariadbd "$dir" "$SOCKET" "$DB_PORT" mysql_client --innodb-buffer-pool-size=256M ${binlog[@]+"${binlog[@]}"}
}

# The database and the application's user, on the server `$1` (a client function) reaches.
provision_database() {
  "${1:-mysql_client}" <<SQL
CREATE DATABASE IF NOT EXISTS \`$DB_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$DB_PASS';
CREATE USER IF NOT EXISTS '$DB_USER'@'localhost' IDENTIFIED BY '$DB_PASS';
GRANT ALL PRIVILEGES ON \`$DB_NAME\`.* TO '$DB_USER'@'127.0.0.1';
GRANT ALL PRIVILEGES ON \`$DB_NAME\`.* TO '$DB_USER'@'localhost';
GRANT ALL PRIVILEGES ON \`${DB_NAME}_%\`.* TO '$DB_USER'@'127.0.0.1';
GRANT ALL PRIVILEGES ON \`${DB_NAME}_%\`.* TO '$DB_USER'@'localhost';
FLUSH PRIVILEGES;
SQL
}

# A second MariaDB (server id 2, read-only for the application) replicating the primary by GTID,
# seeded from a consistent dump of the primary's databases taken with its binary log position.
start_replica() {
  local dir="$REPLICA_DIR"
  if pid_alive "$dir/mariadbd.pid" && replica_client -e 'SELECT 1' >/dev/null 2>&1; then
    log "MariaDB replica already running on 127.0.0.1:$REPLICA_PORT"
    return 0
  fi
  stop_pidfile "$dir/mariadbd.pid" "MariaDB replica"
  rm -rf "$dir"
  mkdir -p "$dir/data" "$dir/tmp" "$dir/relay"
  REPLICA_PORT="$(free_port "${SERVICES_REPLICA_PORT:-$((DB_PORT + 1))}")"
  echo "$REPLICA_PORT" >"$dir/port"
  log "initialising the replica's data directory"
  "$(find_bin mariadb-install-db mysql_install_db)" --datadir="$dir/data" --user="$(id -un)" \
    --auth-root-authentication-method=socket --skip-test-db >"$dir/install.log" 2>&1 \
    || { cat "$dir/install.log" >&2; exit 1; }
  log "starting the MariaDB replica on 127.0.0.1:$REPLICA_PORT"
  run_mariadbd "$dir" "$REPLICA_SOCKET" "$REPLICA_PORT" replica_client --innodb-buffer-pool-size=128M \
    --server-id=2 --read-only --skip-slave-start --relay-log="$dir/relay/relay-bin"

  provision_database replica_client
  mysql_client <<SQL
CREATE USER IF NOT EXISTS '$REPL_USER'@'127.0.0.1' IDENTIFIED BY '$REPL_PASS';
GRANT REPLICATION SLAVE ON *.* TO '$REPL_USER'@'127.0.0.1';
SQL
  local databases
  databases="$(mysql_client -N -e "SELECT schema_name FROM information_schema.schemata
    WHERE schema_name NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys')")"
  log "copying $(echo "$databases" | wc -w) database(s) to the replica"
  # --master-data with --gtid sets the replica's gtid_slave_pos to the dump's position.
  # shellcheck disable=SC2086 # one word per database
  "$(find_bin mariadb-dump mysqldump)" --protocol=socket -S "$SOCKET" -uroot --single-transaction \
    --master-data=1 --gtid --routines --triggers --databases $databases | replica_client
  replica_client <<SQL
CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$DB_PORT, MASTER_USER='$REPL_USER',
  MASTER_PASSWORD='$REPL_PASS', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1;
START SLAVE;
SQL
  local status=""
  for _ in $(seq 1 100); do
    status="$(replica_client -e 'SHOW SLAVE STATUS\G')"
    if grep -q 'Slave_IO_Running: Yes' <<<"$status" && grep -q 'Slave_SQL_Running: Yes' <<<"$status"; then
      log "replica replicating from 127.0.0.1:$DB_PORT"
      return 0
    fi
    sleep 0.2
  done
  echo "$status" >&2
  exit 1
}

start_redis() {
  local dir="$STATE/redis"
  mkdir -p "$dir"
  if pid_alive "$dir/redis.pid" && "$(find_bin redis-cli)" -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    log "Redis already running on 127.0.0.1:$REDIS_PORT"
    return 0
  fi
  REDIS_PORT="$(free_port "$REDIS_PORT")"
  echo "$REDIS_PORT" >"$dir/port"
  log "starting Redis on 127.0.0.1:$REDIS_PORT"
  "$(find_bin redis-server)" --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$dir" \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --daemonize yes \
    --save "" --appendonly no --maxmemory-policy noeviction >/dev/null
  for _ in $(seq 1 50); do
    "$(find_bin redis-cli)" -p "$REDIS_PORT" ping >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  tail -20 "$dir/redis.log" >&2
  exit 1
}

# The Sentinel group and the cluster: start_redis_sentinel, start_redis_cluster and their helpers.
# shellcheck source=scripts/services-redis-ha.sh
source "$ROOT/scripts/services-redis-ha.sh"

print_exports() {
  cat <<EOT
export DATABASE_URL='mariadb://$DB_USER:$DB_PASS@127.0.0.1:$DB_PORT/$DB_NAME'
export DB_TYPE='mariadb'
export DB_HOST='127.0.0.1'
export DB_PORT='$DB_PORT'
export DB_NAME='$DB_NAME'
export DB_USER='$DB_USER'
export DB_PASS='$DB_PASS'
export REDIS_URL='redis://127.0.0.1:$REDIS_PORT'
export DB_MIGRATE_ON_START='true'
export MARIADB_SOCKET='$SOCKET'
EOT
  if [ "$WANT_REPLICA" = "1" ]; then
    cat <<EOT
export DB_READ_HOSTS='127.0.0.1:$REPLICA_PORT'
export MARIADB_REPLICA_SOCKET='$REPLICA_SOCKET'
EOT
  fi
  if [ "$WANT_SENTINEL" = "1" ]; then
    # shellcheck disable=SC2046 # one word per port
    echo "export REDIS_SENTINELS='$(host_list $(sentinel_ports))'"
    echo "export REDIS_SENTINEL_NAME='$SENTINEL_NAME'"
  fi
  if [ "$WANT_CLUSTER" = "1" ]; then
    # shellcheck disable=SC2046 # one word per port
    echo "export REDIS_CLUSTER_NODES='$(host_list $(cluster_ports))'"
  fi
}

stop_pidfile() {
  local file="$1" name="$2"
  if pid_alive "$file"; then
    local pid
    pid="$(cat "$file")"
    log "stopping $name (pid $pid)"
    kill "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$file"
}

case "${1:-}" in
  up)
    install_packages
    start_mariadb
    provision_database
    if [ "$WANT_REPLICA" = "1" ]; then start_replica; fi
    start_redis
    if [ "$WANT_SENTINEL" = "1" ]; then start_redis_sentinel; fi
    if [ "$WANT_CLUSTER" = "1" ]; then start_redis_cluster; fi
    print_exports
    ;;
  down)
    stop_pidfile "$REPLICA_DIR/mariadbd.pid" "MariaDB replica"
    stop_pidfile "$STATE/mariadb/mariadbd.pid" MariaDB
    stop_pidfile "$STATE/redis/redis.pid" Redis
    if [ -d "$SENTINEL_DIR" ]; then stop_pidfiles_in "$SENTINEL_DIR"; fi
    if [ -d "$CLUSTER_DIR" ]; then stop_pidfiles_in "$CLUSTER_DIR"; fi
    ;;
  status)
    if pid_alive "$STATE/mariadb/mariadbd.pid"; then log "MariaDB: running on 127.0.0.1:$DB_PORT"; else log "MariaDB: stopped"; fi
    if pid_alive "$REPLICA_DIR/mariadbd.pid"; then log "MariaDB replica: running on 127.0.0.1:$REPLICA_PORT"; fi
    if pid_alive "$STATE/redis/redis.pid"; then log "Redis: running on 127.0.0.1:$REDIS_PORT"; else log "Redis: stopped"; fi
    if pid_alive "$SENTINEL_DIR/master.pid"; then log "Redis Sentinel group: sentinels on $(sentinel_ports)"; fi
    if pid_alive "$CLUSTER_DIR/node-$(cluster_ports | cut -d' ' -f1).pid"; then log "Redis cluster: on $(cluster_ports)"; fi
    ;;
  *)
    echo "usage: $0 up|down|status" >&2
    exit 2
    ;;
esac
