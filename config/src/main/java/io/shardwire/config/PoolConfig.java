package io.shardwire.config;

/**
 * Backend connection pool settings for each data source of a shard group.
 *
 * @param maxSize             most connections open to one data source
 * @param connectionTimeoutMs how long a session waits for a free connection before it gets an error
 */
public record PoolConfig(int maxSize, long connectionTimeoutMs) {

    /** The defaults used when a shard group has no {@code pool} section. */
    public static final PoolConfig DEFAULT = new PoolConfig(64, 5_000);
}
