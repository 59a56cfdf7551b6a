package io.shardwire.it;

import io.shardwire.cdc.CaptureOptions;
import io.shardwire.cdc.event.ChangeEvent;
import io.shardwire.cdc.event.ChangeEventJson;
import io.shardwire.cdc.event.SchemaChangeEvent;
import io.shardwire.mq.QueueStore;
import io.shardwire.mq.log.LogRecord;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads the change topic of a queue back, for assertions. */
final class ChangeTopic {

    /**
     * A change event as stored.
     *
     * @param partition its partition
     * @param offset    its offset there
     * @param sequence  the producer sequence of its batch: the events of one append share it
     * @param event     the event
     */
    record Stored(int partition, long offset, long sequence, ChangeEvent event) {
    }

    private ChangeTopic() {
    }

    /** @return the schema change events of a partition, in offset order */
    static List<SchemaChangeEvent> schemaChanges(QueueStore queue, int partition)
            throws IOException, InterruptedException {
        List<SchemaChangeEvent> events = new ArrayList<>();
        long next = queue.earliestOffset(CaptureOptions.DEFAULT_TOPIC, partition);
        long end = queue.latestOffset(CaptureOptions.DEFAULT_TOPIC, partition);
        while (next < end) {
            for (LogRecord record : queue.fetch(CaptureOptions.DEFAULT_TOPIC, partition, next,
                    (int) Math.min(10_000, end - next), 64 << 20, Duration.ZERO)) {
                if (ChangeEventJson.readCaptured(record.value()) instanceof SchemaChangeEvent change) {
                    events.add(change);
                }
                next = record.offset() + 1;
            }
        }
        return events;
    }

    /** @return every row change event of every partition, partition by partition, in offset order */
    static List<Stored> read(QueueStore queue) throws IOException, InterruptedException {
        List<Stored> events = new ArrayList<>();
        int partitions = queue.topic(CaptureOptions.DEFAULT_TOPIC).orElseThrow().partitionCount();
        for (int partition = 0; partition < partitions; partition++) {
            events.addAll(read(queue, partition, queue.latestOffset(CaptureOptions.DEFAULT_TOPIC, partition)));
        }
        return events;
    }

    /** @return the row change events of a partition below offset {@code end}, in offset order (schema changes left out) */
    static List<Stored> read(QueueStore queue, int partition, long end) throws IOException, InterruptedException {
        List<Stored> events = new ArrayList<>();
        long next = queue.earliestOffset(CaptureOptions.DEFAULT_TOPIC, partition);
        while (next < end) {
            for (LogRecord record : queue.fetch(CaptureOptions.DEFAULT_TOPIC, partition, next,
                    (int) Math.min(10_000, end - next), 64 << 20, Duration.ZERO)) {
                long sequence = record.producer().orElseThrow().position().sequence();
                if (ChangeEventJson.readCaptured(record.value()) instanceof ChangeEvent change) {
                    events.add(new Stored(partition, record.offset(), sequence, change));
                }
                next = record.offset() + 1;
            }
        }
        return events;
    }
}
