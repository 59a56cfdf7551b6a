package io.shardwire.cdc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Settings shared by the captures of all shard groups.
 *
 * @param user                 the capture's replication account (see
 *                             {@link io.shardwire.cdc.source.ReplicationAccount})
 * @param password             its password
 * @param serverIdBase         the capture of group {@code i} (in {@link ChangeCaptures} order) reads the binlog as
 *                             replica {@code server_id} {@code serverIdBase + i}, which must be unique among the
 *                             servers and other binlog readers of the group
 * @param topic                the queue topic of the change events, one partition per group
 * @param dataDir              where each capture keeps its Debezium schema history,
 *                             {@code <dataDir>/cdc-<group>.schema-history.dat}: the table structures over time,
 *                             needed to decode the binlog from the queue's position on
 * @param databases            the physical databases to capture; empty for all but the system databases
 * @param snapshotMode         what to read before the binlog when the queue has no position for a group
 * @param pollInterval         how long the engine waits for binlog events when idle: latency against idle CPU
 * @param maxBatchSize         the most records Debezium hands over at once
 * @param maxTransactionEvents the most events held for one transaction; a larger transaction is stored in parts,
 *                             which consumers see before its end (see
 *                             {@link io.shardwire.cdc.event.EventTransaction})
 * @param debeziumProperties   extra or overriding Debezium connector properties, e.g. {@code database.ssl.mode}
 * @param keyPartitions        0 for partitioning by shard group only; else the changes are also spread over that many
 *                             partitions of {@link #keyedTopic()} by logical table and primary key (see
 *                             {@link io.shardwire.cdc.keyed.KeyPartitioner}); a count that can never change
 * @param replicaAckTimeout    how long a transaction waits, before it is stored, for a replica of its group
 *                             ({@link GroupSource#replicas()}) to hold it, so that a failover promotes a replica with
 *                             everything the queue has; after that it is stored anyway (semi-sync's fall-back to
 *                             asynchronous), and later ones do not wait until a replica catches up; zero: no waiting
 */
public record CaptureOptions(String user, String password, long serverIdBase, String topic, Path dataDir,
                             List<String> databases, SnapshotMode snapshotMode, Duration pollInterval,
                             int maxBatchSize, int maxTransactionEvents, Map<String, String> debeziumProperties,
                             int keyPartitions, Duration replicaAckTimeout) {

    /** The default change topic. */
    public static final String DEFAULT_TOPIC = "shardwire.changes";
    /** How long a transaction waits for a replica to hold it by default, as {@code rpl_semi_sync_master_timeout}. */
    public static final Duration DEFAULT_REPLICA_ACK_TIMEOUT = Duration.ofSeconds(10);
    /** The most partitions of the keyed topic. */
    public static final int MAX_KEY_PARTITIONS = 1024;

    /** Checks every value and copies the collections. */
    public CaptureOptions {
        if (user == null || user.isEmpty() || password == null) {
            throw new IllegalArgumentException("user: '" + user + "', password " + (password == null ? "null" : "set")
                    + " (expected: the capture's replication account and its password)");
        }
        if (serverIdBase < 1 || serverIdBase > 0xFFFF_FFFFL - 99) {
            throw new IllegalArgumentException("serverIdBase: " + serverIdBase + " (expected: 1 to "
                    + (0xFFFF_FFFFL - 99) + ", leaving room for 99 groups)");
        }
        if (topic == null || topic.isBlank() || dataDir == null || snapshotMode == null) {
            throw new IllegalArgumentException("topic, dataDir, snapshotMode: '" + topic + "', " + dataDir + ", "
                    + snapshotMode + " (expected: none missing)");
        }
        databases = List.copyOf(databases);
        if (pollInterval == null || pollInterval.toMillis() < 1) {
            throw new IllegalArgumentException("pollInterval: " + pollInterval + " (expected: >= 1 ms)");
        }
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("maxBatchSize: " + maxBatchSize + " (expected: >= 1)");
        }
        if (maxTransactionEvents < 1) {
            throw new IllegalArgumentException("maxTransactionEvents: " + maxTransactionEvents + " (expected: >= 1)");
        }
        debeziumProperties = Map.copyOf(debeziumProperties);
        if (keyPartitions < 0 || keyPartitions > MAX_KEY_PARTITIONS) {
            throw new IllegalArgumentException("keyPartitions: " + keyPartitions + " (expected: 0 for none, or 1 to "
                    + MAX_KEY_PARTITIONS + ")");
        }
        if (replicaAckTimeout == null || replicaAckTimeout.isNegative()) {
            throw new IllegalArgumentException("replicaAckTimeout: " + replicaAckTimeout
                    + " (expected: >= 0, zero for no waiting)");
        }
    }

    /**
     * The defaults: topic {@value #DEFAULT_TOPIC}, all databases, {@link SnapshotMode#INITIAL}, 50 ms poll interval
     * (Debezium's 500 ms default adds up to half a second of latency when idle), 2048 records per engine batch,
     * 20,000 events per transaction batch, no extra Debezium properties, partitioned by shard group only, 10 s for a
     * replica to acknowledge a transaction (MariaDB's {@code rpl_semi_sync_master_timeout}).
     *
     * @param user         the replication account
     * @param password     its password
     * @param serverIdBase the first capture {@code server_id}
     * @param dataDir      the schema history directory
     * @return the options
     */
    public static CaptureOptions defaults(String user, String password, long serverIdBase, Path dataDir) {
        return new CaptureOptions(user, password, serverIdBase, DEFAULT_TOPIC, dataDir, List.of(),
                SnapshotMode.INITIAL, Duration.ofMillis(50), 2048, 20_000, Map.of(), 0, DEFAULT_REPLICA_ACK_TIMEOUT);
    }

    /** @return a copy capturing only these physical databases */
    public CaptureOptions withDatabases(List<String> databases) {
        return new CaptureOptions(user, password, serverIdBase, topic, dataDir, databases, snapshotMode, pollInterval,
                maxBatchSize, maxTransactionEvents, debeziumProperties, keyPartitions, replicaAckTimeout);
    }

    /** @return a copy with another topic */
    public CaptureOptions withTopic(String topic) {
        return new CaptureOptions(user, password, serverIdBase, topic, dataDir, databases, snapshotMode, pollInterval,
                maxBatchSize, maxTransactionEvents, debeziumProperties, keyPartitions, replicaAckTimeout);
    }

    /** @return a copy with another snapshot mode */
    public CaptureOptions withSnapshotMode(SnapshotMode snapshotMode) {
        return new CaptureOptions(user, password, serverIdBase, topic, dataDir, databases, snapshotMode, pollInterval,
                maxBatchSize, maxTransactionEvents, debeziumProperties, keyPartitions, replicaAckTimeout);
    }

    /** @return a copy with another cap on the events of one transaction batch */
    public CaptureOptions withMaxTransactionEvents(int maxTransactionEvents) {
        return new CaptureOptions(user, password, serverIdBase, topic, dataDir, databases, snapshotMode, pollInterval,
                maxBatchSize, maxTransactionEvents, debeziumProperties, keyPartitions, replicaAckTimeout);
    }

    /** @return a copy with these extra Debezium properties */
    public CaptureOptions withDebeziumProperties(Map<String, String> debeziumProperties) {
        return new CaptureOptions(user, password, serverIdBase, topic, dataDir, databases, snapshotMode, pollInterval,
                maxBatchSize, maxTransactionEvents, debeziumProperties, keyPartitions, replicaAckTimeout);
    }

    /** @return a copy that also spreads the changes over {@code keyPartitions} partitions by key (0: no) */
    public CaptureOptions withKeyPartitions(int keyPartitions) {
        return new CaptureOptions(user, password, serverIdBase, topic, dataDir, databases, snapshotMode, pollInterval,
                maxBatchSize, maxTransactionEvents, debeziumProperties, keyPartitions, replicaAckTimeout);
    }

    /** @return a copy that waits this long for a replica to hold a transaction before storing it (0: no waiting) */
    public CaptureOptions withReplicaAckTimeout(Duration replicaAckTimeout) {
        return new CaptureOptions(user, password, serverIdBase, topic, dataDir, databases, snapshotMode, pollInterval,
                maxBatchSize, maxTransactionEvents, debeziumProperties, keyPartitions, replicaAckTimeout);
    }

    /** @return the topic partitioned by logical table and primary key: {@code <topic>.by-key} */
    public String keyedTopic() {
        return topic + ".by-key";
    }

    /** Without the password, so that options can be logged. */
    @Override
    public String toString() {
        return "CaptureOptions[user=" + user + ", serverIdBase=" + serverIdBase + ", topic=" + topic + ", dataDir="
                + dataDir + ", databases=" + databases + ", snapshotMode=" + snapshotMode + ", pollInterval="
                + pollInterval + ", maxBatchSize=" + maxBatchSize + ", maxTransactionEvents=" + maxTransactionEvents
                + ", debeziumProperties=" + debeziumProperties.keySet() + ", keyPartitions=" + keyPartitions
                + ", replicaAckTimeout=" + replicaAckTimeout + "]";
    }
}
