package io.shardwire.mq.bridge.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.shardwire.mq.bridge.BridgeSink;
import io.shardwire.mq.bridge.ChangeRecord;
import io.shardwire.mq.bridge.PartitionBatch;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers changes to RabbitMQ at least once: persistent messages ({@code delivery_mode=2}) on a durable topic
 * exchange, routing key = the logical table ({@code schema.table}), {@code message_id} = the change's deterministic
 * event id, content type {@code application/json}, the event JSON as the body, the commit time as the timestamp, and
 * headers {@code shardwire.group}, {@code shardwire.dataNode}, {@code shardwire.binlog} and {@code shardwire.queue}
 * ({@code <queue topic>-<partition>@<offset>}).
 *
 * <p><b>Guarantee.</b> A delivery returns only once the broker has confirmed every message (publisher confirms); only
 * then does the bridge commit its queue offsets. A crash between the two publishes that delivery again at restart, so
 * a consumer deduplicates on {@code message_id}. Messages are published in queue order on one channel, so a queue
 * receives one row's changes in order (a redelivered stretch repeats changes it already had, in the same order).
 * RabbitMQ drops messages that no queue binding matches: bind the queues before changes flow.
 *
 * <p>Not thread-safe: the {@link io.shardwire.mq.bridge.QueueBridge} calls it from one thread.
 */
public final class RabbitMqBridgeSink implements BridgeSink {

    private static final Logger LOG = LoggerFactory.getLogger(RabbitMqBridgeSink.class);

    private final RabbitMqBridgeSettings settings;
    private Connection connection;
    private Channel channel;

    /**
     * @param settings where to publish
     */
    public RabbitMqBridgeSink(RabbitMqBridgeSettings settings) {
        this.settings = settings;
    }

    @Override
    public Map<Integer, Long> open(String topic, int partitions) throws Exception {
        close();
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(settings.host());
        factory.setPort(settings.port());
        factory.setUsername(settings.username());
        factory.setPassword(settings.password());
        factory.setVirtualHost(settings.virtualHost());
        // The bridge reconnects by itself from its committed offsets; the client's recovery would resend nothing.
        factory.setAutomaticRecoveryEnabled(false);
        connection = factory.newConnection("shardwire-bridge-" + settings.exchange());
        channel = connection.createChannel();
        channel.exchangeDeclare(settings.exchange(), BuiltinExchangeType.TOPIC, true);
        channel.confirmSelect();
        LOG.info("RabbitMQ bridge connected to {}:{}{}, exchange {}", settings.host(), settings.port(),
                settings.virtualHost(), settings.exchange());
        // Resumes at the bridge's committed queue offsets.
        return Map.of();
    }

    @Override
    public void deliver(String topic, List<PartitionBatch> batches) throws Exception {
        for (PartitionBatch batch : batches) {
            for (ChangeRecord change : batch.changes()) {
                channel.basicPublish(settings.exchange(), change.logicalTable(), properties(topic, change),
                        change.value());
            }
        }
        channel.waitForConfirmsOrDie(settings.confirmTimeout().toMillis());
    }

    private static AMQP.BasicProperties properties(String topic, ChangeRecord change) {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("shardwire.group", change.group());
        headers.put("shardwire.dataNode", change.dataNode());
        headers.put("shardwire.binlog", change.binlog());
        change.gtid().ifPresent(gtid -> headers.put("shardwire.gtid", gtid));
        headers.put("shardwire.queue", topic + "-" + change.partition() + "@" + change.offset());
        return new AMQP.BasicProperties.Builder()
                .deliveryMode(2)
                .contentType("application/json")
                .messageId(change.eventId())
                .timestamp(new Date(change.timestamp()))
                .headers(headers)
                .build();
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close(5_000);
            } catch (Exception e) {
                LOG.warn("Closing the RabbitMQ bridge connection failed", e);
            }
            connection = null;
            channel = null;
        }
    }
}
