package io.shardwire.mq.log;

import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A record as a producer gives it: a timestamp, an optional key, headers and an optional value.
 *
 * <p>Shallowly immutable: the header map is copied, the byte arrays are not, so do not change them after creating
 * the record. Equality compares array contents.
 *
 * @param timestamp milliseconds since the epoch, chosen by the producer; retention by time and seek by time use it
 * @param key       the key, or null for none; records with equal keys keep their order within a partition
 * @param headers   header names to values, in order; neither names nor values may be null
 * @param value     the value, or null for none (a tombstone)
 */
public record Record(long timestamp, byte[] key, Map<String, byte[]> headers, byte[] value) {

    /** Copies the headers, keeping their order, and rejects null names or values. */
    public Record {
        if (timestamp < 0) {
            throw new IllegalArgumentException("timestamp: " + timestamp + " (expected: >= 0)");
        }
        if (headers == null) {
            throw new IllegalArgumentException("headers: null (expected: a map, possibly empty)");
        }
        LinkedHashMap<String, byte[]> copy = new LinkedHashMap<>(headers);
        copy.forEach((name, headerValue) -> {
            if (name == null || headerValue == null) {
                throw new IllegalArgumentException("header " + name + ": null name or value (expected: neither null)");
            }
        });
        headers = Collections.unmodifiableMap(copy);
    }

    /**
     * A record without headers.
     *
     * @param timestamp milliseconds since the epoch
     * @param key       the key, or null
     * @param value     the value, or null
     * @return the record
     */
    public static Record of(long timestamp, byte[] key, byte[] value) {
        return new Record(timestamp, key, Map.of(), value);
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof Record that) || timestamp != that.timestamp || !Arrays.equals(key, that.key)
                || !Arrays.equals(value, that.value) || headers.size() != that.headers.size()) {
            return false;
        }
        for (Map.Entry<String, byte[]> header : headers.entrySet()) {
            if (!Arrays.equals(header.getValue(), that.headers.get(header.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int hash = Long.hashCode(timestamp);
        hash = hash * 31 + Arrays.hashCode(key);
        hash = hash * 31 + Arrays.hashCode(value);
        for (Map.Entry<String, byte[]> header : headers.entrySet()) {
            hash += header.getKey().hashCode() ^ Arrays.hashCode(header.getValue());
        }
        return hash;
    }

    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        StringBuilder text = new StringBuilder("Record[timestamp=").append(timestamp)
                .append(", key=").append(key == null ? "null" : hex.formatHex(key))
                .append(", headers={");
        String separator = "";
        for (Map.Entry<String, byte[]> header : headers.entrySet()) {
            text.append(separator).append(header.getKey()).append('=').append(hex.formatHex(header.getValue()));
            separator = ", ";
        }
        return text.append("}, value=").append(value == null ? "null" : hex.formatHex(value)).append(']').toString();
    }
}
