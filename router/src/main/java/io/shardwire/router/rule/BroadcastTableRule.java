package io.shardwire.router.rule;

import java.util.List;

/**
 * A table with a full copy on each of several data nodes: writes go to all, reads to one.
 *
 * @param schema logical schema
 * @param table  logical table
 * @param copies one physical table per data node
 */
public record BroadcastTableRule(String schema, String table, List<PhysicalTable> copies) implements TableRule {

    public BroadcastTableRule {
        copies = List.copyOf(copies);
    }

    @Override
    public List<PhysicalTable> physicalTables() {
        return copies;
    }
}
