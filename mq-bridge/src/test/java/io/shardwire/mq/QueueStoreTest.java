package io.shardwire.mq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.shardwire.mq.log.AppendResult;
import io.shardwire.mq.log.FsyncPolicy;
import io.shardwire.mq.log.LogRecord;
import io.shardwire.mq.log.OffsetOutOfRangeException;
import io.shardwire.mq.log.Record;
import io.shardwire.mq.log.RecordBatch;
import io.shardwire.mq.log.SourcePosition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class QueueStoreTest {

    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(Instant.ofEpochMilli(T0));

    private QueueSettings settings(long retentionHours, long retentionBytes, long diskQuotaBytes) {
        return new QueueSettings(dataDir, 2048, FsyncPolicy.BATCH, 1000, retentionHours, retentionBytes,
                diskQuotaBytes, 256, 0);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static RecordBatch batch(String key, String value, long timestamp) {
        return RecordBatch.of(List.of(Record.of(timestamp, bytes(key), bytes(value))));
    }

    @Test
    void aDeletedTopicIsGoneAndItsNameStartsEmptyAgain() throws Exception {
        try (QueueStore store = QueueStore.open(settings(-1, -1, -1), clock)) {
            store.createTopic("staging", 2);
            store.append("staging", 1, batch("k", "v", T0));
            assertThat(store.deleteTopic("staging")).isTrue();
            assertThat(store.deleteTopic("staging")).as("a second time").isFalse();
            assertThat(store.topic("staging")).isEmpty();
            store.createTopic("staging", 2);
            assertThat(store.latestOffset("staging", 1)).as("recreated empty").isZero();
            store.deleteTopic("staging");
        }
        Files.createDirectories(dataDir.resolve("__deleted-staging-0-1"));
        Files.writeString(dataDir.resolve("__deleted-staging-0-1").resolve("00000000000000000000.log"), "left over");
        try (QueueStore store = QueueStore.open(settings(-1, -1, -1), clock)) {
            assertThat(store.topic("staging")).isEmpty();
        }
        try (java.util.stream.Stream<Path> left = Files.list(dataDir)) {
            assertThat(left.map(each -> each.getFileName().toString())).as("what a crash mid-deletion left is removed")
                    .noneMatch(name -> name.startsWith("__deleted-") || name.startsWith("staging"));
        }
    }

    @Test
    void topicsAndTheirPartitionsComeBackAfterReopen() throws Exception {
        try (QueueStore store = QueueStore.open(settings(-1, -1, -1), clock)) {
            store.createTopic("orders", 3);
            store.createTopic("customers", 1);
            assertThat(store.createTopic("orders", 3).partitionCount()).isEqualTo(3);
            assertThatThrownBy(() -> store.createTopic("orders", 4))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("topic orders already exists with 3 partitions, not 4; the partition count of a topic"
                            + " cannot change");
            store.append("orders", 2, batch("k", "v", T0));
        }
        try (QueueStore store = QueueStore.open(settings(-1, -1, -1), clock)) {
            assertThat(store.topics()).extracting(Topic::name).containsExactly("customers", "orders");
            assertThat(store.topic("orders").orElseThrow().partitionCount()).isEqualTo(3);
            assertThat(store.latestOffset("orders", 2)).isEqualTo(1);
            assertThatThrownBy(() -> store.append("missing", 0, batch("k", "v", T0)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("topic missing does not exist (existing: [customers, orders]); create it first");
        }
    }

    @Test
    void aMissingPartitionDirectoryFailsTheOpenWithWhatToDo() throws Exception {
        try (QueueStore store = QueueStore.open(settings(-1, -1, -1), clock)) {
            store.createTopic("orders", 3);
        }
        try (var files = Files.walk(dataDir.resolve("orders-1"))) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        assertThatThrownBy(() -> QueueStore.open(settings(-1, -1, -1), clock))
                .hasMessage("topic orders in " + dataDir + " has partition directories [0, 2] but not orders-1;"
                        + " restore that directory, or move all of the topic's directories away to drop the topic");
    }

    @Test
    void perPartitionOffsetsIncreaseAndPerKeyOrderIsAppendOrder() throws Exception {
        try (QueueStore store = QueueStore.open(settings(-1, -1, -1), clock)) {
            Topic topic = store.createTopic("orders", 4);
            Map<String, List<String>> appendedByKey = new HashMap<>();
            for (int i = 0; i < 300; i++) {
                String key = "order-" + (i % 13);
                String value = key + "#" + i;
                store.append("orders", batch(key, value, T0 + i));
                appendedByKey.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            }
            Map<String, List<String>> readByKey = new HashMap<>();
            int total = 0;
            for (int p = 0; p < 4; p++) {
                List<LogRecord> records = store.fetch("orders", p, 0, 1_000, 1 << 20, Duration.ZERO);
                for (int i = 0; i < records.size(); i++) {
                    assertThat(records.get(i).offset()).isEqualTo(i);
                    String key = text(records.get(i).key());
                    assertThat(topic.partitionFor(records.get(i).key())).isEqualTo(p);
                    readByKey.computeIfAbsent(key, k -> new ArrayList<>()).add(text(records.get(i).value()));
                }
                total += records.size();
            }
            assertThat(total).isEqualTo(300);
            assertThat(readByKey).isEqualTo(appendedByKey);
        }
    }

    @Test
    void aBatchWhoseKeysSpanPartitionsIsRefused() throws Exception {
        try (QueueStore store = QueueStore.open(settings(-1, -1, -1), clock)) {
            Topic topic = store.createTopic("orders", 4);
            String other = "b";
            while (topic.partitionFor(bytes(other)) == topic.partitionFor(bytes("a"))) {
                other += "b";
            }
            RecordBatch mixed = RecordBatch.of(List.of(Record.of(T0, bytes("a"), null),
                    Record.of(T0, bytes(other), null)));
            assertThatThrownBy(() -> store.append("orders", mixed))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("records 0 and 1 of the batch have keys in partitions");
        }
    }

    @Test
    void replayBySeekingToOffsetTimestampAndSourcePosition() throws Exception {
        try (QueueStore store = QueueStore.open(settings(-1, -1, -1), clock)) {
            store.createTopic("cdc", 1);
            for (int i = 0; i < 100; i++) {
                RecordBatch batch = RecordBatch.of("cdc-g0", new SourcePosition(i, bytes("binlog.000001:" + (i * 100))),
                        List.of(Record.of(T0 + i * 1_000L, bytes("k"), bytes("e" + i + "a")),
                                Record.of(T0 + i * 1_000L, bytes("k"), bytes("e" + i + "b"))));
                store.append("cdc", 0, batch);
            }
            assertThat(store.earliestOffset("cdc", 0)).isZero();
            assertThat(store.latestOffset("cdc", 0)).isEqualTo(200);

            long byTime = store.offsetForTimestamp("cdc", 0, T0 + 42_500);
            assertThat(byTime).isEqualTo(86);
            assertThat(text(store.fetch("cdc", 0, byTime, 1, 1000, Duration.ZERO).get(0).value())).isEqualTo("e43a");

            long byPosition = store.offsetAfter("cdc", 0, "cdc-g0", new SourcePosition(57, bytes("")));
            assertThat(byPosition).isEqualTo(116);
            List<LogRecord> replay = store.fetch("cdc", 0, byPosition, 3, 1000, Duration.ZERO);
            assertThat(replay).extracting(r -> text(r.value())).containsExactly("e58a", "e58b", "e59a");
            assertThat(replay.get(0).producer().orElseThrow().position())
                    .isEqualTo(new SourcePosition(58, bytes("binlog.000001:5800")));

            assertThat(store.fetch("cdc", 0, 150, 2, 1000, Duration.ZERO)).extracting(LogRecord::offset)
                    .containsExactly(150L, 151L);
            assertThat(store.lastPosition("cdc-g0")).contains(new SourcePosition(99, bytes("binlog.000001:9900")));
        }
    }

    @Test
    void committedOffsetsSurviveReopenAndGiveTheLagPerPartition() throws Exception {
        try (QueueStore store = QueueStore.open(settings(-1, -1, -1), clock)) {
            store.createTopic("orders", 3);
            for (int i = 0; i < 10; i++) {
                store.append("orders", 0, batch("k", "v" + i, T0));
            }
            for (int i = 0; i < 4; i++) {
                store.append("orders", 1, batch("k", "v" + i, T0));
            }
            store.commit("billing", "orders", 0, 7);
            store.commit("billing", "orders", 1, 4);
            assertThatThrownBy(() -> store.commit("billing", "orders", 1, 5))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("offset: 5 (expected: 0 to the log end offset 4 of orders-1)");
        }
        try (QueueStore store = QueueStore.open(settings(-1, -1, -1), clock)) {
            assertThat(store.committed("billing", "orders", 0)).hasValue(7);
            assertThat(store.committed("billing", "orders", 2)).isEmpty();
            assertThat(store.lag("billing", "orders")).isEqualTo(Map.of(0, 3L, 1, 0L, 2, 0L));
            assertThat(store.lag("nobody", "orders")).isEqualTo(Map.of(0, 10L, 1, 4L, 2, 0L));
            assertThat(store.groups().groups()).containsExactly("billing");
        }
    }

    @Test
    void retentionBySizeDeletesOldSegmentsAndFetchBelowTheStartIsOutOfRange() throws Exception {
        try (QueueStore store = QueueStore.open(settings(-1, 4096, -1), clock)) {
            store.createTopic("orders", 1);
            for (int i = 0; i < 200; i++) {
                store.append("orders", 0, batch("k", "value-" + i + "-" + "x".repeat(40), T0));
            }
            var log = store.topic("orders").orElseThrow().partition(0);
            long before = log.sizeInBytes();
            List<Long> bases = log.segmentBaseOffsets();
            long freed = store.enforceRetention();

            assertThat(freed).isPositive();
            assertThat(log.sizeInBytes()).isEqualTo(before - freed).isGreaterThanOrEqualTo(4096);
            // One more deletion would have gone below the limit.
            long oldestSize = Files.size(log.dir().resolve(String.format("%020d.log", log.logStartOffset())));
            assertThat(log.sizeInBytes() - oldestSize).isLessThan(4096);
            long start = store.earliestOffset("orders", 0);
            assertThat(bases).contains(start);
            assertThatThrownBy(() -> store.fetch("orders", 0, start - 1, 10, 1000, Duration.ZERO))
                    .isInstanceOf(OffsetOutOfRangeException.class)
                    .hasMessage("offset " + (start - 1) + " is out of range, earliest is " + start
                            + " (partition orders-0)");
            assertThat(store.enforceRetention()).isZero();
        }
    }

    @Test
    void retentionByTimeFollowsTheInjectedClock() throws Exception {
        try (QueueStore store = QueueStore.open(settings(2, -1, -1), clock)) {
            store.createTopic("orders", 1);
            for (int i = 0; i < 100; i++) {
                store.append("orders", 0, batch("k", "old-" + i + "-" + "x".repeat(40), T0));
            }
            clock.advance(Duration.ofHours(1));
            for (int i = 0; i < 100; i++) {
                store.append("orders", 0, batch("k", "new-" + i + "-" + "x".repeat(40), clock.millis()));
            }
            var log = store.topic("orders").orElseThrow().partition(0);
            int segments = log.segmentCount();

            clock.advance(Duration.ofMinutes(59));
            assertThat(store.enforceRetention()).isZero();
            assertThat(log.segmentCount()).isEqualTo(segments);

            clock.advance(Duration.ofMinutes(2));
            assertThat(store.enforceRetention()).isPositive();
            long start = log.logStartOffset();
            // Every segment holding only old records went; the first one left holds the last old records or new ones.
            assertThat(start).isLessThanOrEqualTo(100);
            List<LogRecord> remaining = log.read(start, 1_000, 1 << 20);
            assertThat(remaining).filteredOn(r -> text(r.value()).startsWith("new-")).hasSize(100);
            assertThat(remaining.get(remaining.size() - 1).offset()).isEqualTo(199);
            assertThat(store.enforceRetention()).isZero();

            clock.advance(Duration.ofHours(1));
            store.enforceRetention();
            assertThat(log.segmentCount()).isEqualTo(1);
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void appendsBlockAtTheDiskQuotaAndResumeWhenRetentionFreesSpace() throws Exception {
        try (QueueStore store = QueueStore.open(settings(1, -1, 6_000), clock)) {
            store.createTopic("orders", 1);
            int appended = 0;
            while (store.usedBytes() < 6_000) {
                store.append("orders", 0, batch("k", "v" + appended++ + "-" + "x".repeat(40), clock.millis()));
            }
            long end = store.latestOffset("orders", 0);
            assertThat(store.isBlockedOnQuota()).isFalse();

            CompletableFuture<AppendResult> blocked = CompletableFuture.supplyAsync(() -> {
                try {
                    return store.append("orders", 0, batch("k", "waited", clock.millis()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(store::isBlockedOnQuota);
            assertThat(blocked).isNotDone();
            assertThatThrownBy(() -> store.append("orders", 0, batch("k", "impatient", clock.millis()),
                    Duration.ofMillis(50)))
                    .isInstanceOf(TimeoutException.class)
                    .hasMessageStartingWith("disk quota of 6000 bytes is reached (");
            assertThat(store.latestOffset("orders", 0)).isEqualTo(end);

            clock.advance(Duration.ofHours(2));
            assertThat(store.enforceRetention()).isPositive();

            assertThat(blocked.get()).isEqualTo(new AppendResult.Appended(end, end));
            assertThat(store.isBlockedOnQuota()).isFalse();
            List<LogRecord> tail = store.fetch("orders", 0, end, 10, 1000, Duration.ZERO);
            assertThat(tail).extracting(r -> text(r.value())).containsExactly("waited");
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void aLongPollFetchWakesOnAppend() throws Exception {
        try (QueueStore store = QueueStore.open(settings(-1, -1, -1), clock)) {
            store.createTopic("orders", 2);
            CompletableFuture<List<LogRecord>> fetched = CompletableFuture.supplyAsync(() -> {
                try {
                    return store.fetch("orders", 1, 0, 10, 1000, Duration.ofHours(1));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            store.append("orders", 0, batch("k", "other partition", T0));
            Thread.sleep(50);
            assertThat(fetched).isNotDone();
            store.append("orders", 1, batch("k", "wanted", T0));
            assertThat(fetched.get()).extracting(r -> text(r.value())).containsExactly("wanted");
        }
    }

    @Test
    void aConsumerThatStoresItsOffsetWithItsOutputProcessesEachRecordExactlyOnce() throws Exception {
        try (QueueStore store = QueueStore.open(settings(-1, -1, -1), clock)) {
            store.createTopic("orders", 1);
            for (int i = 0; i < 50; i++) {
                store.append("orders", 0, batch("k", "e" + i, T0));
            }
            // The consumer's own store: its output and the next offset, replaced together as one transaction.
            Path sink = dataDir.resolve("consumer-db");
            Files.writeString(sink, "0\n");
            int crashAfter = 17;
            for (int attempt = 0; attempt < 3; attempt++) {
                List<String> db = Files.readAllLines(sink);
                long next = Long.parseLong(db.get(0));
                List<String> output = new ArrayList<>(db.subList(1, db.size()));
                int processed = 0;
                for (LogRecord record : store.fetch("orders", 0, next, 1_000, 1 << 20, Duration.ZERO)) {
                    output.add(text(record.value()));
                    next = record.offset() + 1;
                    List<String> transaction = new ArrayList<>();
                    transaction.add(Long.toString(next));
                    transaction.addAll(output);
                    Path temp = dataDir.resolve("consumer-db.tmp");
                    Files.write(temp, transaction);
                    Files.move(temp, sink, StandardCopyOption.ATOMIC_MOVE);
                    // The group commit comes after and may be lost in a crash; only lag reporting uses it.
                    if (++processed == crashAfter) {
                        break;
                    }
                    store.commit("exactly-once", "orders", 0, next);
                }
            }
            List<String> db = Files.readAllLines(sink);
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                expected.add("e" + i);
            }
            assertThat(db.get(0)).isEqualTo("50");
            assertThat(db.subList(1, db.size())).isEqualTo(expected);
            // Attempts 0 and 1 "crashed" after their 17th record, before its group commit; attempt 2 finished.
            assertThat(store.committed("exactly-once", "orders", 0)).hasValue(50);
        }
    }

    @Test
    void underIntervalFsyncTheBackgroundFlusherForcesAppendedData() throws Exception {
        QueueSettings interval = new QueueSettings(dataDir, 2048, FsyncPolicy.INTERVAL, 10, -1, -1, -1, 256, 0);
        try (QueueStore store = QueueStore.open(interval, clock)) {
            store.createTopic("orders", 1);
            var log = store.topic("orders").orElseThrow().partition(0);
            assertThat(store.append("orders", 0, batch("k", "v", T0))).isEqualTo(new AppendResult.Appended(0, 0));
            assertThat(store.latestOffset("orders", 0)).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> log.forceCount() > 0);
        }
    }

    @Test
    void settingsAreCheckedWhenBuilt() {
        assertThatThrownBy(() -> new QueueSettings(dataDir, 0, FsyncPolicy.BATCH, 1000, -1, -1, -1, 4096, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("segmentBytes: 0 (expected: > 0 and <= 2147483647)");
        assertThatThrownBy(() -> new QueueSettings(dataDir, 1024, FsyncPolicy.BATCH, 1000, -2, -1, -1, 4096, 0))
                .hasMessage("retentionHours: -2 (expected: -1 to keep forever, or >= 0)");
        assertThatThrownBy(() -> new QueueSettings(dataDir, 1024, FsyncPolicy.BATCH, 1000, -1, -1, 0, 4096, 0))
                .hasMessage("diskQuotaBytes: 0 (expected: -1 for no quota, or > 0)");
        assertThat(QueueSettings.defaults(dataDir).retentionPolicy().maxAgeMs()).isEqualTo(7 * 24 * 3_600_000L);
    }
}
