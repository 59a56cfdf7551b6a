package io.shardwire.cdc.debezium;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shardwire.cdc.event.ChangeEvent;
import io.shardwire.cdc.event.EventId;
import io.shardwire.cdc.event.EventSource;
import io.shardwire.cdc.event.EventTransaction;
import io.shardwire.cdc.event.LogicalTable;
import io.shardwire.cdc.event.Operation;
import io.shardwire.cdc.event.PhysicalToLogical;
import io.shardwire.cdc.event.SchemaChangeEvent;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Turns one of Debezium's data change records (its envelope: {@code op}, {@code before}, {@code after},
 * {@code source}, {@code transaction}) into a {@link ChangeEvent} in logical names. {@link TransactionBatcher} numbers
 * the events of a transaction itself and passes the event's place in; the transaction's event count and commit time
 * are filled in at its end.
 *
 * <p>Not thread-safe; used on the capture's thread only.
 */
final class ChangeEventMapper {

    private final String group;
    private final PhysicalToLogical mapping;
    private final Clock clock;
    private final SchemaChangeMapper schemaChanges;

    /**
     * @param group   the shard group the records come from
     * @param mapping from physical to logical tables
     * @param clock   for the events' processing time
     */
    ChangeEventMapper(String group, PhysicalToLogical mapping, Clock clock) {
        this.group = group;
        this.mapping = mapping;
        this.clock = clock;
        this.schemaChanges = new SchemaChangeMapper(group, mapping, clock);
    }

    /**
     * @param record a schema change record
     * @return its events in logical names (see {@link SchemaChangeMapper})
     */
    List<SchemaChangeEvent> schemaChanges(SourceRecord record) {
        return schemaChanges.map(record);
    }

    /**
     * @param record      a data change record
     * @param transaction the event's place in its transaction; empty for a snapshot read
     * @return the change event
     * @throws IllegalArgumentException if the record is not a data change record of the MariaDB connector
     */
    ChangeEvent map(SourceRecord record, Optional<EventTransaction> transaction) {
        Struct envelope = (Struct) record.value();
        Operation op = Operation.ofCode(envelope.getString("op"));
        Struct source = envelope.getStruct("source");
        String database = source.getString("db");
        String table = source.getString("table");
        LogicalTable logical = mapping.logicalTable(group, database, table);
        if (logical == null) {
            throw new IllegalStateException("the physical-to-logical mapping returned null for " + group + " "
                    + database + "." + table + " (expected: a logical table; PhysicalToLogical.IDENTITY keeps names)");
        }
        ObjectNode key = record.key() instanceof Struct keyStruct
                ? ConnectJson.object(keyStruct) : JsonNodeFactory.instance.objectNode();
        Optional<ObjectNode> before = Optional.ofNullable(envelope.getStruct("before")).map(ConnectJson::object);
        Optional<ObjectNode> after = Optional.ofNullable(envelope.getStruct("after")).map(ConnectJson::object);
        EventSource eventSource = eventSource(source, op);
        String id = transaction.map(tx -> EventId.ofBinlogChange(group, tx.id(), tx.totalOrder()))
                .orElseGet(() -> EventId.ofRowAtPosition(group, eventSource.binlogFile(),
                        eventSource.binlogPosition(), database, table, (key.isEmpty() ? after.orElse(key) : key)
                                .toString()));
        return new ChangeEvent(id, op, logical.schema(), logical.table(), key, before, after, eventSource,
                transaction, clock.millis());
    }

    private EventSource eventSource(Struct source, Operation op) {
        Long serverId = source.getInt64("server_id");
        Long position = source.getInt64("pos");
        Integer row = source.getInt32("row");
        Long tsMs = source.getInt64("ts_ms");
        return new EventSource(group, source.getString("db"), source.getString("table"),
                serverId == null ? 0 : serverId, Optional.ofNullable(source.getString("gtid")),
                source.getString("file"), position == null ? 0 : position, row == null ? 0 : row,
                op == Operation.READ, tsMs == null ? 0 : tsMs);
    }

    /**
     * @param record a data change record
     * @return whether its table's row changes are captured (see {@link PhysicalToLogical#capturesRows})
     */
    boolean captures(SourceRecord record) {
        Struct source = ((Struct) record.value()).getStruct("source");
        return mapping.capturesRows(group, source.getString("db"), source.getString("table"));
    }

    /**
     * @param record a data change record
     * @return the id of the transaction Debezium puts it in, if any
     */
    static Optional<String> transactionId(SourceRecord record) {
        Struct envelope = (Struct) record.value();
        if (envelope.schema().field("transaction") == null || envelope.getStruct("transaction") == null) {
            return Optional.empty();
        }
        return Optional.of(envelope.getStruct("transaction").getString("id"));
    }

    /**
     * @param record a data change record
     * @return its physical table, {@code <db>.<table>}
     */
    static String physicalTable(SourceRecord record) {
        Struct source = ((Struct) record.value()).getStruct("source");
        return source.getString("db") + "." + source.getString("table");
    }
}
