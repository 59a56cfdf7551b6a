package io.shardwire.cdc.debezium;

import io.shardwire.cdc.CaptureProgress;
import io.shardwire.cdc.event.CapturedEvent;
import io.shardwire.cdc.event.ChangeEventJson;
import io.shardwire.cdc.event.EventSource;
import io.shardwire.mq.QueueStore;
import io.shardwire.mq.log.AppendResult;
import io.shardwire.mq.log.Record;
import io.shardwire.mq.log.RecordBatch;
import io.shardwire.mq.log.SourcePosition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Appends a group's batches to its queue partition as one idempotent producer, {@code cdc-<group>}: each batch's
 * {@link SourcePosition} holds the {@link CapturePosition} after it, and a sequence one above the last stored, read back from
 * the queue at start, so the sequence keeps increasing across restarts whatever the binlog coordinates do.
 *
 * <p>A batch is handed to the queue only once {@link ReplicaAckGate} lets it: a replica of the group holds it.
 *
 * <p>Appends run on a thread of their own that nobody interrupts: an interrupt during a file write closes the
 * channel and fails the partition log, and the engine interrupts its threads when it stops. A caller interrupted
 * while waiting leaves the append to finish (whole or not at all); {@link #shutdown()} waits for it.
 *
 * <p>Thread-safe, though the capture calls it from one thread.
 */
final class QueueBatchWriter implements BatchSink {

    private final QueueStore queue;
    private final String topic;
    private final int partition;
    private final String producerId;
    private final ReplicaAckGate gate;
    private final AtomicLong lastSequence;
    private final AtomicLong eventsAppended = new AtomicLong();
    /** The last appended event's source and processing time, for {@link #progress}; replaced whole. */
    private volatile LastAppended lastAppended;

    private record LastAppended(String position, long sourceTsMs, long captureTsMs) {
    }
    private final ExecutorService appender;

    /**
     * @param queue        the queue
     * @param topic        the change topic
     * @param partition    the group's partition
     * @param producerId   the group's producer id
     * @param lastSequence the sequence of the producer's last stored batch, or -1 if it stored none
     * @param gate         waited at before each append
     */
    QueueBatchWriter(QueueStore queue, String topic, int partition, String producerId, long lastSequence,
            ReplicaAckGate gate) {
        this.queue = queue;
        this.gate = gate;
        this.topic = topic;
        this.partition = partition;
        this.producerId = producerId;
        this.lastSequence = new AtomicLong(lastSequence);
        this.appender = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "shardwire-cdc-append-" + producerId);
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void append(List<? extends CapturedEvent> events, CapturePosition position) throws InterruptedException {
        List<Record> records = new ArrayList<>(events.size());
        for (CapturedEvent event : events) {
            records.add(Record.of(event.commitTsMs(), ChangeEventJson.keyOf(event), ChangeEventJson.write(event)));
        }
        gate.await(position, events.getLast().source().gtid());
        onAppender(() -> appendNow(records, lastSequence.get() + 1, position),
                "append " + events.size() + " change events to " + topic + "-" + partition + " as " + producerId);
        eventsAppended.addAndGet(events.size());
        CapturedEvent last = events.getLast();
        EventSource source = last.source();
        lastAppended = new LastAppended(source.gtid().orElse(source.binlogFile() + ":" + source.binlogPosition()),
                source.tsMs(), last.tsMs());
    }

    /** @return the events appended and the last one's position and times */
    CaptureProgress progress(String group) {
        LastAppended last = lastAppended;
        return last == null ? new CaptureProgress(group, eventsAppended.get(), Optional.empty(), -1, -1)
                : new CaptureProgress(group, eventsAppended.get(), Optional.of(last.position()), last.sourceTsMs(),
                        last.captureTsMs());
    }

    /**
     * Appends records copied from a snapshot's staging topic, as they are, with a sequence of the copy's own (see
     * {@link SnapshotCopy}).
     *
     * @param records  the records
     * @param sequence their batch's sequence, above the last stored
     * @param position the position stored with them
     * @throws InterruptedException if interrupted while waiting for a replica or the append
     */
    void appendCopy(List<Record> records, long sequence, CapturePosition position) throws InterruptedException {
        // The snapshot's rows are those of its binlog position: a replica must hold that position first.
        gate.await(position, Optional.empty());
        onAppender(() -> appendNow(records, sequence, position),
                "copy " + records.size() + " snapshot reads to " + topic + "-" + partition + " as " + producerId);
        eventsAppended.addAndGet(records.size());
    }

    /**
     * Runs queue work on the append thread, which nobody interrupts, and waits for it.
     *
     * @param work what to do
     * @param what what it does, for the error
     * @return its result
     * @throws InterruptedException if interrupted while waiting (the work still finishes)
     */
    <T> T onAppender(Callable<T> work, String what) throws InterruptedException {
        Future<T> done = appender.submit(work);
        try {
            return done.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not " + what + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    private AppendResult appendNow(List<Record> records, long sequence, CapturePosition position) throws IOException,
            InterruptedException {
        RecordBatch batch = RecordBatch.of(producerId, new SourcePosition(sequence, position.encode()), records);
        AppendResult result = queue.append(topic, partition, batch);
        if (result instanceof AppendResult.Duplicate duplicate) {
            throw new IllegalStateException("the queue already holds sequence " + duplicate.lastStored().sequence()
                    + " of " + producerId + ", at or past the " + sequence + " this capture was to append: another"
                    + " capture is writing as " + producerId + "; run one capture per shard group");
        }
        lastSequence.set(sequence);
        return result;
    }

    /** @return the sequence of the last batch stored, -1 if none */
    long lastSequence() {
        return lastSequence.get();
    }

    /** @return the events appended since this writer was created */
    long eventsAppended() {
        return eventsAppended.get();
    }

    /**
     * Takes no more appends and waits for one in progress to finish, so the queue can be closed after this returns.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    void shutdown() throws InterruptedException {
        appender.shutdown();
        if (!appender.awaitTermination(1, TimeUnit.MINUTES)) {
            throw new IllegalStateException("an append of " + producerId + " to " + topic + "-" + partition
                    + " did not finish within 1 minute");
        }
    }
}
