package io.shardwire.cdc.debezium;

import java.util.Map;

/**
 * How much of a source transaction the queue already holds, when a batch ended inside it (a transaction over the
 * cap): what the capture needs to go on numbering the transaction's events where it left off. Debezium cannot tell:
 * resuming inside a MariaDB transaction, it begins the transaction's metadata afresh, counting from 1 again
 * (measured: the resumed events repeated the first parts' {@code total_order} and so their event ids).
 *
 * @param id             the transaction id
 * @param events         the transaction's events stored so far
 * @param eventsPerTable of those, how many per physical table {@code <db>.<table>}
 */
record PartialTransaction(String id, long events, Map<String, Long> eventsPerTable) {

    /** Copies the map. */
    PartialTransaction {
        eventsPerTable = Map.copyOf(eventsPerTable);
    }
}
