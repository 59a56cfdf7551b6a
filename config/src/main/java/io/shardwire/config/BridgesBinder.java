package io.shardwire.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Binds {@code queue.bridges}: each bridge present runs, each with its own keys checked. */
final class BridgesBinder {

    /** Kafka's rule for topic names. */
    private static final Pattern KAFKA_TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");
    /** The queue's rule for consumer group names. */
    private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    /** Kafka client properties the bridge sets itself, since its guarantees rest on them. */
    private static final Set<String> RESERVED_KAFKA_PROPERTIES = Set.of("bootstrap.servers", "transactional.id",
            "enable.idempotence", "acks", "key.serializer", "value.serializer", "key.deserializer",
            "value.deserializer", "isolation.level");
    private static final IntRule PORT = IntRule.between(1, 65535);

    BridgesConfig bridges(YamlMap b) {
        b.onlyKeys("kafka", "rabbitmq");
        Optional<KafkaBridgeConfig> kafka = b.get("kafka").isAbsent() ? Optional.empty()
                : Optional.of(kafka(b.map("kafka")));
        Optional<RabbitMqBridgeConfig> rabbitmq = b.get("rabbitmq").isAbsent() ? Optional.empty()
                : Optional.of(rabbitmq(b.map("rabbitmq")));
        if (kafka.isPresent() && rabbitmq.isPresent() && kafka.get().group().equals(rabbitmq.get().group())) {
            throw b.error("rabbitmq", "group '" + rabbitmq.get().group() + "' is the kafka bridge's too; each bridge"
                    + " needs a consumer group of its own");
        }
        return new BridgesConfig(kafka, rabbitmq);
    }

    private static KafkaBridgeConfig kafka(YamlMap k) {
        k.onlyKeys("bootstrapServers", "topicPrefix", "topicPartitions", "transactionalId", "offsetsTopic", "group",
                "properties");
        String topicPrefix = k.maybeEmptyString("topicPrefix", "shardwire.");
        if (!topicPrefix.isEmpty() && !KAFKA_TOPIC.matcher(topicPrefix).matches()) {
            throw k.error("topicPrefix", "must be ASCII letters, digits, '.', '_' or '-' (Kafka topic names), got '"
                    + topicPrefix + "'");
        }
        String offsetsTopic = k.string("offsetsTopic", "shardwire-bridge-offsets");
        if (!KAFKA_TOPIC.matcher(offsetsTopic).matches() || offsetsTopic.equals(".") || offsetsTopic.equals("..")) {
            throw k.error("offsetsTopic", "must be a Kafka topic name: 1 to 249 ASCII letters, digits, '.', '_' or"
                    + " '-', got '" + offsetsTopic + "'");
        }
        Map<String, String> properties = new LinkedHashMap<>();
        YamlMap p = k.mapOrEmpty("properties");
        p.entries().forEach((name, value) -> {
            if (RESERVED_KAFKA_PROPERTIES.contains(name)) {
                throw value.error("is set by the bridge itself (bootstrap.servers comes from bootstrapServers)");
            }
            properties.put(name, value.asString());
        });
        return new KafkaBridgeConfig(
                k.string("bootstrapServers"),
                topicPrefix,
                k.intValue("topicPartitions", 1, IntRule.atLeast(1)),
                k.string("transactionalId", "shardwire-bridge-kafka"),
                offsetsTopic,
                group(k, "shardwire-bridge-kafka"),
                properties);
    }

    private static RabbitMqBridgeConfig rabbitmq(YamlMap r) {
        r.onlyKeys("host", "port", "username", "password", "virtualHost", "exchange", "group");
        return new RabbitMqBridgeConfig(
                r.string("host", "127.0.0.1"),
                r.intValue("port", 5672, PORT),
                r.string("username", "guest"),
                r.maybeEmptyString("password", "guest"),
                r.string("virtualHost", "/"),
                r.string("exchange", "shardwire.changes"),
                group(r, "shardwire-bridge-rabbitmq"));
    }

    private static String group(YamlMap m, String fallback) {
        String group = m.string("group", fallback);
        if (!GROUP.matcher(group).matches() || group.equals(".") || group.equals("..")) {
            throw m.error("group", "must be 1 to 200 letters, digits, '.', '_' or '-', got '" + group + "'");
        }
        return group;
    }
}
