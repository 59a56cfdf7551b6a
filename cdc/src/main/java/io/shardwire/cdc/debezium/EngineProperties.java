package io.shardwire.cdc.debezium;

import io.shardwire.cdc.CaptureOptions;
import io.shardwire.cdc.GroupSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.Properties;

/**
 * The Debezium engine and MariaDB connector properties of one group's capture.
 *
 * <p>Besides the connection and the options, it fixes what the capture relies on: transaction metadata (BEGIN/END
 * records, which {@link TransactionBatcher} batches by), schema change records (turned into logical schema change
 * events), heartbeats (on which an XA outcome on a quiet binlog is settled), no tombstones after deletes, exact
 * numbers ({@code decimal.handling.mode} and {@code bigint.unsigned.handling.mode}
 * precise), the queue as offset store, and a file schema history in the capture's data dir, ordered by GTID sequence
 * across a failover ({@link DomainSequenceSchemaHistory}).
 */
final class EngineProperties {

    /**
     * MariaDB's connector (since Debezium 2.7 the MySQL connector refuses MariaDB servers), with a task that can
     * resume by GTID on a promoted replica.
     */
    static final String CONNECTOR_CLASS = GtidResumingMariaDbConnector.class.getName();
    /**
     * How often the binlog client checks its connection; Debezium also asks the server for a heartbeat event every
     * 0.8 of it while the binlog is quiet, and only events (heartbeats included) make it emit its heartbeat records.
     */
    private static final Duration KEEP_ALIVE_INTERVAL = Duration.ofSeconds(1);
    /** At most this often Debezium emits a heartbeat record; with the server's heartbeats, about every 0.8 s. */
    private static final Duration HEARTBEAT_INTERVAL = Duration.ofMillis(500);
    private static final String HEARTBEAT_TOPIC_PREFIX = "__debezium-heartbeat";

    private EngineProperties() {
    }

    /**
     * @param source       the group's primary
     * @param serverId     the capture's replica server id
     * @param options      the shared options
     * @param historyFile  the group's schema history file
     * @param stored       the position stored in the queue, if any
     * @param resumeByGtid whether the server's binlog was found to hold the stored position's GTID although its
     *                     {@code gtid_binlog_pos} does not cover it (see {@link GtidResume})
     * @return the properties
     */
    static Properties of(GroupSource source, long serverId, CaptureOptions options, Path historyFile,
            Optional<CapturePosition> stored, boolean resumeByGtid) {
        String name = engineName(source);
        Properties props = new Properties();
        props.setProperty("name", name);
        props.setProperty("connector.class", CONNECTOR_CLASS);
        props.setProperty("offset.storage", QueueOffsetBackingStore.class.getName());
        stored.ifPresent(position -> props.setProperty(QueueOffsetBackingStore.STORED_OFFSET,
                Base64.getEncoder().encodeToString(position.encode())));
        props.setProperty(GtidResumingMariaDbConnectorTask.RESUME_BY_GTID, Boolean.toString(resumeByGtid));
        props.setProperty("database.hostname", source.host());
        props.setProperty("database.port", Integer.toString(source.port()));
        props.setProperty("database.user", options.user());
        props.setProperty("database.password", options.password());
        props.setProperty("database.server.id", Long.toString(serverId));
        props.setProperty("topic.prefix", topicPrefix(source));
        if (!options.databases().isEmpty()) {
            props.setProperty("database.include.list", String.join(",", options.databases().stream()
                    .map(EngineProperties::exactName).toList()));
        }
        props.setProperty("snapshot.mode", options.snapshotMode().debeziumName());
        props.setProperty("provide.transaction.metadata", "true");
        props.setProperty("tombstones.on.delete", "false");
        props.setProperty("include.schema.changes", "true");
        props.setProperty("heartbeat.interval.ms", Long.toString(HEARTBEAT_INTERVAL.toMillis()));
        props.setProperty("heartbeat.topics.prefix", HEARTBEAT_TOPIC_PREFIX);
        props.setProperty("decimal.handling.mode", "precise");
        props.setProperty("bigint.unsigned.handling.mode", "precise");
        props.setProperty("schema.history.internal", DomainSequenceSchemaHistory.class.getName());
        props.setProperty("schema.history.internal.file.filename", historyFile.toString());
        props.setProperty("poll.interval.ms", Long.toString(options.pollInterval().toMillis()));
        props.setProperty("max.batch.size", Integer.toString(options.maxBatchSize()));
        props.setProperty("max.queue.size", Integer.toString(Math.max(8192, 4 * options.maxBatchSize())));
        // How often the binlog client checks its connection and reconnects (measured: with the default of a minute,
        // a capture whose primary restarted resumed only after that minute, silently), and the server's heartbeats.
        props.setProperty("connect.keep.alive.interval.ms", Long.toString(KEEP_ALIVE_INTERVAL.toMillis()));
        options.debeziumProperties().forEach(props::setProperty);
        return props;
    }

    /** @return the engine name, Connect's offset namespace: the producer id, {@code cdc-<group>} */
    static String engineName(GroupSource source) {
        return source.producerId();
    }

    /** @return the topic of the engine's heartbeat records */
    static String heartbeatTopic(GroupSource source) {
        return HEARTBEAT_TOPIC_PREFIX + "." + topicPrefix(source);
    }

    /** @return the topic prefix, which also names the connector's metrics MBeans */
    static String topicPrefix(GroupSource source) {
        return source.producerId();
    }

    /** Include lists are regular expressions (matched whole): escape what a name may hold that means more in one. */
    private static String exactName(String database) {
        return database.replaceAll("[^A-Za-z0-9_]", "\\\\$0");
    }
}
