package io.shardwire.cdc;

/**
 * The primary of one shard group, where its capture reads the binlog.
 *
 * @param group the group's name, e.g. {@code g0}: names the producer ({@code cdc-g0}), the engine and its metrics
 * @param host  the primary's host
 * @param port  the primary's port
 */
public record GroupSource(String group, String host, int port) {

    /** Checks the name, which must fit a Debezium topic prefix and a producer id, and the port. */
    public GroupSource {
        if (group == null || !group.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("group: '" + group + "' (expected: 1 to 64 of A-Z a-z 0-9 _ -)");
        }
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
