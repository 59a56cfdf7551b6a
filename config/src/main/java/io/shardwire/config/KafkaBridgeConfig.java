package io.shardwire.config;

import java.util.Map;

/**
 * The Kafka bridge: the change topic into one Kafka topic per logical table, exactly once (a transactional producer).
 *
 * @param bootstrapServers the brokers, {@code host:port[,host:port...]}
 * @param topicPrefix      logical table {@code schema.table} goes to topic {@code <topicPrefix>schema.table}
 * @param topicPartitions  partitions of the table topics the bridge creates
 * @param transactionalId  the producer's transactional id: one running bridge per id
 * @param offsetsTopic     the compacted Kafka topic of the bridge's resume points
 * @param group            the bridge's consumer group in the queue (its lag is the bridge's lag)
 * @param properties       further Kafka client properties (security, timeouts), string to string
 */
public record KafkaBridgeConfig(String bootstrapServers, String topicPrefix, int topicPartitions,
                                String transactionalId, String offsetsTopic, String group,
                                Map<String, String> properties) {

    /** Copies the properties. */
    public KafkaBridgeConfig {
        properties = Map.copyOf(properties);
    }

    @Override
    public String toString() {
        // Properties may hold credentials (sasl.jaas.config); show their names only.
        return "KafkaBridgeConfig[bootstrapServers=" + bootstrapServers + ", topicPrefix=" + topicPrefix
                + ", topicPartitions=" + topicPartitions + ", transactionalId=" + transactionalId + ", offsetsTopic="
                + offsetsTopic + ", group=" + group + ", properties=" + properties.keySet() + "]";
    }
}
