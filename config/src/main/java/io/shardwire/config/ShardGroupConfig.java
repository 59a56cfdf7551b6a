package io.shardwire.config;

import java.util.List;

/**
 * A shard group: one primary and its replicas, holding the same data.
 *
 * @param name     unique name, referenced by schemas and tables
 * @param primary  the server that takes writes
 * @param replicas servers replicating from the primary (may be empty)
 * @param pool     backend connection pool settings, applied per data source
 */
public record ShardGroupConfig(String name, DataSourceConfig primary, List<DataSourceConfig> replicas, PoolConfig pool) {

    public ShardGroupConfig {
        replicas = List.copyOf(replicas);
    }
}
