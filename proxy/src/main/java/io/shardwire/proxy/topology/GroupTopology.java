package io.shardwire.proxy.topology;

import java.util.Set;

/**
 * The roles in one shard group now. Data sources are numbered as in the configuration: 0 the configured primary,
 * {@code 1..} its replicas.
 *
 * @param primary     the data source that takes the group's writes
 * @param fenced      former primaries: kept read-only and out of the read rotation
 * @param failingOver whether a failover of the group is running (statements wait for it, up to failFastMs)
 */
public record GroupTopology(int primary, Set<Integer> fenced, boolean failingOver) {

    public GroupTopology {
        fenced = Set.copyOf(fenced);
    }

    /** Whether the data source is a replica that follows the primary (neither the primary nor fenced). */
    public boolean follower(int source) {
        return source != primary && !fenced.contains(source);
    }
}
