-- Runs once, when a shard group primary's data directory is created (docker-entrypoint-initdb.d).
-- Not written to the binlog: each replica creates the same accounts itself (replica-setup.sh),
-- so replication does not replay them.
SET SESSION sql_log_bin = 0;
-- The account the proxy connects with (shardGroups[*].primary/replicas in docker/shardwire.yaml).
-- GRANT OPTION lets the proxy create the change capture account (cdc.user) itself.
CREATE USER IF NOT EXISTS 'shardwire'@'%' IDENTIFIED BY 'shardwire';
GRANT ALL PRIVILEGES ON *.* TO 'shardwire'@'%' WITH GRANT OPTION;
-- The account the replica's IO thread connects with.
CREATE USER IF NOT EXISTS 'repl'@'%' IDENTIFIED BY 'repl';
GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%';
SET SESSION sql_log_bin = 1;
