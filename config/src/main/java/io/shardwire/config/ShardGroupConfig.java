package io.shardwire.config;

import java.util.List;

/**
 * A shard group: one primary and its replicas, holding the same data.
 *
 * @param name     unique name, referenced by schemas and tables
 * @param primary  the server that takes writes
 * @param replicas servers replicating from the primary (may be empty)
 * @param pool     backend connection pool settings, applied per data source
 * @param reads    whether and how autocommit reads go to the replicas
 */
public record ShardGroupConfig(String name, DataSourceConfig primary, List<DataSourceConfig> replicas, PoolConfig pool,
                               ReadSplitConfig reads) {

    public ShardGroupConfig {
        replicas = List.copyOf(replicas);
    }

    /** A group whose reads stay on the primary. */
    public ShardGroupConfig(String name, DataSourceConfig primary, List<DataSourceConfig> replicas, PoolConfig pool) {
        this(name, primary, replicas, pool, ReadSplitConfig.DEFAULT);
    }
}
