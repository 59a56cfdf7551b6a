package io.shardwire.cdc.debezium;

import io.shardwire.cdc.event.LogicalTable;
import io.shardwire.cdc.event.PhysicalToLogical;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A mapping that reports the DDL of the captured databases only ({@link io.shardwire.cdc.CaptureOptions#databases()},
 * or all but the system databases if that is empty). Debezium applies {@code database.include.list} to row changes
 * but emits the schema change records of every database on the server, so without this a table created in another
 * database (the proxy's own {@code shardwire_xa.commit_markers}, a neighbour application's) became a schema change
 * event in the change topic. Names compare ignoring case, as Debezium's include list does.
 */
final class CapturedDatabasesOnly implements PhysicalToLogical {

    /** What Debezium leaves out when no database is listed. */
    private static final Set<String> SYSTEM_DATABASES = Set.of("mysql", "performance_schema", "sys",
            "information_schema");

    private final PhysicalToLogical mapping;
    /** Lower case; empty for all but {@link #SYSTEM_DATABASES}. */
    private final Set<String> databases;

    /**
     * @param mapping   the mapping of the captured tables
     * @param databases the captured databases, empty for all but the system databases
     */
    CapturedDatabasesOnly(PhysicalToLogical mapping, List<String> databases) {
        this.mapping = mapping;
        this.databases = databases.stream().map(CapturedDatabasesOnly::lowerCase).collect(Collectors.toSet());
    }

    @Override
    public LogicalTable logicalTable(String group, String database, String table) {
        return mapping.logicalTable(group, database, table);
    }

    @Override
    public boolean capturesRows(String group, String database, String table) {
        return mapping.capturesRows(group, database, table);
    }

    @Override
    public boolean capturesSchemaChanges(String group, String database, String table) {
        String name = lowerCase(database);
        boolean captured = databases.isEmpty() ? !SYSTEM_DATABASES.contains(name) : databases.contains(name);
        return captured && mapping.capturesSchemaChanges(group, database, table);
    }

    private static String lowerCase(String database) {
        return database == null ? "" : database.toLowerCase(Locale.ROOT);
    }
}
