package io.shardwire.cdc.event;

/**
 * What a capture stores in the change topic, one queue record each: a row change ({@link ChangeEvent}) or a change
 * of a logical table's structure ({@link SchemaChangeEvent}). Both carry a deterministic id, the logical table and
 * where in the group's binlog they come from; {@link ChangeEventJson} writes either.
 */
public sealed interface CapturedEvent permits ChangeEvent, SchemaChangeEvent {

    /** @return the deterministic id, the same however often the change is captured */
    String id();

    /** @return the logical schema */
    String schema();

    /** @return the logical table */
    String table();

    /** @return where it came from, down to the binlog position */
    EventSource source();

    /** @return when the capture processed it, ms since the epoch */
    long tsMs();

    /** @return when it committed on the source, ms since the epoch: the queue record's timestamp */
    long commitTsMs();
}
