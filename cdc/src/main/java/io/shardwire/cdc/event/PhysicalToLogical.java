package io.shardwire.cdc.event;

/**
 * Maps a physical table on a shard group (a data node) back to the logical table it holds a part of, so that change
 * events speak the names clients use. The router supplies the real mapping; {@link #IDENTITY} keeps physical names.
 *
 * <p>Called on the capture's own thread for every event, so it must be fast and must not block; it may be called
 * from several captures (one per group) at once.
 */
@FunctionalInterface
public interface PhysicalToLogical {

    /** Keeps the physical names: database {@code shop_0}, table {@code orders_1} stay {@code shop_0.orders_1}. */
    PhysicalToLogical IDENTITY = (group, database, table) -> new LogicalTable(database, table);

    /**
     * @param group    the shard group the change was captured on, e.g. {@code g0}
     * @param database the physical database
     * @param table    the physical table
     * @return the logical table
     */
    LogicalTable logicalTable(String group, String database, String table);

    /**
     * Whether the row changes of a physical table are captured. A broadcast table has a full copy on every data node
     * and each write lands in every copy, so each copy's binlog carries the same change: only one copy (the router
     * designates the first) is captured, so that the queue holds one event per logical change.
     *
     * @param group    the shard group
     * @param database the physical database
     * @param table    the physical table
     * @return false for a copy whose changes another copy already yields; true by default
     */
    default boolean capturesRows(String group, String database, String table) {
        return true;
    }

    /**
     * Whether the structure changes (DDL) of a physical table are reported. DDL through the proxy runs on every
     * physical table of a logical table, on every group: only the first physical table's (the router designates it)
     * is reported, so that the queue holds one schema change event per logical table.
     *
     * @param group    the shard group
     * @param database the physical database
     * @param table    the physical table
     * @return false for a physical table whose DDL another one of the same logical table already reports; true by
     *     default
     */
    default boolean capturesSchemaChanges(String group, String database, String table) {
        return true;
    }
}
