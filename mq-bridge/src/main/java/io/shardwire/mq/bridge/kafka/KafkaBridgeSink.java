package io.shardwire.mq.bridge.kafka;

import io.shardwire.mq.bridge.BridgeSink;
import io.shardwire.mq.bridge.ChangeRecord;
import io.shardwire.mq.bridge.PartitionBatch;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers changes to Kafka exactly once: one topic per logical table ({@code <prefix>schema.table}), the primary key
 * as the record key (so one row's changes stay in one partition, in order), the event JSON as the value (with the
 * commit time in it; the record timestamp is the time of delivery), and headers {@code shardwire.eventId}, {@code shardwire.group} (shard group),
 * {@code shardwire.dataNode}, {@code shardwire.binlog} ({@code file:position}), {@code shardwire.gtid} (when the
 * change has one) and {@code shardwire.queue} ({@code <queue topic>-<partition>@<offset>}).
 *
 * <p><b>Why a transactional producer.</b> Each delivery is one Kafka transaction holding the records and, in the
 * compacted offsets topic, the next queue offset of every partition it covers ({@link KafkaResumePoints}). Records and
 * resume point commit or abort together, so at restart the bridge reads its resume points back and delivers exactly
 * what is missing; starting a producer with the same transactional id fences off a bridge still running elsewhere and
 * aborts whatever transaction a crashed one left open. The other way, reading the last record of each target
 * partition at start, is not sound here without more machinery: the changes of several queue partitions (shard groups)
 * interleave in each Kafka partition, and a crash can leave one Kafka partition ahead of another, so the last record
 * of a partition does not tell where every queue partition stands.
 *
 * <p><b>For consumers:</b> exactly once holds for Kafka consumers with {@code isolation.level=read_committed}; a
 * {@code read_uncommitted} consumer may also see the records of a transaction a crash aborted. The producer is
 * idempotent ({@code enable.idempotence=true}) with {@code acks=all}.
 *
 * <p>Not thread-safe: the {@link io.shardwire.mq.bridge.QueueBridge} calls it from one thread.
 */
public final class KafkaBridgeSink implements BridgeSink {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBridgeSink.class);

    private final KafkaBridgeSettings settings;
    private final Set<String> knownTopics = new HashSet<>();
    private KafkaProducer<byte[], byte[]> producer;
    private Admin admin;

    /**
     * @param settings where and how to produce
     */
    public KafkaBridgeSink(KafkaBridgeSettings settings) {
        this.settings = settings;
    }

    @Override
    public Map<Integer, Long> open(String topic, int partitions) throws Exception {
        close();
        admin = Admin.create(clientProperties());
        createTopic(new NewTopic(settings.offsetsTopic(), Optional.of(1), Optional.empty())
                .configs(Map.of("cleanup.policy", "compact")));
        Properties producerProperties = clientProperties();
        producerProperties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.transactionalId());
        producerProperties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producerProperties.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProperties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producerProperties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producerProperties.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        producerProperties.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "shardwire-bridge-" + settings.transactionalId());
        producer = new KafkaProducer<>(producerProperties);
        // Fences off an older bridge with this id and completes (aborts) its open transaction, so that the resume
        // points read next are final.
        producer.initTransactions();
        Map<Integer, Long> points = KafkaResumePoints.read(clientProperties(), settings.offsetsTopic(),
                settings.transactionalId(), topic, partitions);
        LOG.info("Kafka bridge {} on {}: resume points of {} stored in {}: {}", settings.transactionalId(),
                settings.bootstrapServers(), topic, settings.offsetsTopic(), points);
        return points;
    }

    @Override
    public void deliver(String topic, List<PartitionBatch> batches) throws Exception {
        for (PartitionBatch batch : batches) {
            for (ChangeRecord change : batch.changes()) {
                ensureTableTopic(tableTopic(change));
            }
        }
        producer.beginTransaction();
        for (PartitionBatch batch : batches) {
            for (ChangeRecord change : batch.changes()) {
                // No timestamp: the producer sets the time of sending. The commit time stays in the event; as the record
                // timestamp, a backlog older than the topic's retention.ms would be deleted as soon as it landed.
                producer.send(new ProducerRecord<>(tableTopic(change), null, null, change.primaryKey(),
                        change.value(), headers(topic, change)));
            }
            producer.send(new ProducerRecord<>(settings.offsetsTopic(),
                    KafkaResumePoints.key(settings.transactionalId(), topic, batch.partition()),
                    KafkaResumePoints.value(batch.nextOffset())));
        }
        // Flushes every send and fails if any failed; a failure leaves the transaction to be aborted by the next
        // initTransactions, after the bridge reopens this sink.
        producer.commitTransaction();
    }

    private String tableTopic(ChangeRecord change) {
        return settings.topicPrefix() + change.logicalTable();
    }

    private void ensureTableTopic(String name) throws ExecutionException, InterruptedException {
        if (knownTopics.contains(name)) {
            return;
        }
        KafkaTopicNames.check(name, "the Kafka topic for logical table");
        createTopic(new NewTopic(name, Optional.of(settings.topicPartitions()), Optional.empty()));
        knownTopics.add(name);
    }

    private void createTopic(NewTopic topic) throws ExecutionException, InterruptedException {
        try {
            admin.createTopics(List.of(topic)).all().get();
            LOG.info("Kafka bridge created topic {}", topic.name());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    private static List<Header> headers(String topic, ChangeRecord change) {
        List<Header> headers = new ArrayList<>(6);
        headers.add(header("shardwire.eventId", change.eventId()));
        headers.add(header("shardwire.group", change.group()));
        headers.add(header("shardwire.dataNode", change.dataNode()));
        headers.add(header("shardwire.binlog", change.binlog()));
        change.gtid().ifPresent(gtid -> headers.add(header("shardwire.gtid", gtid)));
        headers.add(header("shardwire.queue", topic + "-" + change.partition() + "@" + change.offset()));
        return headers;
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private Properties clientProperties() {
        Properties properties = new Properties();
        properties.putAll(settings.properties());
        properties.put("bootstrap.servers", settings.bootstrapServers());
        return properties;
    }

    @Override
    public void close() {
        if (producer != null) {
            try {
                producer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.warn("Closing the Kafka bridge producer failed", e);
            }
            producer = null;
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
    }
}
