package io.shardwire.proxy.health;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A MariaDB GTID position such as {@code 0-1-42,1-2-7} ({@code @@gtid_binlog_pos}, {@code @@gtid_slave_pos}): per
 * replication domain, the last transaction's server id and sequence number. Sequence numbers only grow within a
 * domain, so comparing two positions domain by domain tells how many transactions one is behind the other.
 *
 * @param text     the position as the server reported it, empty for none
 * @param sequences replication domain to its last sequence number
 */
public record GtidPosition(String text, Map<Long, Long> sequences) {

    /** No transaction at all. */
    public static final GtidPosition EMPTY = new GtidPosition("", Map.of());

    public GtidPosition {
        sequences = Collections.unmodifiableMap(new LinkedHashMap<>(sequences));
    }

    /**
     * Parses a position.
     *
     * @throws IllegalArgumentException if a part is not {@code domain-server-sequence}
     */
    public static GtidPosition parse(String text) {
        if (text == null || text.isBlank()) {
            return EMPTY;
        }
        Map<Long, Long> sequences = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            String[] fields = part.trim().split("-");
            if (fields.length != 3) {
                throw new IllegalArgumentException("not a GTID position: '" + text + "' (expected domain-server-sequence,...)");
            }
            try {
                sequences.merge(Long.parseLong(fields[0]), Long.parseUnsignedLong(fields[2]), Math::max);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a GTID position: '" + text + "' (expected domain-server-sequence,...)", e);
            }
        }
        return new GtidPosition(text.trim(), sequences);
    }

    /** Transactions this position has that {@code other} has not yet: summed over the domains, never negative. */
    public long transactionsAhead(GtidPosition other) {
        long ahead = 0;
        for (Map.Entry<Long, Long> domain : sequences.entrySet()) {
            ahead += Math.max(0, domain.getValue() - other.sequences.getOrDefault(domain.getKey(), 0L));
        }
        return ahead;
    }
}
