package io.shardwire.proxy.bridge;

import io.shardwire.cdc.CaptureOptions;
import io.shardwire.config.BridgesConfig;
import io.shardwire.config.KafkaBridgeConfig;
import io.shardwire.config.RabbitMqBridgeConfig;
import io.shardwire.mq.QueueStore;
import io.shardwire.mq.bridge.BridgeSettings;
import io.shardwire.mq.bridge.QueueBridge;
import io.shardwire.mq.bridge.kafka.KafkaBridgeSettings;
import io.shardwire.mq.bridge.kafka.KafkaBridgeSink;
import io.shardwire.mq.bridge.rabbitmq.RabbitMqBridgeSettings;
import io.shardwire.mq.bridge.rabbitmq.RabbitMqBridgeSink;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the bridges the configuration names ({@code queue.bridges}), each forwarding the CDC's change topic as a
 * consumer group of its own. A broker that is down does not stop the proxy: the bridge retries, and its state and
 * lag show on {@code GET /queue/status}.
 */
public final class BridgeStarter {

    private BridgeStarter() {
    }

    /**
     * @param config the configured bridges
     * @param queue  the queue they read
     * @return the running bridges, none if none is configured
     */
    public static List<QueueBridge> start(BridgesConfig config, QueueStore queue) {
        List<QueueBridge> bridges = new ArrayList<>();
        config.kafka().ifPresent(kafka -> bridges.add(QueueBridge.start(queue,
                BridgeSettings.of("kafka", CaptureOptions.DEFAULT_TOPIC, kafka.group()), kafkaSink(kafka))));
        config.rabbitmq().ifPresent(rabbit -> bridges.add(QueueBridge.start(queue,
                BridgeSettings.of("rabbitmq", CaptureOptions.DEFAULT_TOPIC, rabbit.group()), rabbitSink(rabbit))));
        return bridges;
    }

    private static KafkaBridgeSink kafkaSink(KafkaBridgeConfig kafka) {
        return new KafkaBridgeSink(new KafkaBridgeSettings(kafka.bootstrapServers(), kafka.topicPrefix(),
                kafka.topicPartitions(), kafka.transactionalId(), kafka.offsetsTopic(), kafka.properties()));
    }

    private static RabbitMqBridgeSink rabbitSink(RabbitMqBridgeConfig rabbit) {
        RabbitMqBridgeSettings defaults = RabbitMqBridgeSettings.defaults();
        return new RabbitMqBridgeSink(new RabbitMqBridgeSettings(rabbit.host(), rabbit.port(), rabbit.username(),
                rabbit.password(), rabbit.virtualHost(), rabbit.exchange(), defaults.confirmTimeout()));
    }
}
