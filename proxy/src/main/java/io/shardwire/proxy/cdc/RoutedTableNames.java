package io.shardwire.proxy.cdc;

import io.shardwire.cdc.event.LogicalTable;
import io.shardwire.cdc.event.PhysicalToLogical;
import io.shardwire.router.rule.LogicalNames;
import java.util.function.Supplier;

/**
 * The router's view of the physical tables change capture reads: each maps back to its logical table, and of a
 * broadcast table's copies only the first is captured, so a write through the proxy (which lands in every copy)
 * is one change event, not one per data node; likewise only a logical table's first physical table reports its DDL,
 * which the proxy runs on all of them. Each call asks the names in force, which a configuration reload may
 * change. Thread-safe.
 */
final class RoutedTableNames implements PhysicalToLogical {

    private final Supplier<LogicalNames> names;

    RoutedTableNames(Supplier<LogicalNames> names) {
        this.names = names;
    }

    @Override
    public LogicalTable logicalTable(String group, String database, String table) {
        LogicalNames.Name name = names.get().of(database, table);
        return new LogicalTable(name.schema(), name.table());
    }

    @Override
    public boolean capturesRows(String group, String database, String table) {
        return !names.get().isRedundantCopy(database, table);
    }

    @Override
    public boolean capturesSchemaChanges(String group, String database, String table) {
        return !names.get().isLaterPhysicalTable(database, table);
    }
}
