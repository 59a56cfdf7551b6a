package io.shardwire.router.rule;

import java.util.List;

/** Where a logical table's rows live, resolved to data nodes and physical names. Immutable. */
public sealed interface TableRule permits SingleTableRule, BroadcastTableRule, ShardedTableRule {

    /** The logical schema. */
    String schema();

    /** The logical table name. */
    String table();

    /** Every physical table of this logical table: its one copy, its copies, or its slices by node index. */
    List<PhysicalTable> physicalTables();

    /** {@code schema.table}, as refusal messages name tables. */
    default String qualifiedName() {
        return schema() + "." + table();
    }
}
