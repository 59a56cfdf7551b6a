package io.shardwire.proxy.health;

/** What a data source is in its shard group. */
public enum DataSourceRole {
    /** Takes the group's writes (and the reads that may not go to a replica). */
    PRIMARY,
    /** Replicates from the group's primary. */
    REPLICA,
    /** A former primary after a failover: kept read-only and out of the read rotation. */
    FENCED,
    /** A replica a failover could not re-point: out of the read rotation until the proxy re-points it. */
    STRANDED
}
