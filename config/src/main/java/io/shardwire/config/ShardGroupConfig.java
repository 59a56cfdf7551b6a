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
 * @param failover what happens when the primary stops answering
 */
public record ShardGroupConfig(String name, DataSourceConfig primary, List<DataSourceConfig> replicas, PoolConfig pool,
                               ReadSplitConfig reads, FailoverConfig failover) {

    public ShardGroupConfig {
        replicas = List.copyOf(replicas);
    }

    /** A group with manual failover. */
    public ShardGroupConfig(String name, DataSourceConfig primary, List<DataSourceConfig> replicas, PoolConfig pool,
                            ReadSplitConfig reads) {
        this(name, primary, replicas, pool, reads, FailoverConfig.DEFAULT);
    }

    /**
     * The configured data sources: 0 is the configured primary, {@code 1..} the replicas in configuration order
     * (a failover may make another of them the primary).
     */
    public DataSourceConfig source(int index) {
        return index == 0 ? primary : replicas.get(index - 1);
    }

    /** How many data sources the group has: its primary and its replicas. */
    public int sourceCount() {
        return 1 + replicas.size();
    }

    /** A group whose reads stay on the primary. */
    public ShardGroupConfig(String name, DataSourceConfig primary, List<DataSourceConfig> replicas, PoolConfig pool) {
        this(name, primary, replicas, pool, ReadSplitConfig.DEFAULT);
    }
}
