package io.shardwire.mq.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A record fetched over the HTTP API.
 *
 * @param topic     its topic
 * @param partition its partition
 * @param offset    its offset in the partition
 * @param timestamp its timestamp, ms since the epoch, as its producer set it
 * @param key       its key, or null for none
 * @param headers   its headers by name: those that are JSON or text first, then binary ones, each group in order
 * @param value     its value, or null for none (a tombstone)
 */
public record QueueRecord(String topic, int partition, long offset, long timestamp, Payload key,
        Map<String, Payload> headers, Payload value) {

    /** Copies the headers, keeping their order. */
    public QueueRecord {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }
}
