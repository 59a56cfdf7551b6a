package io.shardwire.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The whole, validated Shardwire configuration. Immutable; built only by {@link ConfigLoader},
 * which guarantees every cross reference (a table's shard group, a user's schemas) resolves.
 *
 * @param source      the file it was read from, or a description such as {@code <inline>}
 * @param server      the listeners and the users
 * @param shardGroups the backend shard groups, in file order
 * @param schemas     the logical schemas, in file order
 * @param cdc         change data capture settings
 * @param queue       the durable queue CDC appends to
 * @param router      the sharding router's limits and key generator
 * @param monitoring  data source health checks and the slow-query log
 */
public record ShardwireConfig(
        String source,
        ServerConfig server,
        List<ShardGroupConfig> shardGroups,
        List<SchemaConfig> schemas,
        CdcConfig cdc,
        QueueConfig queue,
        RouterConfig router,
        MonitoringConfig monitoring) {

    public ShardwireConfig {
        shardGroups = List.copyOf(shardGroups);
        schemas = List.copyOf(schemas);
    }

    /** A configuration with the router's defaults, as before the router had settings. */
    public ShardwireConfig(String source, ServerConfig server, List<ShardGroupConfig> shardGroups,
                           List<SchemaConfig> schemas, CdcConfig cdc, QueueConfig queue) {
        this(source, server, shardGroups, schemas, cdc, queue, RouterConfig.DEFAULT);
    }

    /** A configuration with the monitoring defaults, as before monitoring had settings. */
    public ShardwireConfig(String source, ServerConfig server, List<ShardGroupConfig> shardGroups,
                           List<SchemaConfig> schemas, CdcConfig cdc, QueueConfig queue, RouterConfig router) {
        this(source, server, shardGroups, schemas, cdc, queue, router, MonitoringConfig.DEFAULT);
    }

    /** The shard group with this name, if configured. */
    public Optional<ShardGroupConfig> shardGroup(String name) {
        return shardGroups.stream().filter(g -> g.name().equals(name)).findFirst();
    }

    /** The logical schema with this name (case-sensitive, as MySQL on Linux), if configured. */
    public Optional<SchemaConfig> schema(String name) {
        return schemas.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The user with this name, if configured. */
    public Optional<UserConfig> user(String name) {
        return server.users().stream().filter(u -> u.name().equals(name)).findFirst();
    }

    /** The proxy's own data directory (topology, logs, queue by default). */
    public Path dataDir() {
        return server.dataDir();
    }
}
