package io.shardwire.router.rule;

import java.util.List;

/**
 * A whole table on one data node.
 *
 * @param schema   logical schema
 * @param table    logical table
 * @param physical its one physical table
 */
public record SingleTableRule(String schema, String table, PhysicalTable physical) implements TableRule {

    @Override
    public List<PhysicalTable> physicalTables() {
        return List.of(physical);
    }
}
