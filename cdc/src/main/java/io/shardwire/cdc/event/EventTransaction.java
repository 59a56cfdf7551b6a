package io.shardwire.cdc.event;

import java.util.OptionalLong;

/**
 * The source transaction a change event belongs to.
 *
 * <p>A transaction is appended to the queue as one batch, so all its events become visible together. Only a
 * transaction larger than the capture's cap is split over several batches; then the events of all but the last
 * batch lack {@link #eventCount} and {@link #commitTsMs}, and a consumer that must never act on part of a
 * transaction holds its events until it has {@code eventCount} of them.
 *
 * @param id                  the transaction id: the GTID, e.g. {@code 0-100-42}
 * @param totalOrder          the event's place among all events of the transaction, from 1
 * @param dataCollectionOrder the event's place among the transaction's events on the same physical table, from 1
 * @param eventCount          how many events the transaction has; empty in a batch that is not its last
 * @param commitTsMs          when the transaction committed, ms since the epoch; empty in a batch that is not its last
 */
public record EventTransaction(String id, long totalOrder, long dataCollectionOrder, OptionalLong eventCount,
                               OptionalLong commitTsMs) {

    /** Rejects a missing id and orders below 1. */
    public EventTransaction {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("id: '" + id + "' (expected: a transaction id)");
        }
        if (totalOrder < 1 || dataCollectionOrder < 1) {
            throw new IllegalArgumentException("totalOrder, dataCollectionOrder: " + totalOrder + ", "
                    + dataCollectionOrder + " (expected: >= 1)");
        }
        if (eventCount == null || commitTsMs == null) {
            throw new IllegalArgumentException("eventCount, commitTsMs: " + eventCount + ", " + commitTsMs
                    + " (expected: OptionalLong.empty() when unknown)");
        }
    }

    /**
     * @param eventCount the transaction's event count
     * @param commitTsMs its commit time
     * @return this event's transaction, now known to be complete
     */
    public EventTransaction completed(long eventCount, long commitTsMs) {
        return new EventTransaction(id, totalOrder, dataCollectionOrder, OptionalLong.of(eventCount),
                OptionalLong.of(commitTsMs));
    }
}
