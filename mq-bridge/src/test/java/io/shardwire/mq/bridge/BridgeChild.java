package io.shardwire.mq.bridge;

import io.shardwire.mq.QueueSettings;
import io.shardwire.mq.QueueStore;
import io.shardwire.mq.bridge.kafka.KafkaBridgeSettings;
import io.shardwire.mq.bridge.kafka.KafkaBridgeSink;
import io.shardwire.mq.bridge.rabbitmq.RabbitMqBridgeSettings;
import io.shardwire.mq.bridge.rabbitmq.RabbitMqBridgeSink;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A bridge in a child JVM, for the tests that kill it with -9 mid-stream: {@code kafka <queueDir> <bootstrap>} or
 * {@code rabbitmq <queueDir> <exchange>}. Prints "delivered N" whenever its count grows.
 */
public final class BridgeChild {

    private BridgeChild() {
    }

    /**
     * @param args kind, queue directory, broker parameter
     * @throws Exception if the bridge cannot start
     */
    public static void main(String[] args) throws Exception {
        QueueStore store = QueueStore.open(QueueSettings.defaults(Path.of(args[1])), Clock.systemUTC());
        QueueBridge bridge = QueueBridge.start(store, settings(args[0]), sink(args[0], args[2]));
        long reported = -1;
        while (true) {
            long delivered = bridge.status().delivered();
            if (delivered != reported) {
                System.out.println("delivered " + delivered);
                System.out.flush();
                reported = delivered;
            }
            Thread.sleep(5);
        }
    }

    /** The settings both the child and the test's own bridge use: small rounds, so a kill lands mid-stream. */
    public static BridgeSettings settings(String kind) {
        return BridgeSettings.of(kind, TestChanges.TOPIC, "bridge-" + kind).withMaxRecords(25);
    }

    /** The sink of a kind. */
    public static BridgeSink sink(String kind, String parameter) {
        return switch (kind) {
            case "kafka" -> new KafkaBridgeSink(KafkaBridgeSettings.defaults(parameter).withTopicPartitions(3));
            case "rabbitmq" -> new RabbitMqBridgeSink(RabbitMqBridgeSettings.defaults().withExchange(parameter));
            default -> throw new IllegalArgumentException("kind: " + kind + " (expected: kafka or rabbitmq)");
        };
    }
}
