package io.shardwire.cdc.event;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A change of one logical table's structure ({@code CREATE}, {@code ALTER}, {@code DROP TABLE}), in logical names.
 * DDL through the proxy runs on every physical table of the logical table, on every group; it is reported once, from
 * the logical table's first physical table (see {@link PhysicalToLogical#capturesSchemaChanges}). Stored in the
 * group's partition at its place in the binlog, so the group's later row changes follow it.
 *
 * <p>The JSON form ({@link ChangeEventJson}) uses Debezium's schema change field names ({@code ddl},
 * {@code databaseName}, {@code schemaName}, {@code tableChanges}, {@code source}, {@code ts_ms}) and has no
 * {@code op}, which is how a consumer tells it from a row change.
 *
 * <p>Shallowly immutable: the JSON object is not copied, so do not change it.
 *
 * @param id          a deterministic id: group, the DDL's GTID (else binlog position) and the logical table
 * @param schema      the logical schema
 * @param table       the logical table
 * @param ddl         the statement as the binlog has it, with the physical table's names replaced by the logical ones
 * @param tableChange Debezium's description of the change ({@code type} CREATE, ALTER or DROP, {@code id}
 *                    {@code "schema"."table"} in logical names, {@code table} with the columns after the change)
 * @param source      the physical table the DDL was read on, and its binlog position
 * @param tsMs        when the capture processed it, ms since the epoch
 */
public record SchemaChangeEvent(String id, String schema, String table, String ddl, ObjectNode tableChange,
                                EventSource source, long tsMs) implements CapturedEvent {

    /** Rejects missing parts. */
    public SchemaChangeEvent {
        if (id == null || schema == null || table == null || ddl == null || tableChange == null || source == null) {
            throw new IllegalArgumentException("schema change event with a null part: id=" + id + ", table=" + schema
                    + "." + table + ", ddl=" + ddl + " (expected: none null)");
        }
    }

    /** @return the DDL's binlog time */
    @Override
    public long commitTsMs() {
        return source.tsMs();
    }
}
