#!/bin/bash
# Runs once, when a replica's data directory is created (docker-entrypoint-initdb.d): the proxy's
# account, then GTID replication from the primary named by $SHARDWIRE_PRIMARY_HOST. The replication
# threads start with the server; the IO thread retries until the primary is up.
set -euo pipefail
mariadb -uroot -p"${MARIADB_ROOT_PASSWORD}" <<SQL
SET SESSION sql_log_bin = 0;
CREATE USER IF NOT EXISTS 'shardwire'@'%' IDENTIFIED BY 'shardwire';
GRANT ALL PRIVILEGES ON *.* TO 'shardwire'@'%' WITH GRANT OPTION;
SET SESSION sql_log_bin = 1;
CHANGE MASTER TO
  MASTER_HOST = '${SHARDWIRE_PRIMARY_HOST}',
  MASTER_PORT = 3306,
  MASTER_USER = 'repl',
  MASTER_PASSWORD = 'repl',
  MASTER_CONNECT_RETRY = 5,
  MASTER_USE_GTID = slave_pos;
SQL
