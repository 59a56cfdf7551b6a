package io.shardwire.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwire.cdc.event.CapturedEvent;
import io.shardwire.cdc.event.ChangeEvent;
import io.shardwire.cdc.event.ChangeEventJson;
import io.shardwire.cdc.event.SchemaChangeEvent;
import io.shardwire.mq.QueueStore;
import io.shardwire.mq.log.LogRecord;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads a change topic partition back, for assertions. */
final class ChangeLog {

    /**
     * An event as stored.
     *
     * @param offset   its offset
     * @param sequence the producer sequence of its batch: events of one batch share it
     * @param event    the event
     */
    record Stored(long offset, long sequence, ChangeEvent event) {
    }

    private ChangeLog() {
    }

    /** @return every row change event in the partition, in offset order (schema changes left out) */
    static List<Stored> read(QueueStore queue, String topic, int partition) throws IOException, InterruptedException {
        List<Stored> events = new ArrayList<>();
        for (StoredEvent each : readAll(queue, topic, partition)) {
            if (each.event() instanceof ChangeEvent change) {
                events.add(new Stored(each.offset(), each.sequence(), change));
            }
        }
        return events;
    }

    /** @return every schema change event in the partition, in offset order */
    static List<SchemaChangeEvent> schemaChanges(QueueStore queue, String topic, int partition)
            throws IOException, InterruptedException {
        List<SchemaChangeEvent> events = new ArrayList<>();
        for (StoredEvent each : readAll(queue, topic, partition)) {
            if (each.event() instanceof SchemaChangeEvent change) {
                events.add(change);
            }
        }
        return events;
    }

    /** An event of either kind as stored. */
    record StoredEvent(long offset, long sequence, CapturedEvent event) {
    }

    /** @return every event in the partition, row and schema changes, in offset order */
    static List<StoredEvent> readAll(QueueStore queue, String topic, int partition)
            throws IOException, InterruptedException {
        List<StoredEvent> events = new ArrayList<>();
        long next = queue.earliestOffset(topic, partition);
        long end = queue.latestOffset(topic, partition);
        while (next < end) {
            for (LogRecord record : queue.fetch(topic, partition, next, 10_000, 64 << 20, Duration.ZERO)) {
                long sequence = record.producer().orElseThrow().position().sequence();
                events.add(new StoredEvent(record.offset(), sequence, ChangeEventJson.readCaptured(record.value())));
                next = record.offset() + 1;
            }
        }
        return events;
    }

    /** Waits until the partition holds at least {@code count} row change events, then returns all of them. */
    static List<Stored> awaitAtLeast(QueueStore queue, String topic, int partition, int count, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while ((queue.latestOffset(topic, partition) - queue.earliestOffset(topic, partition) < count
                || read(queue, topic, partition).size() < count) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        List<Stored> events = read(queue, topic, partition);
        assertThat(events).as("events in %s-%d after %s", topic, partition, timeout).hasSizeGreaterThanOrEqualTo(count);
        return events;
    }

    /** @return the events only */
    static List<ChangeEvent> events(List<Stored> stored) {
        return stored.stream().map(Stored::event).toList();
    }

}
