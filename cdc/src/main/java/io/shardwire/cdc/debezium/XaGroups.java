package io.shardwire.cdc.debezium;

/**
 * Tells what the event group starting at a binlog position is ({@link XaGroup}). Debezium 3.5 drops the binlog's XA
 * events ({@code XA START}, {@code XA_PREPARE_LOG_EVENT}, {@code XA COMMIT}, {@code XA ROLLBACK}) before they become
 * records, so {@link TransactionBatcher} asks this about an event group that began and never ended, which only XA
 * groups (and replays after a restart) do.
 */
@FunctionalInterface
interface XaGroups {

    /**
     * @param file     the binlog file
     * @param position the position of the group's GTID event in it
     * @return what the group is
     */
    XaGroup at(String file, long position);
}
