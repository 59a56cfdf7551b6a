package io.shardwire.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwire.cdc.event.ChangeEvent;
import io.shardwire.cdc.event.LogicalTable;
import io.shardwire.cdc.event.PhysicalToLogical;
import io.shardwire.mq.QueueSettings;
import io.shardwire.mq.QueueStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The {@code key} partitioning option: the changes of 2 groups, copied into a keyed topic of 4 partitions, each
 * exactly once, each row in one partition in commit order, across a restart of the captures.
 */
class KeyPartitioningTest {

    private static final int KEY_PARTITIONS = 4;
    private static final int ROWS_PER_GROUP = 40;

    @Test
    void changesSpreadByKeyExactlyOnceWithEachRowInOnePartitionInCommitOrder() throws Exception {
        String logical = SharedCluster.uniqueName("keyed");
        Path dir = SharedCluster.ROOT.resolve(logical);
        List<GroupSource> groups = new ArrayList<>();
        for (int g = 0; g < 2; g++) {
            SharedCluster.executeOn("g" + g, "CREATE DATABASE " + logical + "_" + g,
                    "CREATE TABLE " + logical + "_" + g + ".items (id INT PRIMARY KEY, version INT)");
            groups.add(new GroupSource("g" + g, "127.0.0.1", SharedCluster.primary("g" + g).port()));
        }
        PhysicalToLogical mapping = (group, database, table) -> new LogicalTable(logical, table);
        CaptureOptions options = CaptureOptions.defaults(SharedCluster.CDC_USER, SharedCluster.CDC_PASSWORD, 7300,
                dir.resolve("cdc")).withDatabases(List.of(logical + "_0", logical + "_1"))
                .withKeyPartitions(KEY_PARTITIONS);
        try (QueueStore queue = QueueStore.open(QueueSettings.defaults(dir.resolve("queue")), Clock.systemUTC())) {
            try (ChangeCaptures captures = ChangeCaptures.start(groups, options, queue, mapping, Clock.systemUTC())) {
                captures.awaitStreaming(CaptureFixture.STREAMING_TIMEOUT);
                write(logical, 1, ROWS_PER_GROUP / 2);
                ChangeLog.awaitAtLeast(queue, options.topic(), 0, ROWS_PER_GROUP, CaptureFixture.EVENT_TIMEOUT);
            }
            // Started again over the same queue: the copy resumes where each keyed partition stands.
            try (ChangeCaptures captures = ChangeCaptures.start(groups, options, queue, mapping, Clock.systemUTC())) {
                captures.awaitStreaming(CaptureFixture.STREAMING_TIMEOUT);
                write(logical, ROWS_PER_GROUP / 2 + 1, ROWS_PER_GROUP);
                int total = 2 * 2 * ROWS_PER_GROUP; // an insert and an update per row, 2 groups
                long deadline = System.nanoTime() + CaptureFixture.EVENT_TIMEOUT.toNanos();
                while (keyed(queue, options).size() < total && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                Thread.sleep(1000); // a duplicate would arrive now

                List<ChangeEvent> byGroup = new ArrayList<>();
                for (int p = 0; p < 2; p++) {
                    byGroup.addAll(ChangeLog.events(ChangeLog.read(queue, options.topic(), p)));
                }
                Map<Integer, List<ChangeEvent>> byKey = keyed(queue, options);
                List<ChangeEvent> all = byKey.values().stream().flatMap(List::stream).toList();
                assertThat(byGroup).hasSize(total);
                assertThat(all).extracting(ChangeEvent::id).as("each change once")
                        .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(
                                byGroup.stream().map(ChangeEvent::id).toList());
                assertThat(byKey.keySet()).as("rows spread over the keyed partitions").hasSizeGreaterThan(1);
                Map<String, List<Integer>> partitionsOfRow = all.stream().collect(Collectors.groupingBy(
                        KeyPartitioningTest::rowOf, Collectors.mapping(event -> partitionOf(byKey, event),
                                Collectors.toList())));
                assertThat(partitionsOfRow.values()).allSatisfy(partitions ->
                        assertThat(partitions).as("one row, one partition").containsOnly(partitions.get(0)));
                byKey.values().forEach(events -> events.stream().collect(Collectors.groupingBy(KeyPartitioningTest::rowOf))
                        .forEach((row, changes) -> assertThat(changes).extracting(
                                event -> event.after().orElseThrow().get("version").asInt())
                                .as("row %s in commit order", row).containsExactly(1, 2)));
            }
        }
    }

    /** Inserts rows {@code first..last} on both groups, then updates each to version 2. */
    private static void write(String logical, int first, int last) throws Exception {
        for (int g = 0; g < 2; g++) {
            String table = logical + "_" + g + ".items";
            for (int id = first; id <= last; id++) {
                SharedCluster.executeOn("g" + g, "INSERT INTO " + table + " VALUES (" + (id * 10 + g) + ", 1)");
            }
            for (int id = first; id <= last; id++) {
                SharedCluster.executeOn("g" + g, "UPDATE " + table + " SET version = 2 WHERE id = " + (id * 10 + g));
            }
        }
    }

    private static Map<Integer, List<ChangeEvent>> keyed(QueueStore queue, CaptureOptions options) throws Exception {
        Map<Integer, List<ChangeEvent>> byKey = new java.util.TreeMap<>();
        for (int k = 0; k < KEY_PARTITIONS; k++) {
            List<ChangeEvent> events = ChangeLog.events(ChangeLog.read(queue, options.keyedTopic(), k));
            if (!events.isEmpty()) {
                byKey.put(k, events);
            }
        }
        return byKey;
    }

    private static int partitionOf(Map<Integer, List<ChangeEvent>> byKey, ChangeEvent event) {
        return byKey.entrySet().stream().filter(entry -> entry.getValue().contains(event)).findFirst()
                .orElseThrow().getKey();
    }

    /** Names a row across groups. */
    private static String rowOf(ChangeEvent event) {
        return event.schema() + "." + event.table() + event.key();
    }
}
