package io.shardwire.mq.bridge.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shardwire.mq.QueueSettings;
import io.shardwire.mq.QueueStore;
import io.shardwire.mq.bridge.BridgeChild;
import io.shardwire.mq.bridge.BridgeState;
import io.shardwire.mq.bridge.ChildBridgeProcess;
import io.shardwire.mq.bridge.QueueBridge;
import io.shardwire.mq.bridge.TestChanges;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka bridge against a real in-process KRaft broker: killed with -9 mid-stream in a child JVM and restarted,
 * it still delivers every change exactly once to {@code read_committed} consumers, one row's changes in order.
 */
class KafkaBridgeTest {

    private static final int BEFORE_KILL = 2000;
    private static final int AFTER_RESTART = 500;

    @TempDir
    static Path kafkaDir;

    private static InProcessKafka kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = InProcessKafka.start(kafkaDir);
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void everyChangeReachesKafkaExactlyOnceInPerKeyOrderAcrossAKilledBridge() throws Exception {
        Path queueDir = dir.resolve("queue");
        try (QueueStore store = open(queueDir)) {
            TestChanges.append(store, 0, BEFORE_KILL);
        }
        long deliveredBeforeKill = ChildBridgeProcess.runAndKill("kafka", queueDir, kafka.bootstrapServers(),
                BEFORE_KILL / 3, dir.resolve("child.log"));
        assertThat(deliveredBeforeKill).as("delivered by the bridge before its kill").isLessThan(BEFORE_KILL);

        try (QueueStore store = open(queueDir)) {
            TestChanges.append(store, BEFORE_KILL, AFTER_RESTART);
            try (QueueBridge bridge = QueueBridge.start(store, BridgeChild.settings("kafka"),
                    BridgeChild.sink("kafka", kafka.bootstrapServers()))) {
                await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
                    assertThat(bridge.status().state()).isEqualTo(BridgeState.RUNNING);
                    assertThat(bridge.status().lag()).isZero();
                });
            }
        }

        List<ConsumerRecord<byte[], byte[]>> records = readAll("read_committed");
        int total = BEFORE_KILL + AFTER_RESTART;
        assertThat(records.size()).as("records in Kafka for read_committed consumers").isEqualTo(total);
        Set<String> ids = new HashSet<>();
        Map<String, Integer> lastN = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            TestChanges.Delivered change = TestChanges.delivered(record.value());
            assertThat(ids.add(change.eventId())).as("event %s once", change.eventId()).isTrue();
            assertThat(header(record, "shardwire.eventId")).isEqualTo(change.eventId());
            String row = record.topic() + "/" + new String(record.key(), StandardCharsets.UTF_8);
            assertThat(change.n()).as("change counter of %s", row).isEqualTo(lastN.getOrDefault(row, -1) + 1);
            lastN.put(row, change.n());
        }
        for (int i = 0; i < total; i++) {
            assertThat(ids).contains(TestChanges.eventId(i));
        }
        ConsumerRecord<byte[], byte[]> first = records.getFirst();
        assertThat(header(first, "shardwire.group")).matches("g[01]");
        assertThat(header(first, "shardwire.dataNode")).matches("shop_[0-3]");
        assertThat(header(first, "shardwire.queue")).matches("shardwire\\.changes-[01]@\\d+");
        System.out.printf("Kafka bridge: %d delivered before the kill, %d records for read_committed, %d in the log"
                + " for read_uncommitted (aborted transactions included)%n", deliveredBeforeKill, records.size(),
                readAll("read_uncommitted").size());
    }

    private static QueueStore open(Path queueDir) throws Exception {
        Files.createDirectories(queueDir);
        return QueueStore.open(QueueSettings.defaults(queueDir), Clock.systemUTC());
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Every record of the two table topics, in per-partition order. */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(String isolation) {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", kafka.bootstrapServers());
        properties.put("isolation.level", isolation);
        properties.put("key.deserializer", ByteArrayDeserializer.class.getName());
        properties.put("value.deserializer", ByteArrayDeserializer.class.getName());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String table : List.of("orders", "customers")) {
            for (int p = 0; p < 3; p++) {
                partitions.add(new TopicPartition("shardwire.shop." + table, p));
            }
        }
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }
}
