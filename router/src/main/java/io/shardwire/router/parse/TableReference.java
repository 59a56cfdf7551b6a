package io.shardwire.router.parse;

import java.util.Optional;

/**
 * A table named by a statement, with its schema qualifier if it had one. Names are unquoted.
 *
 * @param schema the qualifier ({@code shop} in {@code shop.orders}), or null
 * @param table  the table name
 */
public record TableReference(String schema, String table) {

    /** The qualifier, if the statement gave one. */
    public Optional<String> qualifier() {
        return Optional.ofNullable(schema);
    }

    @Override
    public String toString() {
        return schema == null ? table : schema + "." + table;
    }
}
