package io.shardwire.mq.bridge;

import java.time.Duration;

/**
 * How a {@link QueueBridge} reads the queue.
 *
 * @param name              the bridge's name, for logs and status
 * @param topic             the queue topic to forward (the CDC's is {@code shardwire.changes})
 * @param group             the consumer group it commits as; each bridge needs one of its own
 * @param maxRecords        most changes fetched per partition per round (and so per delivery), &gt; 0
 * @param idleWait          how long a fetch waits for new changes once the bridge has caught up
 * @param retryBackoff      pause after a failed delivery before reconnecting
 */
public record BridgeSettings(String name, String topic, String group, int maxRecords, Duration idleWait,
                             Duration retryBackoff) {

    /** Checks the values. */
    public BridgeSettings {
        if (name == null || name.isBlank() || topic == null || topic.isBlank() || group == null || group.isBlank()) {
            throw new IllegalArgumentException("bridge name, topic and group: '" + name + "', '" + topic + "', '"
                    + group + "' (expected: all non-blank)");
        }
        if (maxRecords <= 0) {
            throw new IllegalArgumentException("maxRecords: " + maxRecords + " (expected: > 0)");
        }
        if (idleWait == null || idleWait.isNegative() || retryBackoff == null || retryBackoff.isNegative()) {
            throw new IllegalArgumentException("idleWait, retryBackoff: " + idleWait + ", " + retryBackoff
                    + " (expected: >= 0)");
        }
    }

    /**
     * Defaults: 1000 changes per partition and round, 100 ms idle wait, 2 s retry backoff.
     *
     * @param name  the bridge's name
     * @param topic the queue topic
     * @param group the consumer group
     * @return the settings
     */
    public static BridgeSettings of(String name, String topic, String group) {
        return new BridgeSettings(name, topic, group, 1000, Duration.ofMillis(100), Duration.ofSeconds(2));
    }

    /**
     * @param records most changes per partition and round
     * @return these settings with that limit
     */
    public BridgeSettings withMaxRecords(int records) {
        return new BridgeSettings(name, topic, group, records, idleWait, retryBackoff);
    }
}
