package io.shardwire.cdc.debezium;

import io.shardwire.cdc.event.ChangeEvent;
import io.shardwire.cdc.event.EventTransaction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Groups Debezium's records into queue batches, each stored with the {@link CapturePosition} after its last record,
 * so that a batch and the position that covers it are one atomic append:
 *
 * <ul>
 *   <li>a source transaction, from its BEGIN to its END metadata record, is never split between batches; at the END
 *       every event learns the transaction's event count and commit time. A transaction can span several of the
 *       engine's record lists: it is held until its END arrives. The transactions that end in one record list of
 *       the engine are stored together, as one batch with the last END record's offset, up to
 *       {@code maxTransactionEvents} events: a group commit, one append and one fsync for many small
 *       transactions;</li>
 *   <li>a transaction with more than {@code maxTransactionEvents} events is split into batches of that many, each
 *       stored with the offset of its last record, from which Debezium resumes inside the transaction, and with how
 *       far the transaction got ({@link PartialTransaction}); the events of all but the last batch carry no event
 *       count (see {@link EventTransaction});</li>
 *   <li>snapshot reads, which have no transaction, are batched per record list of the engine, up to the same cap.</li>
 * </ul>
 *
 * <p>Events are numbered within their transaction here, not by Debezium, whose numbering starts again at 1 when it
 * resumes inside a transaction; so an event's place, and with it its {@link io.shardwire.cdc.event.EventId}, is the
 * same however the transaction was read.
 *
 * <p>Records that carry no row change (tombstones, heartbeats, schema changes), and the changes of tables the
 * mapping does not capture (the redundant copies of a broadcast table), are dropped before numbering; their offsets
 * are not
 * needed, as the next batch's offset lies beyond them. After a restart from an END record's offset, Debezium replays
 * that END alone (the offset sits inside the transaction): an END with no open transaction is dropped too.
 *
 * <p>Not thread-safe; the engine calls it from one thread.
 */
final class TransactionBatcher {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionBatcher.class);
    /** Debezium's codes of row changes; truncates ("t") and messages ("m") are not ours to carry. */
    private static final Set<String> ROW_OPERATIONS = Set.of("c", "u", "d", "r");

    private final String engineName;
    private final String transactionTopic;
    private final ChangeEventMapper mapper;
    private final BatchSink sink;
    private final int maxTransactionEvents;

    /** The transaction the last stored batch ended inside of: where its numbering goes on when it is read again. */
    private Optional<PartialTransaction> storedPartial;
    /** The transaction being gathered, or null between transactions. */
    private OpenTransaction open;
    /** Whole transactions (and changes without one) not yet stored, and the record whose offset covers them. */
    private final List<ChangeEvent> completedEvents = new ArrayList<>();
    private SourceRecord lastCompletedRecord;
    /** Snapshot reads not yet stored, and the record whose offset covers them. */
    private final List<ChangeEvent> snapshotReads = new ArrayList<>();
    private SourceRecord lastSnapshotRecord;

    /**
     * @param engineName           the engine's name, Connect's offset namespace
     * @param transactionTopic     the topic of Debezium's transaction metadata records: {@code <topic.prefix>.transaction}
     * @param mapper               turns data records into events
     * @param sink                 stores batches
     * @param maxTransactionEvents the most events held for one batch
     * @param storedPartial        the transaction the queue's last batch ended inside of, from its stored position
     */
    TransactionBatcher(String engineName, String transactionTopic, ChangeEventMapper mapper, BatchSink sink,
            int maxTransactionEvents, Optional<PartialTransaction> storedPartial) {
        if (maxTransactionEvents < 1) {
            throw new IllegalArgumentException("maxTransactionEvents: " + maxTransactionEvents + " (expected: >= 1)");
        }
        this.engineName = engineName;
        this.transactionTopic = transactionTopic;
        this.mapper = mapper;
        this.sink = sink;
        this.maxTransactionEvents = maxTransactionEvents;
        this.storedPartial = storedPartial;
    }

    /**
     * Takes the engine's next records, in source order, and stores every batch they complete.
     *
     * @param records the records
     * @return the last record whose offset is now stored, or null if none is: what the engine may mark processed
     * @throws InterruptedException if interrupted while storing
     */
    SourceRecord accept(List<SourceRecord> records) throws InterruptedException {
        SourceRecord stored = null;
        for (SourceRecord record : records) {
            SourceRecord covered = switch (kindOf(record)) {
                case TRANSACTION_BEGIN -> begin(record);
                case TRANSACTION_END -> end(record);
                case ROW_CHANGE -> change(record);
                case OTHER -> null;
            };
            stored = covered == null ? stored : covered;
        }
        // At most one of them holds events: adding to one flushes the other.
        SourceRecord snapshot = flushSnapshotReads();
        SourceRecord completed = flushCompleted();
        return completed != null ? completed : snapshot != null ? snapshot : stored;
    }

    private SourceRecord begin(SourceRecord record) throws InterruptedException {
        SourceRecord stored = flushSnapshotReads();
        String id = transactionId(record);
        if (open != null) {
            // Only a replay from before the open transaction explains this; the replay brings its events again.
            LOG.warn("{}: transaction {} began while {} was still open with {} events; dropping those, as the source"
                    + " replays them", engineName, id, open.id, open.events.size());
        }
        open = openTransaction(id);
        return stored;
    }

    /** A transaction opens where the stored part of it ended, or at its start. */
    private OpenTransaction openTransaction(String id) {
        if (storedPartial.isPresent() && storedPartial.get().id().equals(id)) {
            LOG.info("{}: resuming transaction {} after its first {} events, which the queue holds", engineName, id,
                    storedPartial.get().events());
            return new OpenTransaction(id, storedPartial.get().events(), storedPartial.get().eventsPerTable());
        }
        return new OpenTransaction(id, 0, Map.of());
    }

    private SourceRecord end(SourceRecord record) throws InterruptedException {
        SourceRecord stored = flushSnapshotReads();
        String id = transactionId(record);
        if (open == null || !open.id.equals(id)) {
            LOG.debug("{}: END of transaction {} without its events (replayed after a restart); dropped", engineName,
                    id);
            return stored;
        }
        long commitTsMs = ((Struct) record.value()).getInt64("ts_ms");
        List<ChangeEvent> completed = new ArrayList<>(open.events.size());
        for (ChangeEvent event : open.events) {
            completed.add(event.withTransaction(event.transaction().orElseThrow().completed(open.numbered,
                    commitTsMs)));
        }
        open = null;
        if (completed.isEmpty()) {
            return stored;
        }
        return hold(completed, record, stored);
    }

    /**
     * Holds whole transactions (and changes without one) until the end of the engine's record list, so that they
     * share one append, one fsync; stores what is held first if these would take it over the cap.
     */
    private SourceRecord hold(List<ChangeEvent> events, SourceRecord record, SourceRecord stored)
            throws InterruptedException {
        SourceRecord flushed = null;
        if (!completedEvents.isEmpty() && completedEvents.size() + events.size() > maxTransactionEvents) {
            flushed = flushCompleted();
        }
        completedEvents.addAll(events);
        lastCompletedRecord = record;
        return flushed != null ? flushed : stored;
    }

    private SourceRecord flushCompleted() throws InterruptedException {
        if (completedEvents.isEmpty()) {
            return null;
        }
        SourceRecord last = lastCompletedRecord;
        store(List.copyOf(completedEvents), last, Optional.empty());
        completedEvents.clear();
        lastCompletedRecord = null;
        return last;
    }

    private SourceRecord change(SourceRecord record) throws InterruptedException {
        Optional<String> transactionId = ChangeEventMapper.transactionId(record);
        if (transactionId.isEmpty()) {
            ChangeEvent event = mapper.map(record, Optional.empty());
            if (event.source().snapshot()) {
                return snapshotRead(event, record);
            }
            return hold(List.of(event), record, flushSnapshotReads());
        }
        SourceRecord stored = flushSnapshotReads();
        String id = transactionId.get();
        if (open == null) {
            // No BEGIN seen: a source that does not repeat it when resuming inside a transaction.
            open = openTransaction(id);
        } else if (!open.id.equals(id)) {
            throw new IllegalStateException(engineName + ": event of transaction " + id + " while transaction "
                    + open.id + " is open and has not ended; Debezium's transaction metadata is inconsistent");
        }
        if (open.events.size() == maxTransactionEvents) {
            // Store what is held so far; this event goes into the next part.
            if (!open.split) {
                LOG.warn("{}: transaction {} has more than {} events (maxTransactionEvents): storing it in parts,"
                        + " which consumers see before its end", engineName, id, maxTransactionEvents);
                open.split = true;
            }
            flushCompleted();
            store(List.copyOf(open.events), open.lastRecord, Optional.of(open.partial()));
            stored = open.lastRecord;
            open.events.clear();
        }
        String table = ChangeEventMapper.physicalTable(record);
        long totalOrder = ++open.numbered;
        long tableOrder = open.perTable.merge(table, 1L, Long::sum);
        open.events.add(mapper.map(record, Optional.of(new EventTransaction(id, totalOrder, tableOrder,
                OptionalLong.empty(), OptionalLong.empty()))));
        open.lastRecord = record;
        return stored;
    }

    private SourceRecord snapshotRead(ChangeEvent event, SourceRecord record) throws InterruptedException {
        SourceRecord stored = flushCompleted();
        if (snapshotReads.size() == maxTransactionEvents) {
            stored = flushSnapshotReads();
        }
        snapshotReads.add(event);
        lastSnapshotRecord = record;
        return stored;
    }

    private SourceRecord flushSnapshotReads() throws InterruptedException {
        if (snapshotReads.isEmpty()) {
            return null;
        }
        SourceRecord last = lastSnapshotRecord;
        store(List.copyOf(snapshotReads), last, Optional.empty());
        snapshotReads.clear();
        lastSnapshotRecord = null;
        return last;
    }

    private void store(List<ChangeEvent> events, SourceRecord last, Optional<PartialTransaction> partial)
            throws InterruptedException {
        sink.append(events, new CapturePosition(CaptureOffset.of(engineName, last), partial));
        storedPartial = partial;
    }

    private RecordKind kindOf(SourceRecord record) {
        if (!(record.value() instanceof Struct value)) {
            return RecordKind.OTHER;
        }
        if (transactionTopic.equals(record.topic()) && value.schema().field("status") != null) {
            return switch (value.getString("status")) {
                case "BEGIN" -> RecordKind.TRANSACTION_BEGIN;
                case "END" -> RecordKind.TRANSACTION_END;
                default -> RecordKind.OTHER;
            };
        }
        if (value.schema().field("op") != null && value.schema().field("source") != null
                && ROW_OPERATIONS.contains(value.getString("op")) && mapper.captures(record)) {
            return RecordKind.ROW_CHANGE;
        }
        return RecordKind.OTHER;
    }

    private static String transactionId(SourceRecord record) {
        return ((Struct) record.value()).getString("id");
    }

    /** What a record of the engine carries. */
    private enum RecordKind { TRANSACTION_BEGIN, TRANSACTION_END, ROW_CHANGE, OTHER }

    /** A transaction between its BEGIN (or the end of its stored part) and its END. */
    private static final class OpenTransaction {
        private final String id;
        private final List<ChangeEvent> events = new ArrayList<>();
        /** Events numbered so far, including those of stored parts. */
        private long numbered;
        private final Map<String, Long> perTable;
        private SourceRecord lastRecord;
        private boolean split;

        OpenTransaction(String id, long numbered, Map<String, Long> perTable) {
            this.id = id;
            this.numbered = numbered;
            this.perTable = new HashMap<>(perTable);
        }

        /** @return how far the transaction got, counting the held events as stored */
        PartialTransaction partial() {
            return new PartialTransaction(id, numbered, perTable);
        }
    }
}
