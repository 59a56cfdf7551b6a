package io.shardwire.mq.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Produces to and drains a topic of the in-process Kafka broker: one idempotent producer, acks=all. */
final class KafkaRun {

    private final String bootstrap;
    private final String topic;
    private final int partitions;

    KafkaRun(String bootstrap, String topic, int partitions) throws Exception {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.partitions = partitions;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty()))).all().get();
        }
    }

    /** Sends {@code records} records, spread over the partitions by key, and waits for every acknowledgement. */
    Throughput append(long records, byte[] value) throws Exception {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", bootstrap);
        properties.put("acks", "all");
        properties.put("enable.idempotence", "true");
        properties.put("key.serializer", ByteArraySerializer.class.getName());
        properties.put("value.serializer", ByteArraySerializer.class.getName());
        long[] latencies = new long[(int) records];
        AtomicReference<Exception> failure = new AtomicReference<>();
        long start;
        long nanos;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties)) {
            start = System.nanoTime();
            for (int i = 0; i < records; i++) {
                int index = i;
                long t0 = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, i % partitions, null, QueueBench.key(i), value),
                        (metadata, e) -> {
                            latencies[index] = System.nanoTime() - t0;
                            if (e != null) {
                                failure.set(e);
                            }
                        });
            }
            producer.flush();
            nanos = System.nanoTime() - start;
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return new Throughput(records, records * (QueueBench.KEY_BYTES + value.length), nanos, latencies);
    }

    /** Reads every partition from the beginning to its end. */
    Throughput drain() {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", bootstrap);
        properties.put("key.deserializer", ByteArrayDeserializer.class.getName());
        properties.put("value.deserializer", ByteArrayDeserializer.class.getName());
        List<TopicPartition> all = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            all.add(new TopicPartition(topic, p));
        }
        long records = 0;
        long bytes = 0;
        long start = System.nanoTime();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
            consumer.assign(all);
            consumer.seekToBeginning(all);
            Map<TopicPartition, Long> end = consumer.endOffsets(all);
            while (all.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    bytes += record.key().length + record.value().length;
                    records++;
                }
            }
        }
        return new Throughput(records, bytes, System.nanoTime() - start, new long[0]);
    }
}
