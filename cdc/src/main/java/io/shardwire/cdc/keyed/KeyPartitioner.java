package io.shardwire.cdc.keyed;

import io.shardwire.mq.QueueStore;
import io.shardwire.mq.Topic;
import io.shardwire.mq.log.AppendResult;
import io.shardwire.mq.log.LogRecord;
import io.shardwire.mq.log.Record;
import io.shardwire.mq.log.RecordBatch;
import io.shardwire.mq.log.SourcePosition;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the change topic (a partition per shard group, each in its group's commit order) into a keyed topic whose
 * partition is chosen by the record key, {@code ["<schema>","<table>",{<primary key>}]}: the changes of one row stay
 * in one partition, in commit order, while the rows spread over as many partitions as consumers want to run in
 * parallel. A transaction's events may land in several partitions there; the group topic keeps them together.
 *
 * <p><b>Exactly once.</b> For each pair of source partition {@code p} and keyed partition {@code k} there is one
 * idempotent producer, {@code keyed-<p>-<k>}, whose sequence is the source offset of the last record it appended.
 * At start each source partition is read again from the lowest of its producers' positions; a record at or below
 * its producer's stored sequence is skipped, and the queue drops a batch that would repeat one. So a crash between
 * the appends to two keyed partitions loses and repeats nothing.
 *
 * <p>One thread per source partition. Thread-safe.
 */
public final class KeyPartitioner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KeyPartitioner.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final int MAX_RECORDS = 4096;
    private static final int MAX_BYTES = 16 << 20;

    private final QueueStore queue;
    private final String sourceTopic;
    private final Topic keyedTopic;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;
    private volatile Throwable failure;

    private KeyPartitioner(QueueStore queue, String sourceTopic, Topic keyedTopic) {
        this.queue = queue;
        this.sourceTopic = sourceTopic;
        this.keyedTopic = keyedTopic;
    }

    /**
     * Creates the keyed topic if needed and starts copying.
     *
     * @param queue       the queue
     * @param sourceTopic the change topic, which must exist
     * @param keyedTopic  the keyed topic's name
     * @param partitions  its partition count, which can never change
     * @return the running partitioner
     * @throws IOException if the keyed topic cannot be created
     */
    public static KeyPartitioner start(QueueStore queue, String sourceTopic, String keyedTopic, int partitions)
            throws IOException {
        Topic source = queue.topic(sourceTopic).orElseThrow(() -> new IllegalArgumentException("topic "
                + sourceTopic + " does not exist in " + queue));
        KeyPartitioner partitioner = new KeyPartitioner(queue, sourceTopic, queue.createTopic(keyedTopic,
                partitions));
        for (int p = 0; p < source.partitionCount(); p++) {
            int partition = p;
            Thread thread = new Thread(() -> partitioner.copy(partition), "shardwire-cdc-keyed-" + p);
            thread.setDaemon(true);
            partitioner.threads.add(thread);
            thread.start();
        }
        return partitioner;
    }

    private void copy(int source) {
        int partitions = keyedTopic.partitionCount();
        long[] stored = new long[partitions];
        long next = Long.MAX_VALUE;
        for (int k = 0; k < partitions; k++) {
            stored[k] = queue.lastPosition(producerId(source, k)).map(SourcePosition::sequence).orElse(-1L);
            next = Math.min(next, stored[k] + 1);
        }
        next = Math.max(next, queue.earliestOffset(sourceTopic, source));
        LOG.info("copying {}-{} into {} from offset {}", sourceTopic, source, keyedTopic.name(), next);
        try {
            while (running) {
                List<LogRecord> records = queue.fetch(sourceTopic, source, next, MAX_RECORDS, MAX_BYTES, POLL);
                if (records.isEmpty()) {
                    continue;
                }
                List<List<LogRecord>> byPartition = new ArrayList<>();
                for (int k = 0; k < partitions; k++) {
                    byPartition.add(new ArrayList<>());
                }
                for (LogRecord record : records) {
                    int k = keyedTopic.partitionFor(record.key());
                    if (record.offset() > stored[k]) {
                        byPartition.get(k).add(record);
                    }
                }
                for (int k = 0; k < partitions; k++) {
                    List<LogRecord> batch = byPartition.get(k);
                    if (!batch.isEmpty()) {
                        stored[k] = append(source, k, batch);
                    }
                }
                next = records.get(records.size() - 1).offset() + 1;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            failure = e;
            LOG.error("copying {}-{} into {} failed at offset {}", sourceTopic, source, keyedTopic.name(), next, e);
        }
    }

    /** Appends records of one source partition to one keyed partition; returns the source offset now stored. */
    private long append(int source, int k, List<LogRecord> batch) throws IOException, InterruptedException {
        List<Record> records = new ArrayList<>(batch.size());
        for (LogRecord each : batch) {
            records.add(each.record());
        }
        long last = batch.get(batch.size() - 1).offset();
        AppendResult result = queue.append(keyedTopic.name(), k, RecordBatch.of(producerId(source, k),
                new SourcePosition(last, new byte[0]), records));
        if (result instanceof AppendResult.Duplicate) {
            throw new IllegalStateException("the keyed partition " + keyedTopic.name() + "-" + k + " already holds"
                    + " source offset " + last + " of " + sourceTopic + "-" + source + ": another partitioner is"
                    + " copying the same topic");
        }
        return last;
    }

    private static String producerId(int source, int k) {
        return "keyed-" + source + "-" + k;
    }

    /** @return why a copying thread stopped, if one failed */
    public java.util.Optional<Throwable> failure() {
        return java.util.Optional.ofNullable(failure);
    }

    /** Stops copying and waits for the threads, which finish the append they are in. */
    @Override
    public void close() {
        running = false;
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.MINUTES.toMillis(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
