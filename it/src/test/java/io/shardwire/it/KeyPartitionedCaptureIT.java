package io.shardwire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shardwire.cdc.CaptureOptions;
import io.shardwire.cdc.event.ChangeEvent;
import io.shardwire.cdc.event.ChangeEventJson;
import io.shardwire.cdc.event.Operation;
import io.shardwire.mq.QueueStore;
import io.shardwire.mq.log.LogRecord;
import io.shardwire.proxy.demo.DemoSchema;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code cdc.partitioning: key} as the proxy runs it on 2 shard groups: the changes written through the proxy are
 * copied into {@code shardwire.changes.by-key} once each, every row's changes in one keyed partition in commit order.
 */
class KeyPartitionedCaptureIT {

    private static final String KEYED_TOPIC = CaptureOptions.DEFAULT_TOPIC + ".by-key";
    private static final int KEY_PARTITIONS = 4;
    private static final long FIRST_ID = 3000;
    private static final int ROWS = 40;

    private static ProxyFixture fixture;
    private static QueueStore queue;

    @BeforeAll
    static void start() throws Exception {
        fixture = ProxyFixture.startWithCapture("cdc-key", 2, 0,
                "  partitioning: key\n  keyPartitions: " + KEY_PARTITIONS + "\n");
        queue = fixture.proxy.queue();
        try (Connection admin = fixture.connect("admin", "admin", "")) {
            DemoSchema.create(admin);
        }
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void theKeyedTopicHoldsEachChangeOnceWithEveryRowInOnePartitionInCommitOrder() throws Exception {
        List<Long> ids = LongStream.range(FIRST_ID, FIRST_ID + ROWS).boxed().toList();
        try (Connection app = fixture.app(); Statement s = app.createStatement()) {
            for (long id : ids) {
                s.execute("INSERT INTO customers (id, name, email, created_at) VALUES (" + id + ", 'k" + id + "', 'k"
                        + id + "@example.com', '2026-11-26 10:00:00')");
            }
            // Transactions of several rows, each on one group or over both.
            app.setAutoCommit(false);
            for (int i = 0; i + 2 < ids.size(); i += 3) {
                for (int j = i; j < i + 3; j++) {
                    s.execute("UPDATE customers SET name = 'u" + ids.get(j) + "' WHERE id = " + ids.get(j));
                }
                app.commit();
            }
            app.setAutoCommit(true);
            for (long id : ids) {
                s.execute(id % 2 == 0 ? "DELETE FROM customers WHERE id = " + id
                        : "UPDATE customers SET name = 'v" + id + "' WHERE id = " + id);
            }
        }
        Predicate<ChangeEvent> ours = event -> event.table().equals("customers")
                && ids.contains(event.key().path("id").asLong());
        int expected = ids.size() * 2 + (ids.size() / 3) * 3;

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> keyed(ours).size() >= expected);
        Thread.sleep(1000); // a duplicate would arrive now
        List<Keyed> keyed = keyed(ours);
        List<ChangeEvent> byGroup = ChangeTopic.read(queue).stream().map(ChangeTopic.Stored::event).filter(ours)
                .toList();

        assertThat(byGroup).hasSize(expected);
        assertThat(keyed).hasSize(expected);
        assertThat(keyed).extracting(each -> each.event().id()).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(byGroup.stream().map(ChangeEvent::id).toList());
        Map<Long, List<Keyed>> byRow = keyed.stream().collect(Collectors.groupingBy(
                each -> each.event().key().get("id").asLong(), LinkedHashMap::new, Collectors.toList()));
        assertThat(byRow).hasSize(ids.size());
        byRow.forEach((id, row) -> {
            assertThat(row).extracting(Keyed::partition).as("row %d in one keyed partition", id).containsOnly(
                    row.getFirst().partition());
            assertThat(row).extracting(Keyed::offset).as("row %d", id).isSorted();
            assertThat(row).extracting(each -> each.event().id()).as("row %d in the group topic's order", id)
                    .containsExactlyElementsOf(byGroup.stream().filter(event -> event.key().get("id").asLong() == id)
                            .map(ChangeEvent::id).toList());
            assertThat(row.getFirst().event().op()).isEqualTo(Operation.CREATE);
        });
        Set<Integer> used = keyed.stream().map(Keyed::partition).collect(Collectors.toSet());
        assertThat(used).as("rows spread over the keyed partitions").hasSizeGreaterThan(1);
    }

    /** A row change as the keyed topic holds it. */
    private record Keyed(int partition, long offset, ChangeEvent event) {
    }

    private static List<Keyed> keyed(Predicate<ChangeEvent> matching) throws Exception {
        List<Keyed> events = new ArrayList<>();
        for (int partition = 0; partition < KEY_PARTITIONS; partition++) {
            long next = queue.earliestOffset(KEYED_TOPIC, partition);
            long end = queue.latestOffset(KEYED_TOPIC, partition);
            while (next < end) {
                for (LogRecord record : queue.fetch(KEYED_TOPIC, partition, next, 10_000, 64 << 20, Duration.ZERO)) {
                    if (ChangeEventJson.readCaptured(record.value()) instanceof ChangeEvent change
                            && matching.test(change)) {
                        events.add(new Keyed(partition, record.offset(), change));
                    }
                    next = record.offset() + 1;
                }
            }
        }
        return events;
    }
}
