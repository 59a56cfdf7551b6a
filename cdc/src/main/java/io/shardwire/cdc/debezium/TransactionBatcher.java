package io.shardwire.cdc.debezium;

import io.shardwire.cdc.event.CapturedEvent;
import io.shardwire.cdc.event.ChangeEvent;
import io.shardwire.cdc.event.EventTransaction;
import io.shardwire.cdc.event.SchemaChangeEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
 *   <li>snapshot reads, which have no transaction, are batched per record list of the engine, up to the same cap,
 *       into the {@link SnapshotStage}, not the group's partition: that gets them all at once, at the snapshot's
 *       last record (Debezium marks it {@code snapshot: last} and gives it the offset of the completed snapshot),
 *       so that a snapshot interrupted by a crash leaves nothing there. A read that shows the connector began the
 *       snapshot again (the snapshot's first record; the first read of a table that this attempt read to its end or
 *       had begun) restarts the stage.</li>
 * </ul>
 *
 * <p>Events are numbered within their transaction here, not by Debezium, whose numbering starts again at 1 when it
 * resumes inside a transaction; so an event's place, and with it its {@link io.shardwire.cdc.event.EventId}, is the
 * same however the transaction was read.
 *
 * <p>A schema change (DDL, its own event group in the binlog) is held like a transaction, as the
 * {@link SchemaChangeEvent}s of the logical tables whose first physical table it changed; the DDL on their other
 * physical tables yields none. Records that carry neither (tombstones, heartbeats), and the changes of tables the
 * mapping does not capture (the redundant copies of a broadcast table), are dropped before numbering; their offsets
 * are not needed, as the next batch's offset lies beyond them. After a restart from an END record's offset, Debezium replays
 * that END alone (the offset sits inside the transaction): an END with no open transaction is dropped too.
 *
 * <p><b>XA branches.</b> MariaDB binlogs an XA branch at {@code XA PREPARE}, as an event group with its rows and no
 * end, and its {@code XA COMMIT} or {@code XA ROLLBACK} later as a group with no rows and no end (Debezium 3.5 passes
 * none of the XA events on, see {@link XaGroups}). A group that began and never ended is asked about at the next
 * group's BEGIN, or at a Debezium heartbeat while it holds no rows (an {@code XA COMMIT} or {@code XA ROLLBACK} group
 * has none), once per group: so an outcome is settled within a heartbeat on a quiet binlog, and plain transactions
 * pay at most one query per heartbeat (asking at the end of every record list put a query in their path). A prepared
 * branch's events are parked by xid; its {@code XA COMMIT} stores them
 * as one whole transaction at the commit's place in the binlog (so per-row order is commit order); its
 * {@code XA ROLLBACK} drops them. Parked rows live in memory only, so every stored position says where to resume
 * reading if they are lost: before the earliest parked branch ({@link CapturePosition#resumeFrom()}). A restart reads
 * from there again and recognises what it already stored by GTID sequence ({@link CapturePosition#storedSequence()}):
 * a transaction, or a branch's commit, at or below it is dropped, while prepared branches are parked again. This
 * assumes one GTID domain per group, whose sequence grows in binlog order (as {@link GtidResume} does).
 *
 * <p>Not thread-safe; the engine calls it from one thread.
 */
final class TransactionBatcher {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionBatcher.class);
    /** Debezium's codes of row changes; truncates ("t") and messages ("m") are not ours to carry. */
    private static final Set<String> ROW_OPERATIONS = Set.of("c", "u", "d", "r");

    private final String engineName;
    private final String transactionTopic;
    private final String heartbeatTopic;
    private final ChangeEventMapper mapper;
    private final BatchSink sink;
    private final SnapshotStage stage;
    private final int maxTransactionEvents;
    private final XaGroups xaGroups;

    /** The transaction the last stored batch ended inside of: where its numbering goes on when it is read again. */
    private Optional<PartialTransaction> storedPartial;
    /**
     * Whether the reading resumed before the stored position (at a parked branch), so that the stored part of
     * {@link #storedPartial} is read again and must be skipped here, not by Debezium.
     */
    private boolean partialReadAgain;
    /** GTID sequence of the last whole transaction stored; transactions at or below it are replays. */
    private long storedSequence;
    /** GTID sequence of the last whole transaction held in {@link #completedEvents}. */
    private long heldSequence = -1;
    /** Prepared XA branches awaiting their outcome, by xid, in binlog order. */
    private final Map<String, OpenTransaction> parked = new LinkedHashMap<>();
    /** The transaction being gathered, or null between transactions. */
    private OpenTransaction open;
    /** Whole transactions (and changes without one) not yet stored, and the record whose offset covers them. */
    private final List<CapturedEvent> completedEvents = new ArrayList<>();
    private SourceRecord lastCompletedRecord;
    /** Snapshot reads not yet staged. */
    private final List<ChangeEvent> snapshotReads = new ArrayList<>();
    /** Whether the stage holds the current snapshot attempt (restarted at its first read). */
    private boolean staging;
    /** The physical tables of which the current snapshot attempt read rows, and read the last row. */
    private final Set<String> snapshotTablesBegun = new HashSet<>();
    private final Set<String> snapshotTablesDone = new HashSet<>();

    /**
     * @param engineName           the engine's name, Connect's offset namespace
     * @param transactionTopic     the topic of Debezium's transaction metadata records: {@code <topic.prefix>.transaction}
     * @param heartbeatTopic       the topic of Debezium's heartbeat records
     * @param mapper               turns data records into events
     * @param sink                 stores batches
     * @param stage                keeps snapshot reads until the snapshot is complete
     * @param maxTransactionEvents the most events held for one batch
     * @param stored               the position stored with the queue's last batch, if any
     * @param xaGroups             tells what an event group that never ended is
     */
    TransactionBatcher(String engineName, String transactionTopic, String heartbeatTopic, ChangeEventMapper mapper,
            BatchSink sink, SnapshotStage stage, int maxTransactionEvents, Optional<CapturePosition> stored,
            XaGroups xaGroups) {
        if (maxTransactionEvents < 1) {
            throw new IllegalArgumentException("maxTransactionEvents: " + maxTransactionEvents + " (expected: >= 1)");
        }
        this.engineName = engineName;
        this.transactionTopic = transactionTopic;
        this.heartbeatTopic = heartbeatTopic;
        this.mapper = mapper;
        this.sink = sink;
        this.stage = stage;
        this.maxTransactionEvents = maxTransactionEvents;
        this.xaGroups = xaGroups;
        this.storedPartial = stored.flatMap(CapturePosition::partial);
        this.partialReadAgain = stored.isPresent() && stored.get().resumeFrom().isPresent();
        this.storedSequence = stored.map(CapturePosition::storedSequence).orElse(-1L);
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
                case SCHEMA_CHANGE -> schemaChange(record);
                case HEARTBEAT -> heartbeat(record);
                case OTHER -> isSnapshotEnd(record) ? endSnapshot(record) : null;
            };
            stored = covered == null ? stored : covered;
        }
        // At most one of them holds events: adding to one flushes the other.
        flushSnapshotReads();
        SourceRecord completed = flushCompleted();
        return completed != null ? completed : stored;
    }

    private SourceRecord begin(SourceRecord record) throws InterruptedException {
        flushSnapshotReads();
        SourceRecord stored = null;
        String id = transactionId(record);
        if (open != null) {
            SourceRecord covered = unended(open, record);
            stored = covered == null ? stored : covered;
        }
        open = openTransaction(id, record);
        return stored;
    }

    /**
     * A group that began and did not end before the next began: an XA branch's prepare or outcome, or, if neither,
     * a replay from before it (the replay brings its events again).
     *
     * @param next the next group's BEGIN, whose offset lies just past the unended group
     */
    private SourceRecord unended(OpenTransaction unended, SourceRecord next) throws InterruptedException {
        XaGroup group = unended.begin == null ? XaGroup.PLAIN : groupOf(unended);
        if (group.kind() != XaGroup.Kind.PLAIN) {
            return settle(unended, group, next);
        }
        if (!unended.events.isEmpty()) {
            LOG.warn("{}: transaction {} began while {} was still open with {} events; dropping those, as the source"
                    + " replays them", engineName, transactionId(next), unended.id, unended.events.size());
        }
        return null;
    }

    /**
     * A heartbeat: Debezium's sign of life, also on a quiet binlog. An open group with no rows may be an XA branch's
     * outcome whose group never ends: asked about once, it is settled now rather than at the next group's BEGIN.
     */
    private SourceRecord heartbeat(SourceRecord record) throws InterruptedException {
        if (open == null || open.begin == null || !open.events.isEmpty() || open.askedAtHeartbeat) {
            return null;
        }
        open.askedAtHeartbeat = true;
        XaGroup group = groupOf(open);
        if (group.kind() != XaGroup.Kind.COMMITTED && group.kind() != XaGroup.Kind.ROLLED_BACK) {
            return null;
        }
        OpenTransaction outcome = open;
        open = null;
        return settle(outcome, group, record);
    }

    /**
     * A schema change: held like a transaction, unless it was stored already (read again from before a parked XA
     * branch) or concerns no table whose schema changes are reported.
     */
    private SourceRecord schemaChange(SourceRecord record) throws InterruptedException {
        List<SchemaChangeEvent> events = mapper.schemaChanges(record);
        long sequence = SchemaChangeMapper.gtid(record).map(TransactionBatcher::sequenceOf).orElse(-1L);
        if (events.isEmpty() || (sequence >= 0 && sequence <= storedSequence)) {
            return null;
        }
        flushSnapshotReads();
        return hold(events, record, null, sequence);
    }

    /** Asks what an open transaction's group is, and remembers that it asked and whether it is a prepared branch. */
    private XaGroup ask(OpenTransaction transaction) {
        XaGroup group = groupOf(transaction);
        transaction.askedAbout = true;
        transaction.xa = group.kind() == XaGroup.Kind.PREPARED;
        return group;
    }

    private XaGroup groupOf(OpenTransaction transaction) {
        Map<String, ?> offset = transaction.begin.sourceOffset();
        return xaGroups.at(String.valueOf(offset.get("file")), ((Number) offset.get("pos")).longValue());
    }

    /**
     * Parks a prepared branch, or stores or drops the parked branch an outcome group decides.
     *
     * @param covering the record whose offset lies past the group
     * @return the last record stored, or null
     */
    private SourceRecord settle(OpenTransaction group, XaGroup xa, SourceRecord covering)
            throws InterruptedException {
        switch (xa.kind()) {
            case PREPARED -> {
                // What is held lies before the branch, so its position needs no resume point before the branch.
                SourceRecord stored = flushCompleted();
                LOG.info("{}: XA branch {} prepared in transaction {} with {} events; held until its XA COMMIT or"
                        + " XA ROLLBACK", engineName, xa.xid(), group.id, group.events.size());
                parked.put(xa.xid(), group);
                return stored;
            }
            case ROLLED_BACK -> {
                OpenTransaction branch = parked.remove(xa.xid());
                LOG.info("{}: XA branch {} rolled back in transaction {}; {} parked events dropped", engineName,
                        xa.xid(), group.id, branch == null ? 0 : branch.events.size());
                return null;
            }
            case COMMITTED -> {
                OpenTransaction branch = parked.remove(xa.xid());
                long sequence = sequenceOf(group.id);
                if (sequence >= 0 && sequence <= storedSequence) {
                    LOG.debug("{}: XA COMMIT {} in transaction {} read again; the queue holds it", engineName,
                            xa.xid(), group.id);
                    return null;
                }
                if (branch == null) {
                    LOG.warn("{}: XA COMMIT {} in transaction {} of a branch whose prepare the capture never read"
                            + " (prepared before the capture's first position); its rows are not captured",
                            engineName, xa.xid(), group.id);
                    return null;
                }
                if (branch.events.isEmpty()) {
                    return null;
                }
                long commitTsMs = ((Struct) group.begin.value()).getInt64("ts_ms");
                List<ChangeEvent> completed = new ArrayList<>(branch.events.size());
                for (ChangeEvent event : branch.events) {
                    completed.add(event.withTransaction(event.transaction().orElseThrow().completed(branch.numbered,
                            commitTsMs)));
                }
                return hold(completed, covering, null, sequence);
            }
            default -> throw new IllegalArgumentException("not an XA group: " + xa);
        }
    }

    /** A transaction opens where the stored part of it ended, or at its start. */
    private OpenTransaction openTransaction(String id, SourceRecord begin) {
        long sequence = sequenceOf(id);
        boolean replayed = sequence >= 0 && sequence <= storedSequence;
        if (storedPartial.isPresent() && storedPartial.get().id().equals(id)) {
            LOG.info("{}: resuming transaction {} after its first {} events, which the queue holds", engineName, id,
                    storedPartial.get().events());
            OpenTransaction resumed = new OpenTransaction(id, begin, replayed, storedPartial.get().events(),
                    storedPartial.get().eventsPerTable());
            if (partialReadAgain) {
                resumed.toSkip = storedPartial.get().events();
                partialReadAgain = false;
            }
            return resumed;
        }
        return new OpenTransaction(id, begin, replayed, 0, Map.of());
    }

    /** @return the sequence of a GTID {@code domain-server-sequence}, or -1 if the id is not one */
    static long sequenceOf(String transactionId) {
        int dash = transactionId.lastIndexOf('-');
        try {
            return dash < 0 ? -1 : Long.parseLong(transactionId.substring(dash + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private SourceRecord end(SourceRecord record) throws InterruptedException {
        flushSnapshotReads();
        SourceRecord stored = null;
        String id = transactionId(record);
        if (open == null || !open.id.equals(id)) {
            LOG.debug("{}: END of transaction {} without its events (replayed after a restart); dropped", engineName,
                    id);
            return stored;
        }
        if (open.replayed) {
            LOG.debug("{}: transaction {} read again from before a parked XA branch; the queue holds it", engineName,
                    id);
            open = null;
            return stored;
        }
        long commitTsMs = ((Struct) record.value()).getInt64("ts_ms");
        List<ChangeEvent> completed = new ArrayList<>(open.events.size());
        for (ChangeEvent event : open.events) {
            completed.add(event.withTransaction(event.transaction().orElseThrow().completed(open.numbered,
                    commitTsMs)));
        }
        long sequence = sequenceOf(open.id);
        open = null;
        if (completed.isEmpty()) {
            return stored;
        }
        return hold(completed, record, stored, sequence);
    }

    /**
     * Holds whole transactions (and changes without one) until the end of the engine's record list, so that they
     * share one append, one fsync; stores what is held first if these would take it over the cap.
     */
    private SourceRecord hold(List<? extends CapturedEvent> events, SourceRecord record, SourceRecord stored,
            long sequence)
            throws InterruptedException {
        SourceRecord flushed = null;
        if (!completedEvents.isEmpty() && completedEvents.size() + events.size() > maxTransactionEvents) {
            flushed = flushCompleted();
        }
        completedEvents.addAll(events);
        lastCompletedRecord = record;
        heldSequence = Math.max(heldSequence, sequence);
        return flushed != null ? flushed : stored;
    }

    private SourceRecord flushCompleted() throws InterruptedException {
        if (completedEvents.isEmpty()) {
            return null;
        }
        SourceRecord last = lastCompletedRecord;
        storedSequence = Math.max(storedSequence, heldSequence);
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
            flushSnapshotReads();
            return hold(List.of(event), record, null, -1);
        }
        flushSnapshotReads();
        SourceRecord stored = null;
        String id = transactionId.get();
        if (open == null) {
            // No BEGIN seen: a source that does not repeat it when resuming inside a transaction.
            open = openTransaction(id, null);
        } else if (!open.id.equals(id)) {
            throw new IllegalStateException(engineName + ": event of transaction " + id + " while transaction "
                    + open.id + " is open and has not ended; Debezium's transaction metadata is inconsistent");
        }
        if (open.toSkip > 0) {
            // Read again from before a parked branch: the queue holds this event already.
            open.toSkip--;
            return stored;
        }
        if (open.events.size() == maxTransactionEvents && mayStoreInParts(open)) {
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

    /**
     * Whether a transaction over the cap may be stored in parts: not an XA branch (whose outcome is unknown until
     * later, so it is held whole), nor a replay (stored already); a replay that is no XA branch stops collecting.
     */
    private boolean mayStoreInParts(OpenTransaction transaction) {
        if (!transaction.askedAbout && transaction.begin != null) {
            ask(transaction);
            if (transaction.xa) {
                LOG.warn("{}: XA branch in transaction {} has more than {} events (maxTransactionEvents); held whole"
                        + " in memory until its outcome", engineName, transaction.id, maxTransactionEvents);
            }
        }
        if (transaction.replayed && !transaction.xa) {
            transaction.events.clear();
        }
        return !transaction.xa && !transaction.replayed;
    }

    private SourceRecord snapshotRead(ChangeEvent event, SourceRecord record) throws InterruptedException {
        SourceRecord stored = flushCompleted();
        String marker = snapshotMarker(record);
        String table = ChangeEventMapper.physicalTable(record);
        if (!staging || "first".equals(marker) || snapshotTablesDone.contains(table)
                || ("first_in_data_collection".equals(marker) && snapshotTablesBegun.contains(table))) {
            if (staging) {
                LOG.info("{}: the snapshot is taken again from its start; what the earlier attempt staged is"
                        + " discarded", engineName);
            }
            snapshotReads.clear();
            snapshotTablesBegun.clear();
            snapshotTablesDone.clear();
            stage.restart();
            staging = true;
        }
        snapshotTablesBegun.add(table);
        if ("last_in_data_collection".equals(marker) || "last".equals(marker)) {
            snapshotTablesDone.add(table);
        }
        if (snapshotReads.size() == maxTransactionEvents) {
            flushSnapshotReads();
        }
        snapshotReads.add(event);
        return "last".equals(marker) ? endSnapshot(record) : stored;
    }

    /** Whether a record the batcher carries no event of is the snapshot's last (a table it does not capture). */
    private static boolean isSnapshotEnd(SourceRecord record) {
        return record.value() instanceof Struct value && value.schema().field("op") != null
                && "r".equals(value.getString("op")) && "last".equals(snapshotMarker(record));
    }

    /** Publishes the staged snapshot into the group's partition, with the completed snapshot's offset. */
    private SourceRecord endSnapshot(SourceRecord last) throws InterruptedException {
        if (!staging) {
            return null;
        }
        flushSnapshotReads();
        stage.publish(new CapturePosition(CaptureOffset.of(engineName, last), Optional.empty(), Optional.empty(),
                storedSequence));
        staging = false;
        snapshotTablesBegun.clear();
        snapshotTablesDone.clear();
        return last;
    }

    /** @return the {@code source.snapshot} marker of a data record: first, last, true, ... or null */
    private static String snapshotMarker(SourceRecord record) {
        Struct source = ((Struct) record.value()).getStruct("source");
        if (source == null || source.schema().field("snapshot") == null) {
            return null;
        }
        Object marker = source.get("snapshot");
        return marker == null ? null : marker.toString();
    }

    private void flushSnapshotReads() throws InterruptedException {
        if (snapshotReads.isEmpty()) {
            return;
        }
        stage.stage(List.copyOf(snapshotReads));
        snapshotReads.clear();
    }

    private void store(List<? extends CapturedEvent> events, SourceRecord last, Optional<PartialTransaction> partial)
            throws InterruptedException {
        Optional<String> resumeFrom = parked.values().stream().findFirst().map(branch -> new String(
                CaptureOffset.of(engineName, branch.begin).value(), StandardCharsets.UTF_8));
        sink.append(events, new CapturePosition(CaptureOffset.of(engineName, last), partial, resumeFrom,
                storedSequence));
        storedPartial = partial;
    }

    private RecordKind kindOf(SourceRecord record) {
        if (!(record.value() instanceof Struct value)) {
            return RecordKind.OTHER;
        }
        if (heartbeatTopic.equals(record.topic())) {
            return RecordKind.HEARTBEAT;
        }
        if (SchemaChangeMapper.isSchemaChange(record)) {
            return RecordKind.SCHEMA_CHANGE;
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
    private enum RecordKind { TRANSACTION_BEGIN, TRANSACTION_END, ROW_CHANGE, SCHEMA_CHANGE, HEARTBEAT, OTHER }

    /** A transaction between its BEGIN (or the end of its stored part) and its END. */
    private static final class OpenTransaction {
        private final String id;
        /** Its BEGIN record, whose offset is the group's start; null if read from inside the transaction. */
        private final SourceRecord begin;
        /** At or below the stored GTID sequence: read again, stored already (unless an XA branch's prepare). */
        private final boolean replayed;
        /** Events at its start that the queue holds already. */
        private long toSkip;
        /** Whether {@link #xaGroups} was asked what it is. */
        private boolean askedAbout;
        /** Whether a heartbeat asked what it is. */
        private boolean askedAtHeartbeat;
        /** Whether it is a prepared XA branch. */
        private boolean xa;
        private final List<ChangeEvent> events = new ArrayList<>();
        /** Events numbered so far, including those of stored parts. */
        private long numbered;
        private final Map<String, Long> perTable;
        private SourceRecord lastRecord;
        private boolean split;

        OpenTransaction(String id, SourceRecord begin, boolean replayed, long numbered, Map<String, Long> perTable) {
            this.id = id;
            this.begin = begin;
            this.replayed = replayed;
            this.numbered = numbered;
            this.perTable = new HashMap<>(perTable);
        }

        /** @return how far the transaction got, counting the held events as stored */
        PartialTransaction partial() {
            return new PartialTransaction(id, numbered, perTable);
        }
    }
}
