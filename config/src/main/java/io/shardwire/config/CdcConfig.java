package io.shardwire.config;

/**
 * Change data capture from every shard group primary into the queue.
 *
 * @param enabled       whether the proxy runs CDC at all
 * @param user          replication account used to read the binlog
 * @param password      that account's password
 * @param serverIdBase  first replication {@code server_id} the readers use; one per shard group from here
 * @param partitioning  how the change topic is partitioned for consumers
 * @param keyPartitions with {@link Partitioning#KEY}: the partitions of the keyed topic, which can never change
 * @param replicaAckTimeoutMs how long a captured transaction waits for a replica of its group to hold it before it is
 *                      stored anyway; 0 stores it without waiting
 */
public record CdcConfig(boolean enabled, String user, String password, long serverIdBase, Partitioning partitioning,
                        int keyPartitions, long replicaAckTimeoutMs) {

    /** The default keyed partition count. */
    public static final int DEFAULT_KEY_PARTITIONS = 16;
    /** The default wait for a replica, as MariaDB's {@code rpl_semi_sync_master_timeout}. */
    public static final long DEFAULT_REPLICA_ACK_TIMEOUT_MS = 10_000;

    /** How consumers find the changes. */
    public enum Partitioning {
        /** A partition per shard group ({@code shardwire.changes}): each group's commit order, transactions whole. */
        GROUP,
        /**
         * Also {@code shardwire.changes.by-key}, spread by logical table and primary key: each row's changes in
         * commit order in one partition, for parallel consumers; a transaction may span partitions there.
         */
        KEY
    }

    /** Partitioned by shard group, the default wait for a replica. */
    public CdcConfig(boolean enabled, String user, String password, long serverIdBase) {
        this(enabled, user, password, serverIdBase, Partitioning.GROUP, DEFAULT_KEY_PARTITIONS,
                DEFAULT_REPLICA_ACK_TIMEOUT_MS);
    }

    @Override
    public String toString() {
        return "CdcConfig[enabled=" + enabled + ", user=" + user + ", serverIdBase=" + serverIdBase
                + ", partitioning=" + partitioning + ", keyPartitions=" + keyPartitions + ", replicaAckTimeoutMs="
                + replicaAckTimeoutMs + "]";
    }
}
