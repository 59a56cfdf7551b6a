package io.shardwire.router.rule;

import io.shardwire.config.SchemaConfig;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;

/**
 * Physical names back to logical ones, for what comes from the backends (change events, result
 * metadata): {@code shop_1.orders_1} -> {@code shop.orders}. Tables without a rule of their own in a
 * schema's default database or data node databases keep their name under the logical schema.
 * Anything else keeps its physical names. Immutable, thread-safe.
 */
public final class LogicalNames {

    /** A logical schema and table. */
    public record Name(String schema, String table) {
    }

    private final Map<String, Name> byPhysicalTable = new HashMap<>();
    private final Map<String, String> schemaByDatabase = new HashMap<>();
    private final Set<String> redundantCopies = new HashSet<>();
    private final Set<String> laterPhysicalTables = new HashSet<>();

    /** The names of {@code rules}' physical tables and databases. */
    public LogicalNames(ShardingRules rules) {
        for (SchemaConfig schema : rules.config().schemas()) {
            schemaByDatabase.put(schema.name(), schema.name());
            schema.dataNodes().forEach(node -> schemaByDatabase.put(node.name(), schema.name()));
            for (String table : schema.tables().keySet()) {
                TableRule rule = rules.rule(schema.name(), table);
                List<PhysicalTable> physicalTables = rule.physicalTables();
                for (PhysicalTable physical : physicalTables) {
                    byPhysicalTable.put(key(physical.node().database(), physical.table()), new Name(rule.schema(), rule.table()));
                }
                for (PhysicalTable later : physicalTables.subList(Math.min(1, physicalTables.size()), physicalTables.size())) {
                    laterPhysicalTables.add(key(later.node().database(), later.table()));
                }
                if (rule instanceof BroadcastTableRule broadcast) {
                    for (PhysicalTable copy : broadcast.copies().subList(1, broadcast.copies().size())) {
                        redundantCopies.add(key(copy.node().database(), copy.table()));
                    }
                }
            }
        }
    }

    /** The logical schema of a physical database: a data node's schema, else the database's own name. */
    public String schema(String database) {
        return schemaByDatabase.getOrDefault(database, database);
    }

    /** The logical name of a physical table. */
    public Name of(String database, String table) {
        Name name = byPhysicalTable.get(key(database, table));
        if (name != null) {
            return name;
        }
        return new Name(schema(database), table);
    }

    /**
     * Whether a physical table is a copy of a broadcast table other than its first: every write lands in every copy,
     * so the first copy alone tells each change once (change capture reads only it).
     */
    public boolean isRedundantCopy(String database, String table) {
        return redundantCopies.contains(key(database, table));
    }

    /**
     * Whether a physical table is one of a logical table's physical tables other than its first: DDL through the proxy
     * changes them all alike, so the first alone tells each structure change once (change capture reports only it).
     */
    public boolean isLaterPhysicalTable(String database, String table) {
        return laterPhysicalTables.contains(key(database, table));
    }

    private static String key(String database, String table) {
        return database + '\u0000' + table;
    }
}
