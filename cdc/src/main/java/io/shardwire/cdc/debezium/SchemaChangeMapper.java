package io.shardwire.cdc.debezium;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.debezium.relational.TableId;
import io.shardwire.cdc.event.EventId;
import io.shardwire.cdc.event.EventSource;
import io.shardwire.cdc.event.LogicalTable;
import io.shardwire.cdc.event.PhysicalToLogical;
import io.shardwire.cdc.event.SchemaChangeEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Turns one of Debezium's schema change records ({@code source}, {@code databaseName}, {@code ddl},
 * {@code tableChanges}) into the {@link SchemaChangeEvent}s the queue holds: one per changed table that is its
 * logical table's first physical table ({@link PhysicalToLogical#capturesSchemaChanges}), in logical names. Records
 * of the snapshot (the structure of every table, read before the binlog) and DDL that changes no table
 * ({@code CREATE DATABASE}) yield none.
 *
 * <p>Not thread-safe; used on the capture's thread only.
 */
final class SchemaChangeMapper {

    private final String group;
    private final PhysicalToLogical mapping;
    private final Clock clock;

    /**
     * @param group   the shard group the records come from
     * @param mapping from physical to logical tables
     * @param clock   for the events' processing time
     */
    SchemaChangeMapper(String group, PhysicalToLogical mapping, Clock clock) {
        this.group = group;
        this.mapping = mapping;
        this.clock = clock;
    }

    /** @return whether a record of the engine is a schema change record */
    static boolean isSchemaChange(SourceRecord record) {
        return record.value() instanceof Struct value && value.schema().field("ddl") != null
                && value.schema().field("tableChanges") != null;
    }

    /**
     * @param record a schema change record
     * @return the GTID of its DDL, if the source has one
     */
    static Optional<String> gtid(SourceRecord record) {
        Struct source = ((Struct) record.value()).getStruct("source");
        return source.schema().field("gtid") == null ? Optional.empty() : Optional.ofNullable(source.getString("gtid"));
    }

    /**
     * @param record a schema change record
     * @return its events, none if the snapshot read it or it reports no captured table
     */
    List<SchemaChangeEvent> map(SourceRecord record) {
        Struct value = (Struct) record.value();
        Struct source = value.getStruct("source");
        if (snapshot(source)) {
            return List.of();
        }
        String ddl = value.getString("ddl");
        List<SchemaChangeEvent> events = new ArrayList<>();
        List<Object> changes = value.getArray("tableChanges");
        for (Object each : changes == null ? List.of() : changes) {
            Struct change = (Struct) each;
            TableId id = TableId.parse(change.getString("id"));
            String database = id.catalog() != null ? id.catalog() : id.schema();
            String table = id.table();
            if (!mapping.capturesSchemaChanges(group, database, table)) {
                continue;
            }
            LogicalTable logical = mapping.logicalTable(group, database, table);
            ObjectNode tableChange = (ObjectNode) ConnectJson.value(change.schema(), change);
            tableChange.put("id", "\"" + logical.schema() + "\".\"" + logical.table() + "\"");
            EventSource eventSource = eventSource(source, database, table);
            String place = eventSource.gtid().orElse(eventSource.binlogFile() + ":" + eventSource.binlogPosition());
            events.add(new SchemaChangeEvent(EventId.ofSchemaChange(group, place, logical), logical.schema(),
                    logical.table(), LogicalDdl.of(ddl, database, table, logical), tableChange, eventSource,
                    clock.millis()));
        }
        return events;
    }

    private static boolean snapshot(Struct source) {
        if (source.schema().field("snapshot") == null) {
            return false;
        }
        Object snapshot = source.get("snapshot");
        return snapshot != null && !"false".equals(String.valueOf(snapshot));
    }

    private EventSource eventSource(Struct source, String database, String table) {
        Long serverId = source.getInt64("server_id");
        Long position = source.getInt64("pos");
        Long tsMs = source.getInt64("ts_ms");
        return new EventSource(group, database, table, serverId == null ? 0 : serverId,
                source.schema().field("gtid") == null ? Optional.empty() : Optional.ofNullable(source.getString("gtid")),
                source.getString("file"), position == null ? 0 : position, 0, false, tsMs == null ? 0 : tsMs);
    }
}
