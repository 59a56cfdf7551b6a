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
 * @param servers   replication domain to the server id of that last transaction
 */
public record GtidPosition(String text, Map<Long, Long> sequences, Map<Long, Long> servers) {

    /** No transaction at all. */
    public static final GtidPosition EMPTY = new GtidPosition("", Map.of(), Map.of());

    public GtidPosition {
        sequences = Collections.unmodifiableMap(new LinkedHashMap<>(sequences));
        servers = Collections.unmodifiableMap(new LinkedHashMap<>(servers));
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
        Map<Long, Long> servers = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            String[] fields = part.trim().split("-");
            if (fields.length != 3) {
                throw new IllegalArgumentException("not a GTID position: '" + text + "' (expected domain-server-sequence,...)");
            }
            try {
                long domain = Long.parseLong(fields[0]);
                long sequence = Long.parseUnsignedLong(fields[2]);
                if (!sequences.containsKey(domain) || sequence > sequences.get(domain)) {
                    sequences.put(domain, sequence);
                    servers.put(domain, Long.parseUnsignedLong(fields[1]));
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a GTID position: '" + text + "' (expected domain-server-sequence,...)", e);
            }
        }
        return new GtidPosition(text.trim(), sequences, servers);
    }

    /**
     * Whether this position holds a transaction {@code other} cannot hold: in some domain a later sequence number, or
     * the same one from another server (two different transactions took that number). A server at {@code other}
     * that goes on from this position would skip or clash with it.
     */
    public boolean divergesFrom(GtidPosition other) {
        if (transactionsAhead(other) > 0) {
            return true;
        }
        for (Map.Entry<Long, Long> domain : sequences.entrySet()) {
            if (domain.getValue().equals(other.sequences.get(domain.getKey()))
                    && !servers.get(domain.getKey()).equals(other.servers.get(domain.getKey()))) {
                return true;
            }
        }
        return false;
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
