package io.shardwire.cdc.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * One committed row change on a shard group, in logical names: what the CDC appends to the queue, one record per
 * event, as {@link ChangeEventJson}.
 *
 * <p>Row images are typed JSON objects, column name to value: integers and floating point numbers as JSON numbers,
 * DECIMAL (and BIGINT UNSIGNED) as exact decimal strings, DATE/DATETIME/TIME as ISO-8601 strings (DATETIME without
 * a zone, as MariaDB stores it; TIMESTAMP in UTC with {@code Z}), binary columns as base64 strings, SQL NULL as
 * JSON null.
 *
 * <p>Shallowly immutable: the JSON objects are not copied, so do not change them.
 *
 * @param id          a deterministic id, the same however often the change is captured (see {@link EventId}):
 *                    consumers deduplicate on it
 * @param op          what happened to the row
 * @param schema      the logical schema
 * @param table       the logical table
 * @param key         the primary key columns and values; empty for a table without a primary key
 * @param before      the row before the change: present for updates and deletes
 * @param after       the row after the change: present for inserts, updates and snapshot reads
 * @param source      where it came from, down to the binlog position
 * @param transaction the source transaction; empty for snapshot reads
 * @param tsMs        when the capture processed the event, ms since the epoch
 */
public record ChangeEvent(String id, Operation op, String schema, String table, ObjectNode key,
                          Optional<ObjectNode> before, Optional<ObjectNode> after, EventSource source,
                          Optional<EventTransaction> transaction, long tsMs) implements CapturedEvent {

    /** Rejects missing parts and images that do not fit the operation. */
    public ChangeEvent {
        if (id == null || op == null || schema == null || table == null || key == null || before == null
                || after == null || source == null || transaction == null) {
            throw new IllegalArgumentException("change event with a null part: id=" + id + ", op=" + op + ", table="
                    + schema + "." + table + " (expected: no null; Optional.empty() for an absent image)");
        }
        boolean wantsBefore = op == Operation.UPDATE || op == Operation.DELETE;
        boolean wantsAfter = op != Operation.DELETE;
        if (before.isPresent() != wantsBefore || after.isPresent() != wantsAfter) {
            throw new IllegalArgumentException("op " + op.code() + " on " + schema + "." + table + " with before "
                    + (before.isPresent() ? "present" : "absent") + " and after "
                    + (after.isPresent() ? "present" : "absent") + " (expected: before for u and d, after for c, u"
                    + " and r)");
        }
    }

    /**
     * @param completed the transaction, now complete
     * @return this event with that transaction
     */
    public ChangeEvent withTransaction(EventTransaction completed) {
        return new ChangeEvent(id, op, schema, table, key, before, after, source, Optional.of(completed), tsMs);
    }

    /**
     * @return when the change committed, if known: the transaction's commit time, else the source time
     */
    @Override
    public long commitTsMs() {
        if (transaction.isPresent() && transaction.get().commitTsMs().isPresent()) {
            return transaction.get().commitTsMs().getAsLong();
        }
        return source.tsMs();
    }
}
