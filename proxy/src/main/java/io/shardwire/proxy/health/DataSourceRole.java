package io.shardwire.proxy.health;

/** What a data source is in its shard group. */
public enum DataSourceRole {
    /** Takes the group's writes (and, today, all its reads). */
    PRIMARY,
    /** Replicates from the group's primary. */
    REPLICA
}
