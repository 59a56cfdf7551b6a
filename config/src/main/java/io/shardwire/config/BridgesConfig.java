package io.shardwire.config;

import java.util.Optional;

/**
 * The bridges that forward the change topic to outside brokers, each a consumer group of the queue; absent ones do
 * not run.
 *
 * @param kafka    the Kafka bridge, if configured
 * @param rabbitmq the RabbitMQ bridge, if configured
 */
public record BridgesConfig(Optional<KafkaBridgeConfig> kafka, Optional<RabbitMqBridgeConfig> rabbitmq) {

    /** No bridge. */
    public static final BridgesConfig NONE = new BridgesConfig(Optional.empty(), Optional.empty());
}
