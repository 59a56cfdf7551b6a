package io.shardwire.cdc.event;

/**
 * A table as the proxy's clients name it, before sharding spread it over physical databases and tables.
 *
 * @param schema the logical schema (database)
 * @param table  the logical table
 */
public record LogicalTable(String schema, String table) {

    /** Rejects blank names. */
    public LogicalTable {
        if (schema == null || schema.isBlank()) {
            throw new IllegalArgumentException("schema: '" + schema + "' (expected: a name)");
        }
        if (table == null || table.isBlank()) {
            throw new IllegalArgumentException("table: '" + table + "' (expected: a name)");
        }
    }

    @Override
    public String toString() {
        return schema + "." + table;
    }
}
