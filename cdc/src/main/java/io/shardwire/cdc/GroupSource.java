package io.shardwire.cdc;

import java.util.List;

/**
 * The primary of one shard group, where its capture reads the binlog, and the replicas that follow it, of which one
 * must hold a transaction before the capture stores it (see {@link CaptureOptions#replicaAckTimeout()}).
 *
 * @param group    the group's name, e.g. {@code g0}: names the producer ({@code cdc-g0}), the engine and its metrics
 * @param host     the primary's host
 * @param port     the primary's port
 * @param replicas the servers that replicate from the primary; empty for none (the capture then waits for none)
 */
public record GroupSource(String group, String host, int port, List<Replica> replicas) {

    /** A replica of the group's primary. */
    public record Replica(String host, int port) {

        /** Checks the address. */
        public Replica {
            checkAddress(host, port);
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /** Checks the name, which must fit a Debezium topic prefix and a producer id, and the port. */
    public GroupSource {
        if (group == null || !group.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("group: '" + group + "' (expected: 1 to 64 of A-Z a-z 0-9 _ -)");
        }
        checkAddress(host, port);
        replicas = List.copyOf(replicas);
    }

    /** A group whose primary has no replicas. */
    public GroupSource(String group, String host, int port) {
        this(group, host, port, List.of());
    }

    private static void checkAddress(String host, int port) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host: '" + host + "' (expected: a host name or address)");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
        }
    }

    /** @return the queue producer id of this group's capture, {@code cdc-<group>} */
    public String producerId() {
        return "cdc-" + group;
    }

    @Override
    public String toString() {
        return group + " primary " + host + ":" + port;
    }
}
