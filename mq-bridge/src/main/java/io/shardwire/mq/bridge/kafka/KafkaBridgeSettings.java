package io.shardwire.mq.bridge.kafka;

import java.util.Map;
import java.util.Set;

/**
 * Where and how the Kafka bridge produces.
 *
 * @param bootstrapServers the brokers, {@code host:port[,host:port...]}
 * @param topicPrefix      a logical table {@code schema.table} goes to the Kafka topic {@code <prefix>schema.table}
 * @param topicPartitions  partitions of the table topics the bridge creates (existing topics keep theirs); records of
 *                         one primary key always go to one partition, so their order holds whatever the count
 * @param transactionalId  the producer's transactional id: one bridge per id; a new bridge with the same id fences
 *                         the old one off and aborts its open transaction
 * @param offsetsTopic     the compacted Kafka topic where the bridge stores its queue resume points, in the same
 *                         transaction as the records
 * @param properties       further producer and admin client properties (security, timeouts), not those the bridge
 *                         sets itself ({@link #RESERVED})
 */
public record KafkaBridgeSettings(String bootstrapServers, String topicPrefix, int topicPartitions,
                                  String transactionalId, String offsetsTopic, Map<String, String> properties) {

    /** Properties the bridge sets itself, since its guarantees rest on them. */
    public static final Set<String> RESERVED = Set.of("bootstrap.servers", "transactional.id", "enable.idempotence",
            "acks", "key.serializer", "value.serializer", "key.deserializer", "value.deserializer",
            "isolation.level");

    /** Checks the values and copies the properties. */
    public KafkaBridgeSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrapServers: '" + bootstrapServers + "' (expected: host:port)");
        }
        if (topicPrefix == null) {
            throw new IllegalArgumentException("topicPrefix: null (expected: a prefix, possibly empty)");
        }
        KafkaTopicNames.check(topicPrefix + "x", "topicPrefix");
        if (topicPartitions <= 0) {
            throw new IllegalArgumentException("topicPartitions: " + topicPartitions + " (expected: > 0)");
        }
        if (transactionalId == null || transactionalId.isBlank()) {
            throw new IllegalArgumentException("transactionalId: '" + transactionalId + "' (expected: non-blank)");
        }
        KafkaTopicNames.check(offsetsTopic, "offsetsTopic");
        properties = Map.copyOf(properties);
        for (String key : properties.keySet()) {
            if (RESERVED.contains(key)) {
                throw new IllegalArgumentException("properties." + key + ": set by the bridge itself (expected: none"
                        + " of " + RESERVED + ")");
            }
        }
    }

    /**
     * Defaults: prefix {@code shardwire.}, 1 partition per table topic, transactional id
     * {@code shardwire-bridge-kafka}, offsets topic {@code shardwire-bridge-offsets}, no further properties.
     *
     * @param bootstrapServers the brokers
     * @return the settings
     */
    public static KafkaBridgeSettings defaults(String bootstrapServers) {
        return new KafkaBridgeSettings(bootstrapServers, "shardwire.", 1, "shardwire-bridge-kafka",
                "shardwire-bridge-offsets", Map.of());
    }

    /**
     * @param partitions partitions of the table topics the bridge creates
     * @return these settings with that count
     */
    public KafkaBridgeSettings withTopicPartitions(int partitions) {
        return new KafkaBridgeSettings(bootstrapServers, topicPrefix, partitions, transactionalId, offsetsTopic,
                properties);
    }
}
