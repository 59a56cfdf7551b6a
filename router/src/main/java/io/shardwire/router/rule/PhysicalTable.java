package io.shardwire.router.rule;

/**
 * A logical table's copy or slice on one data node.
 *
 * @param node  the data node
 * @param table the physical table name there
 */
public record PhysicalTable(DataNode node, String table) {

    @Override
    public String toString() {
        return node.database() + "." + table;
    }
}
