package io.shardwire.mq.bridge;

import java.util.Optional;

/**
 * What a {@link QueueBridge} reports, for metrics and health.
 *
 * @param name      the bridge's name, e.g. {@code kafka}
 * @param topic     the queue topic it reads
 * @param group     its consumer group; its lag is the group's lag in the queue
 * @param state     where it is
 * @param delivered changes delivered since it started
 * @param lag       changes not yet delivered: the group's lag summed over the topic's partitions (0 before the topic
 *                  exists)
 * @param lastError the last failure's message, while it is {@link BridgeState#RETRYING}
 */
public record BridgeStatus(String name, String topic, String group, BridgeState state, long delivered, long lag,
                           Optional<String> lastError) {
}
