package io.shardwire.mq.bridge.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.shardwire.mq.QueueSettings;
import io.shardwire.mq.QueueStore;
import io.shardwire.mq.bridge.BridgeChild;
import io.shardwire.mq.bridge.BridgeState;
import io.shardwire.mq.bridge.ChildBridgeProcess;
import io.shardwire.mq.bridge.QueueBridge;
import io.shardwire.mq.bridge.TestChanges;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RabbitMQ bridge against the RabbitMQ server on 127.0.0.1:5672 (guest/guest; {@code .ci/run} starts it): killed
 * with -9 mid-stream in a child JVM and restarted, it delivers every change at least once with its event id as the
 * message id, persistent, routed by logical table, and one row's changes in order once duplicates are dropped.
 */
class RabbitMqBridgeTest {

    private static final int BEFORE_KILL = 2000;
    private static final int AFTER_RESTART = 500;

    @TempDir
    Path dir;

    @Test
    void everyChangeReachesRabbitMqAtLeastOnceWithAStableIdInPerKeyOrderAcrossAKilledBridge() throws Exception {
        String exchange = "shardwire.test." + System.nanoTime();
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(5672);
        factory.setUsername("guest");
        factory.setPassword("guest");
        Connection connection;
        try {
            connection = factory.newConnection("shardwire-bridge-test");
        } catch (java.io.IOException e) {
            throw new AssertionError("RabbitMQ is not reachable on 127.0.0.1:5672 with guest/guest; start it with"
                    + " 'rabbitmq-server -detached' (.ci/run does)", e);
        }
        try (connection; Channel channel = connection.createChannel()) {
            // Bound before any change flows: RabbitMQ drops what no binding matches.
            channel.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true);
            String everything = channel.queueDeclare().getQueue();
            channel.queueBind(everything, exchange, "#");
            String orders = channel.queueDeclare().getQueue();
            channel.queueBind(orders, exchange, "shop.orders");

            Path queueDir = dir.resolve("queue");
            try (QueueStore store = open(queueDir)) {
                TestChanges.append(store, 0, BEFORE_KILL);
            }
            long deliveredBeforeKill = ChildBridgeProcess.runAndKill("rabbitmq", queueDir, exchange, BEFORE_KILL / 3,
                    dir.resolve("child.log"));
            assertThat(deliveredBeforeKill).as("delivered by the bridge before its kill").isLessThan(BEFORE_KILL);

            try (QueueStore store = open(queueDir)) {
                TestChanges.append(store, BEFORE_KILL, AFTER_RESTART);
                try (QueueBridge bridge = QueueBridge.start(store, BridgeChild.settings("rabbitmq"),
                        BridgeChild.sink("rabbitmq", exchange))) {
                    await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
                        assertThat(bridge.status().state()).isEqualTo(BridgeState.RUNNING);
                        assertThat(bridge.status().lag()).isZero();
                    });
                }
            }

            int total = BEFORE_KILL + AFTER_RESTART;
            Set<String> ids = new HashSet<>();
            Map<String, Integer> lastN = new HashMap<>();
            int messages = 0;
            GetResponse message;
            while ((message = channel.basicGet(everything, true)) != null) {
                messages++;
                TestChanges.Delivered change = TestChanges.delivered(message.getBody());
                assertThat(message.getProps().getMessageId()).isEqualTo(change.eventId());
                assertThat(message.getProps().getDeliveryMode()).as("persistent").isEqualTo(2);
                assertThat(message.getEnvelope().getRoutingKey()).isEqualTo(change.row().split("/")[0]);
                if (ids.add(change.eventId())) {
                    assertThat(change.n()).as("change counter of %s", change.row())
                            .isEqualTo(lastN.getOrDefault(change.row(), -1) + 1);
                    lastN.put(change.row(), change.n());
                }
            }
            assertThat(ids).as("distinct event ids received").hasSize(total);
            for (int i = 0; i < total; i++) {
                assertThat(ids).contains(TestChanges.eventId(i));
            }
            int ordersMessages = 0;
            while ((message = channel.basicGet(orders, true)) != null) {
                assertThat(message.getEnvelope().getRoutingKey()).isEqualTo("shop.orders");
                ordersMessages++;
            }
            assertThat(ordersMessages).as("messages routed to shop.orders").isGreaterThanOrEqualTo(total / 2);
            System.out.printf("RabbitMQ bridge: %d delivered before the kill, %d messages for %d distinct events%n",
                    deliveredBeforeKill, messages, ids.size());
            channel.exchangeDelete(exchange);
        }
    }

    private static QueueStore open(Path queueDir) throws Exception {
        Files.createDirectories(queueDir);
        return QueueStore.open(QueueSettings.defaults(queueDir), Clock.systemUTC());
    }
}
