package io.shardwire.proxy.topology;

import java.util.Set;

/**
 * The roles in one shard group now. Data sources are numbered as in the configuration: 0 the configured primary,
 * {@code 1..} its replicas.
 *
 * @param primary     the data source that takes the group's writes
 * @param fenced      former primaries: kept read-only and out of the read rotation
 * @param stranded    replicas a failover could not re-point (DOWN then, or the re-point failed): they may still
 *                    follow a former primary, so they are out of the read rotation until the proxy re-points them
 * @param failingOver whether a failover of the group is running (statements wait for it, up to failFastMs)
 */
public record GroupTopology(int primary, Set<Integer> fenced, Set<Integer> stranded, boolean failingOver) {

    public GroupTopology {
        fenced = Set.copyOf(fenced);
        stranded = Set.copyOf(stranded);
    }

    /** Whether the data source is a replica that follows the primary (neither the primary, fenced nor stranded). */
    public boolean follower(int source) {
        return source != primary && !fenced.contains(source) && !stranded.contains(source);
    }
}
