package io.shardwire.cdc.debezium;

import io.shardwire.cdc.event.ChangeEvent;
import io.shardwire.cdc.event.ChangeEventJson;
import io.shardwire.mq.QueueStore;
import io.shardwire.mq.log.LogRecord;
import io.shardwire.mq.log.Record;
import io.shardwire.mq.log.RecordBatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A group's snapshot staging: a topic of one partition, {@code <topic>.snapshot.<group>}, that holds a snapshot's
 * reads while it is taken, so that the group's partition gets them only from a complete snapshot, each exactly once.
 *
 * <ul>
 *   <li>While the snapshot runs its reads are appended here (no producer id: an interrupted attempt is never resumed,
 *       so nothing here needs deduplication). A start with no position of the group in the queue, or a new attempt
 *       of the connector, deletes the topic and begins it empty.</li>
 *   <li>At the snapshot's last record the reads are copied into the group's partition in batches of at most
 *       {@code maxTransactionEvents} records and {@value #COPY_BYTES} bytes (bounded memory), as the group's
 *       producer with sequence first + staging offset and the snapshot's end position ({@link SnapshotCopy}). The
 *       first copied batch is the group's first position in the queue: from then on a restart does not snapshot
 *       again but {@link #finishCopy finishes the copy} after the last stored sequence, then streams from the
 *       snapshot's end. Then the topic is deleted.</li>
 * </ul>
 *
 * <p>Queue work runs on the writer's append thread, which nobody interrupts. Not thread-safe; used on the capture's
 * thread.
 */
final class SnapshotStaging implements SnapshotStage {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotStaging.class);
    private static final int COPY_BYTES = 16 << 20;
    /** Logged with the topic when a snapshot attempt begins. */
    static final String STAGING = "staging the snapshot's reads in";

    private final QueueStore queue;
    private final String topic;
    private final QueueBatchWriter writer;
    private final int copyRecords;

    /**
     * @param queue       the queue
     * @param topic       the staging topic's name
     * @param writer      the group partition's writer, whose append thread also does the staging's queue work
     * @param copyRecords the most records copied in one batch
     */
    SnapshotStaging(QueueStore queue, String topic, QueueBatchWriter writer, int copyRecords) {
        this.queue = queue;
        this.topic = topic;
        this.writer = writer;
        this.copyRecords = copyRecords;
    }

    /**
     * @param changeTopic the change topic
     * @param group       the shard group
     * @return the name of the group's staging topic
     */
    static String topicOf(String changeTopic, String group) {
        return changeTopic + ".snapshot." + group;
    }

    /**
     * Deletes the staging topic, if there is one: at a start that will snapshot (what an interrupted attempt staged
     * is not resumed) or that finds the copy done (a crash came between its end and the deletion).
     *
     * @throws InterruptedException if interrupted while waiting
     */
    void discard() throws InterruptedException {
        boolean deleted = writer.onAppender(() -> queue.deleteTopic(topic), "delete the snapshot staging " + topic);
        if (deleted) {
            LOG.info("deleted the snapshot staging {}", topic);
        }
    }

    @Override
    public void restart() throws InterruptedException {
        discard();
        writer.onAppender(() -> queue.createTopic(topic, 1), "create the snapshot staging " + topic);
        LOG.info("{} {}", STAGING, topic);
    }

    @Override
    public void stage(List<ChangeEvent> reads) throws InterruptedException {
        List<Record> records = new ArrayList<>(reads.size());
        for (ChangeEvent read : reads) {
            records.add(Record.of(read.commitTsMs(), ChangeEventJson.keyOf(read), ChangeEventJson.write(read)));
        }
        writer.onAppender(() -> queue.append(topic, 0, RecordBatch.of(records)),
                "stage " + records.size() + " snapshot reads in " + topic);
    }

    @Override
    public void publish(CapturePosition end) throws InterruptedException {
        long records = queue.latestOffset(topic, 0);
        if (records == 0) {
            discard();
            return;
        }
        SnapshotCopy copy = new SnapshotCopy(writer.lastSequence() + 1, records);
        LOG.info("snapshot complete: copying its {} reads from {} into the group's partition", records, topic);
        copy(end.withSnapshotCopy(copy), copy, 0);
    }

    /**
     * Finishes a copy that a crash interrupted, from the first staging offset not yet copied.
     *
     * @param stored         the position stored with the last copied batch
     * @param storedSequence that batch's sequence
     * @throws InterruptedException if interrupted while storing
     */
    void finishCopy(CapturePosition stored, long storedSequence) throws InterruptedException {
        SnapshotCopy copy = stored.snapshotCopy().orElseThrow();
        long from = copy.nextOffset(storedSequence);
        if (from < copy.records()) {
            LOG.info("finishing the interrupted copy of a snapshot from {}: {} of {} reads left", topic,
                    copy.records() - from, copy.records());
            copy(stored, copy, from);
        } else {
            discard();
        }
    }

    private void copy(CapturePosition position, SnapshotCopy copy, long from) throws InterruptedException {
        if (queue.topic(topic).isEmpty() || queue.latestOffset(topic, 0) != copy.records()
                || queue.earliestOffset(topic, 0) > from) {
            throw new IllegalStateException("the snapshot staging " + topic + " does not hold the " + copy.records()
                    + " reads still to be copied from offset " + from + " (deleted by hand, or by retention: keep "
                    + "queue.retentionBytes above a snapshot's size); the group's partition holds the first " + from
                    + "; delete the group's position (a fresh queue) to take a new snapshot");
        }
        long next = from;
        while (next < copy.records()) {
            long offset = next;
            List<LogRecord> read = writer.onAppender(() -> queue.fetch(topic, 0, offset, copyRecords, COPY_BYTES,
                    Duration.ZERO), "read the snapshot staging " + topic + " at " + offset);
            List<Record> records = new ArrayList<>(read.size());
            for (LogRecord each : read) {
                records.add(each.record());
            }
            long last = read.getLast().offset();
            writer.appendCopy(records, copy.firstSequence() + last, position);
            next = last + 1;
        }
        discard();
        LOG.info("copied the snapshot's {} reads into the group's partition", copy.records());
    }
}
