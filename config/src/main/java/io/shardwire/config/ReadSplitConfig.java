package io.shardwire.config;

import java.util.Arrays;
import java.util.Optional;

/**
 * How a shard group's autocommit reads use its replicas.
 *
 * @param fromReplicas      whether reads outside transactions go to replicas at all (off: everything on the primary)
 * @param balancer          how a replica is chosen among those in rotation
 * @param maxReplicaLagMs   a replica whose lag, as the health monitor last measured it, exceeds this leaves the
 *                          rotation until it catches up; -1 keeps every UP replica in rotation whatever its lag
 * @param gtidWaitTimeoutMs how long a read-your-writes read waits ({@code MASTER_GTID_WAIT}) for a replica to apply
 *                          the session's last write before it goes to the primary instead
 */
public record ReadSplitConfig(boolean fromReplicas, Balancer balancer, long maxReplicaLagMs, long gtidWaitTimeoutMs) {

    /** Reads on the primary: a group without a {@code reads} section behaves as before replicas were used. */
    public static final ReadSplitConfig DEFAULT = new ReadSplitConfig(false, Balancer.ROUND_ROBIN, 1_000, 100);

    /** How a replica is chosen for a read. */
    public enum Balancer {
        /** In turn. */
        ROUND_ROBIN("roundRobin"),
        /** At random, in proportion to each replica's {@code weight}. */
        WEIGHTED("weighted"),
        /** The replica with the fewest reads running through this proxy. */
        LEAST_OUTSTANDING("leastOutstanding");

        private final String yamlName;

        Balancer(String yamlName) {
            this.yamlName = yamlName;
        }

        /** The name as written in YAML. */
        public String yamlName() {
            return yamlName;
        }

        /** The balancer of this YAML name (case-insensitive), or empty. */
        public static Optional<Balancer> parse(String name) {
            return Arrays.stream(values()).filter(b -> b.yamlName.equalsIgnoreCase(name)).findFirst();
        }
    }
}
