package io.shardwire.mq.bridge.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The bridge's queue resume points as stored in its Kafka offsets topic: one record per queue partition, key
 * {@code <transactionalId>/<queue topic>/<partition>}, value the next queue offset as decimal text, written in the
 * same transaction as the records it covers. Read with {@code read_committed}, so an aborted transaction's points are
 * never seen.
 */
final class KafkaResumePoints {

    private KafkaResumePoints() {
    }

    /**
     * @param transactionalId the bridge's transactional id
     * @param queueTopic      the queue topic
     * @param partition       the queue partition
     * @return the key of that partition's resume point
     */
    static byte[] key(String transactionalId, String queueTopic, int partition) {
        return (transactionalId + "/" + queueTopic + "/" + partition).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param nextOffset the next queue offset
     * @return the value of a resume point
     */
    static byte[] value(long nextOffset) {
        return Long.toString(nextOffset).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads the offsets topic to its last stable offset. Call it after the producer's {@code initTransactions}, which
     * completes any transaction a previous bridge with the same id left open.
     *
     * @param clientProperties connection properties (bootstrap servers, security)
     * @param offsetsTopic     the offsets topic, with one partition
     * @param transactionalId  the bridge's transactional id
     * @param queueTopic       the queue topic
     * @param partitions       its partition count
     * @return the stored next offset per queue partition, for those that have one
     */
    static Map<Integer, Long> read(Properties clientProperties, String offsetsTopic, String transactionalId,
            String queueTopic, int partitions) {
        Properties properties = new Properties();
        properties.putAll(clientProperties);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        Map<String, Integer> wanted = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            wanted.put(new String(key(transactionalId, queueTopic, p), StandardCharsets.UTF_8), p);
        }
        Map<Integer, Long> points = new HashMap<>();
        TopicPartition partition = new TopicPartition(offsetsTopic, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    Integer queuePartition = record.key() == null ? null
                            : wanted.get(new String(record.key(), StandardCharsets.UTF_8));
                    if (queuePartition != null && record.value() != null) {
                        points.put(queuePartition, Long.parseLong(new String(record.value(), StandardCharsets.UTF_8)));
                    }
                }
            }
        }
        return points;
    }
}
